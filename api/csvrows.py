"""The people list's CSV columns, and each person's CSV line as stored.

Each column is a function of a person's document (what the caller's audience may
see of them, as the JSON answer carries it). ``person_csv_line`` writes a
stored document's whole row once, when the document is built
(api/documents.py), with every cell made safe for spreadsheets; the export then
streams the stored lines, making only the last cell, the person's address in the
API, absolute for the caller (``absolute_line``).
"""

import csv
import io

from .renderers import safe_cell


def _join(items):
    return "; ".join(str(item) for item in items if item)


def _role_cell(role):
    where = role["area"] or role["group"] or {}
    code = f" [{where['gss_code']}]" if "gss_code" in where else ""
    election = f" ({role['election']['election_id']})" if role["election"] else ""
    label = f" - {role['affiliation']['name']}" if role["affiliation"] else ""
    return f"{role['kind']}: {where.get('name', '')}{code}{election}{label}"


def _by_kind(row) -> dict:
    """The row's contact values by kind, worked out once for its five columns."""
    grouped = row.get("_contacts_by_kind")
    if grouped is None:
        grouped = {}
        for contact in row["contacts"]:
            grouped.setdefault(contact["kind"], []).append(contact["value"])
        row["_contacts_by_kind"] = grouped
    return grouped


def _contacts(*kinds):
    if len(kinds) == 1:
        (kind,) = kinds

        def cell(row):
            return _join(_by_kind(row).get(kind, ()))

        return cell

    def mixed(row):  # in the person's own order across the kinds
        return _join(c["value"] for c in row["contacts"] if c["kind"] in kinds)

    return mixed


PEOPLE_CSV_COLUMNS = [
    ("id", lambda r: r["id"]),
    ("slug", lambda r: r["slug"]),
    ("name", lambda r: r["name"]),
    ("pronouns", lambda r: r["pronouns"]),
    ("status", lambda r: r["status"]),
    ("roles", lambda r: _join(_role_cell(role) for role in r["roles"])),
    (
        "area_codes",
        lambda r: _join(
            role["area"]["gss_code"] for role in r["roles"] if role["area"]
        ),
    ),
    (
        "party_history",
        lambda r: _join(
            f"{spell['party']['name']} {spell['start_date'] or ''}"
            f" to {spell['end_date'] or 'now'}"
            for spell in r["party_history"]
        ),
    ),
    ("groups", lambda r: _join(g["name"] for g in r["groups"])),
    ("email", _contacts("email")),
    ("phone", _contacts("phone")),
    ("website", _contacts("website")),
    (
        "social",
        _contacts("x", "facebook", "instagram", "bluesky", "mastodon", "tiktok"),
    ),
    ("address", _contacts("address")),
    ("modified", lambda r: r["modified"]),
    ("url", lambda r: r["url"]),
]


PEOPLE_CSV_HELP = {
    "id": "Never changes; key your copy on it.",
    "roles": "Current roles, each as `kind: area [GSS code] (election) - label`.",
    "area_codes": "GSS codes of the areas of the current roles.",
    "party_history": "Each spell as `party start to end` (`now` while current).",
    "groups": "Names of the groups they belong to.",
    "email": "Contact details of each kind your access allows.",
    "social": "Social media addresses.",
    "modified": "When the person last changed (ISO 8601).",
    "url": "The person in this API.",
}


def person_csv_line(document: dict) -> str:
    """The CSV line (with its line end) of one stored document, whose url is
    relative to the API's root. The address cell is the last ("people/<slug>/":
    no comma or quote, so the writer never quotes it)."""
    row = dict(document)  # the columns note things on the row; not on the document
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(cell(row)) for _, cell in PEOPLE_CSV_COLUMNS])
    return out.getvalue()


def absolute_line(line: str, root: str) -> str:
    """A stored line with its address made absolute under ``root``."""
    head, _, url = line.rpartition(",")
    return f"{head},{root}{url}"


def people_csv_header() -> str:
    out = io.StringIO()
    csv.writer(out).writerow([name for name, _ in PEOPLE_CSV_COLUMNS])
    return out.getvalue()
