"""Import candidates from a Democracy Club candidates CSV.

Reads either layout Democracy Club publishes (see docs/stances.md): the data export
(``person_id,person_name,election_id,ballot_paper_id,election_date,
election_current,party_name,party_id,post_label,cancelled_poll,seats_contested``,
with ``elected`` in a results export; booleans written ``t``/``f``) or the older
per-ballot file (``id,name,election,...``), telling them apart by the header. Every
candidate becomes a ``Person`` with a candidacy (a ``Role`` of kind candidate) at
that election, in that constituency or ward, under that party. People new to the
directory are tracked, not members: the campaign presses them.

A joint description ("Labour and Co-operative Party", ``joint-party:53-119``)
counts as its parent party (Labour), the description kept on the candidacy for
display; "Speaker seeking re-election" is no party. A row with ``elected`` true
also makes the winner a sitting representative: a current MP role (ending the
previous MP's) or councillor role from polling day.

All or nothing: every row is parsed and checked first, and a malformed row stops
the import with its line number and reason before anything is written. Rows that
are well formed but cannot be placed (an area this directory does not hold) are
skipped and reported. People are matched on Democracy Club's person id, so a
re-import updates rather than duplicates; a person entered by hand is matched when
they already hold a candidacy with the same name on the same ballot.
"""

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from network.models import (
    Area,
    AreaType,
    ChangeSource,
    Election,
    ElectionKind,
    NetworkStatus,
    Party,
    Person,
    Role,
    RoleKind,
)
from network.models.people import ELECTION_ID_RE, unique_slug
from network.progress import Progress
from ops.batching import batch
from ops.pagecache import purge_public_pages

EXPORT_COLUMNS = {
    "person_id": "person_id",
    "person_name": "person_name",
    "election_id": "election_id",
    "ballot_paper_id": "ballot_paper_id",
    "election_date": "election_date",
    "party_name": "party_name",
    "party_id": "party_id",
    "post_label": "post_label",
}
# The older per-ballot layout names some columns differently and keeps the
# Electoral Commission id in party_ec_id (its party_id is a legacy slug).
LEGACY_COLUMNS = {
    "person_id": "id",
    "person_name": "name",
    "election_id": "election",
    "ballot_paper_id": "ballot_paper_id",
    "election_date": "election_date",
    "party_name": "party_name",
    "party_id": "party_ec_id",
    "post_label": "post_label",
}
INDEPENDENT_PARTY_ID = "ynmp-party:2"
# Not a party: the Speaker stands as "Speaker seeking re-election".
SPEAKER_PARTY_ID = "ynmp-party:12522"
EC_ID_RE = re.compile(r"^PP\d+$")
# Two parties standing together ("Labour and Co-operative Party" is
# joint-party:53-119): the first number is the parent party's register number.
JOINT_PARTY_RE = re.compile(r"^joint-party:(?P<numbers>\d+(?:-\d+)+)$")
# The parents of the joint descriptions that appear on ballots, for a directory
# that does not hold them yet (names as on the Electoral Commission's register).
KNOWN_PARENT_PARTIES = {
    "PP52": "Conservative and Unionist Party",
    "PP53": "Labour Party",
    "PP63": "Green Party",
    "PP90": "Liberal Democrats",
    "PP119": "Co-operative Party",
    "PP7931": "Reform UK",
}
# Democracy Club writes booleans as t and f.
TRUE_VALUES, FALSE_VALUES = ("t", "true", "1", "yes"), ("f", "false", "0", "no", "")
OPTIONAL_BOOLEANS = ("election_current", "cancelled_poll", "elected")
MAX_ERRORS_SHOWN = 20


class CandidateFileError(Exception):
    """The file cannot be imported; nothing was written. Lists each bad line."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        shown = [
            f"line {line}: {reason}" if line else reason
            for line, reason in problems[:MAX_ERRORS_SHOWN]
        ]
        more = len(problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class CandidateRow:
    line: int
    person_id: str
    name: str
    election_id: str
    ballot_paper_id: str
    election_date: date
    party_name: str
    party_id: str
    post_label: str
    gss: str
    elected: bool = False
    cancelled_poll: bool = False


@dataclass
class ImportReport:
    rows: int = 0
    dry_run: bool = False
    people: Counter = field(default_factory=Counter)
    candidacies: Counter = field(default_factory=Counter)
    representatives: Counter = field(default_factory=Counter)
    parties_created: list[str] = field(default_factory=list)
    elections_created: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        people, cands = self.people, self.candidacies
        lines = [
            f"{self.rows} candidate rows read.",
            f"People: {people['created']} {verb} created, "
            f"{people['matched_id']} matched on their Democracy Club id, "
            f"{people['matched_name']} matched by name on the same ballot; "
            f"{people['renamed']} renamed.",
            f"Candidacies: {cands['created']} {verb} created, "
            f"{cands['updated']} updated (party changed), "
            f"{cands['unchanged']} unchanged.",
        ]
        reps = self.representatives
        if reps:
            lines.append(
                f"Sitting representatives: {reps['created']} {verb} created, "
                f"{reps['unchanged']} already recorded, {reps['ended']} "
                f"{verb} ended (seat won by someone else)."
            )
        if self.parties_created:
            lines.append(
                f"Parties {verb} created: {', '.join(sorted(self.parties_created))}."
            )
        if self.elections_created:
            lines.append(
                f"Elections {verb} created: "
                f"{', '.join(sorted(self.elections_created))}."
            )
        lines.append(f"Skipped: {len(self.skipped)} rows.")
        lines += [f"  line {line}: {reason}" for line, reason in self.skipped]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return lines


def ballot_slug(name: str) -> str:
    """Democracy Club's slug for a constituency name: accents stripped, apostrophes
    dropped, lower case, every other run of characters a hyphen."""
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    )
    ascii_name = ascii_name.replace("'", "").replace("\u2019", "").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


# ------------------------------------------------------------------ reading


def read_rows(text: str) -> list[CandidateRow]:
    """Parse and check every row; raise CandidateFileError listing each bad one."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "person_id" in header:
        columns = EXPORT_COLUMNS
    elif "id" in header and "name" in header:
        columns = LEGACY_COLUMNS
    else:
        raise CandidateFileError(
            [(1, "the header is not a Democracy Club candidates export")]
        )
    missing = [c for c in columns.values() if c not in header]
    if missing:
        raise CandidateFileError([(1, f"missing columns: {', '.join(missing)}")])
    gss_column = next((c for c in ("gss", "gss_code") if c in header), None)
    booleans = [c for c in OPTIONAL_BOOLEANS if c in header]

    rows, problems = [], []
    for record in reader:
        line = reader.line_num
        if None in record or None in record.values():
            problems.append((line, f"expected {len(header)} fields"))
            continue
        values = {key: record[col].strip() for key, col in columns.items()}
        flags = {name: record[name].strip().lower() for name in booleans}
        reason = _row_problem(values) or next(
            (
                f"{name} {record[name]!r} is not t or f"
                for name, value in flags.items()
                if value not in TRUE_VALUES + FALSE_VALUES
            ),
            None,
        )
        if reason:
            problems.append((line, reason))
            continue
        rows.append(
            CandidateRow(
                line=line,
                election_date=date.fromisoformat(values.pop("election_date")),
                name=values.pop("person_name"),
                gss=record[gss_column].strip() if gss_column else "",
                elected=flags.get("elected", "") in TRUE_VALUES,
                cancelled_poll=flags.get("cancelled_poll", "") in TRUE_VALUES,
                **values,
            )
        )
    if problems:
        raise CandidateFileError(problems)
    return rows


def _row_problem(values: dict) -> str | None:
    if not values["person_id"].isdigit():
        return f"person_id {values['person_id']!r} is not a number"
    if not values["person_name"]:
        return "person_name is empty"
    if not values["party_name"]:
        return "party_name is empty"
    match = ELECTION_ID_RE.match(values["election_id"])
    if not match:
        return f"election_id {values['election_id']!r} is not an election id"
    if match["kind"] not in ElectionKind.values:
        return f"election kind {match['kind']!r} is not one this directory holds"
    try:
        polled = date.fromisoformat(values["election_date"])
    except ValueError:
        return f"election_date {values['election_date']!r} is not a date"
    if polled.isoformat() != match["date"]:
        return "election_date does not match the date in election_id"
    ballot = values["ballot_paper_id"]
    if not (
        ballot.startswith(match["kind"] + ".") and ballot.endswith("." + match["date"])
    ):
        return f"ballot_paper_id {ballot!r} does not belong to the election"
    return None


# ------------------------------------------------------------------ placing


class AreaFinder:
    """Finds the constituency or ward of a ballot."""

    def __init__(self):
        constituencies = Area.objects.filter(area_type=AreaType.CONSTITUENCY)
        self.by_gss = {}
        self.by_ballot_slug = {}
        for area in constituencies:
            self.by_gss[area.gss_code] = area
            self.by_ballot_slug[ballot_slug(area.name)] = area

    def find(self, row: CandidateRow) -> Area | None:
        if row.gss:
            code = row.gss.removeprefix("gss:")
            return (
                self.by_gss.get(code)
                or Area.objects.filter(
                    gss_code=code, area_type__in=(AreaType.CONSTITUENCY, AreaType.WARD)
                ).first()
            )
        parts = row.ballot_paper_id.split(".")
        if parts[0] == ElectionKind.PARLIAMENTARY and len(parts) == 3:
            return self.by_ballot_slug.get(parts[1])
        if parts[0] == ElectionKind.LOCAL and len(parts) == 4:
            return Area.objects.filter(
                area_type=AreaType.WARD, slug=parts[2], parent__slug=parts[1]
            ).first()
        return None


@dataclass(frozen=True)
class Label:
    """What a candidate stands under: a party (None for the Speaker) and, when
    the ballot words it otherwise, the description it gives."""

    party: Party | None
    description: str = ""


class PartyFinder:
    def __init__(self, report: ImportReport):
        self.report = report
        self.cache: dict[tuple[str, str], Label] = {}

    def find(self, party_id: str, name: str) -> Label:
        key = (party_id, name)
        if key not in self.cache:
            self.cache[key] = self._label(party_id, name)
        return self.cache[key]

    def _label(self, party_id: str, name: str) -> Label:
        if party_id == SPEAKER_PARTY_ID or name.lower().startswith("speaker seeking"):
            return Label(None, name)
        joint = JOINT_PARTY_RE.match(party_id)
        if joint:
            parent = self._parent([f"PP{n}" for n in joint["numbers"].split("-")], name)
            return Label(parent, name if name != parent.name else "")
        party = self._find(party_id, name)
        return Label(party, "")

    def _parent(self, ec_ids: list[str], description: str) -> Party:
        """The first of a joint description's parties this directory holds, or
        the first it knows the name of; failing both, a party named as the
        ballot names it."""
        held = {p.ec_id: p for p in Party.objects.filter(ec_id__in=ec_ids)}
        for ec_id in ec_ids:
            if ec_id in held:
                return held[ec_id]
        for ec_id in ec_ids:
            if ec_id in KNOWN_PARENT_PARTIES:
                name = KNOWN_PARENT_PARTIES[ec_id]
                return Party.objects.filter(name__iexact=name).first() or self._create(
                    name, ec_id=ec_id
                )
        return self._find(ec_ids[0], description)

    def _find(self, party_id: str, name: str) -> Party:
        if party_id == INDEPENDENT_PARTY_ID:
            party = Party.objects.filter(is_independent=True).order_by("pk").first()
            if party:
                return party
            party = Party.objects.filter(name__iexact=name or "Independent").first()
            if party:
                return party
            return self._create(name or "Independent", is_independent=True)
        if EC_ID_RE.match(party_id):
            party = Party.objects.filter(ec_id=party_id).first()
            if party:
                return party
        party = Party.objects.filter(name__iexact=name).first()
        if party:
            return party
        return self._create(name, ec_id=party_id if EC_ID_RE.match(party_id) else "")

    def _create(self, name, **fields) -> Party:
        party = Party(name=name, slug=unique_slug(Party, name), **fields)
        party.full_clean()
        party.save()
        self.report.parties_created.append(name)
        return party


def _election(row: CandidateRow, report: ImportReport, cache: dict) -> Election:
    if row.election_id not in cache:
        election = Election.objects.filter(election_id=row.election_id).first()
        if election is None:
            kind = ElectionKind(row.election_id.split(".")[0])
            election = Election(
                election_id=row.election_id,
                name=f"{kind.label} election, {row.election_date:%-d %B %Y}",
                date=row.election_date,
                kind=kind,
            )
            election.full_clean()
            election.save()
            report.elections_created.append(row.election_id)
        cache[row.election_id] = election
    return cache[row.election_id]


def imported(person: Person, fields: list[str]) -> None:
    """Record the change in the person's profile history (source: import)."""
    from network.members.services import record_profile_change

    record_profile_change(
        person=person, fields=fields, source=ChangeSource.IMPORT, channel="candidates"
    )


def _person(row: CandidateRow, area: Area, election: Election, report) -> Person:
    person = Person.objects.filter(democracy_club_id=row.person_id).first()
    if person:
        report.people["matched_id"] += 1
        if person.name != row.name:
            person.name = row.name
            person.save(update_fields=["name", "updated_at"])
            imported(person, ["name"])
            report.people["renamed"] += 1
        return person
    # Someone entered by hand (a network member, say) already standing here.
    person = Person.objects.filter(
        democracy_club_id="",
        name__iexact=row.name,
        roles__kind=RoleKind.CANDIDATE,
        roles__election=election,
        roles__area=area,
    ).first()
    if person:
        person.democracy_club_id = row.person_id
        person.save(update_fields=["democracy_club_id", "updated_at"])
        imported(person, ["democracy_club_id"])
        report.people["matched_name"] += 1
        return person
    # Someone new from an import is a candidate the campaign presses, not a
    # member: the network's own people are entered by hand or join themselves.
    person = Person(
        name=row.name,
        slug=unique_slug(Person, row.name),
        democracy_club_id=row.person_id,
        network_status=NetworkStatus.TRACKED,
    )
    person.full_clean()
    person.save()
    imported(person, ["name", "democracy_club_id"])
    report.people["created"] += 1
    return person


def _candidacy(person, area, election, label: Label, report) -> None:
    role = (
        Role.objects.filter(
            person=person, kind=RoleKind.CANDIDATE, election=election, area=area
        )
        .order_by("pk")
        .first()
    )
    party_id = label.party.pk if label.party else None
    if role is None:
        role = Role(
            person=person,
            kind=RoleKind.CANDIDATE,
            election=election,
            area=area,
            party=label.party,
            party_description=label.description,
        )
        role.full_clean()
        role.save()
        imported(person, ["roles"])
        report.candidacies["created"] += 1
    elif (role.party_id, role.party_description) != (party_id, label.description):
        role.party, role.party_description = label.party, label.description
        role.save(update_fields=["party", "party_description", "updated_at"])
        imported(person, ["roles"])
        report.candidacies["updated"] += 1
    else:
        report.candidacies["unchanged"] += 1


def _seat_kind(election: Election) -> str | None:
    """The role a winner of this election holds: an MP or a councillor."""
    return {
        ElectionKind.PARLIAMENTARY: RoleKind.MP,
        ElectionKind.LOCAL: RoleKind.COUNCILLOR,
    }.get(election.kind)


def _representative(row, person, area, election, label: Label, report) -> None:
    """An elected candidate sits from polling day: a current MP or councillor
    role. An MP's seat has one holder, so whoever held it before stops then."""
    kind = _seat_kind(election)
    if kind is None:
        report.skipped.append((row.line, f"no seat to record for {election.kind}"))
        return
    held = Role.objects.filter(person=person, kind=kind, area=area, election=election)
    if held.exists():
        report.representatives["unchanged"] += 1
        return
    role = Role(
        person=person,
        kind=kind,
        area=area,
        election=election,
        party=label.party,
        party_description=label.description,
        start_date=election.date,
    )
    role.full_clean()
    role.save()
    imported(person, ["roles"])
    report.representatives["created"] += 1
    if kind == RoleKind.MP:
        before = Role.objects.filter(
            kind=RoleKind.MP, area=area, end_date__isnull=True
        ).exclude(pk=role.pk)
        for old in before.filter(start_date__lt=election.date).select_related("person"):
            old.end_date = election.date
            old.save(update_fields=["end_date", "updated_at"])
            imported(old.person, ["roles"])
            report.representatives["ended"] += 1


# ------------------------------------------------------------------ the import


def import_candidates(
    source: Path | str,
    *,
    dry_run: bool = False,
    election_id: str | None = None,
    out=None,
) -> ImportReport:
    """Import a candidates CSV (a path). In a dry run everything is checked and
    counted inside a transaction that is then rolled back."""
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CandidateFileError([(None, "the file is not UTF-8 text")]) from exc
    rows = read_rows(text)
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    if election_id:
        kept = [row for row in rows if row.election_id == election_id]
        report.skipped += [
            (row.line, f"election {row.election_id} is not {election_id}")
            for row in rows
            if row.election_id != election_id
        ]
        rows = kept

    # One transaction (nothing half-written); what follows each change, such as the
    # API's documents of a person, is done once per person at its end.
    with batch():
        areas, parties, elections = AreaFinder(), PartyFinder(report), {}
        seen: dict[tuple[str, str], int] = {}
        progress = Progress(out, "Candidates", len(rows))
        for row in rows:
            progress.advance()
            first = seen.setdefault((row.person_id, row.ballot_paper_id), row.line)
            if first != row.line:
                report.skipped.append((row.line, f"repeats line {first}"))
                continue
            area = areas.find(row)
            if area is None:
                report.skipped.append(
                    (
                        row.line,
                        f"no constituency or ward found for {row.ballot_paper_id} "
                        f"({row.post_label})",
                    )
                )
                continue
            try:
                election = _election(row, report, elections)
                label = parties.find(row.party_id, row.party_name)
                person = _person(row, area, election, report)
                _candidacy(person, area, election, label, report)
                if row.elected:
                    _representative(row, person, area, election, label, report)
            except ValidationError as exc:
                # The transaction rolls back: nothing from this file is kept.
                reasons = "; ".join(exc.messages)
                raise CandidateFileError([(row.line, reasons)]) from exc
        if dry_run:
            transaction.set_rollback(True)
        else:
            purge_public_pages()  # the public pages list candidates
    report.skipped.sort()
    return report
