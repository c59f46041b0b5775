"""Load the UK's areas from the shipped open data (see network/data/README.md).

Every file is read and checked in full before anything is written, so a malformed
or truncated file is refused with its name, line and reason and the database is
left as it was. Writing is one transaction of bulk upserts keyed on the GSS code:
running the loader again changes nothing unless the files changed.
"""

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from network.models import Area, AreaType, ConstituencyCouncilOverlap
from network.models.areas import GSS_CODE_RE, GSS_PREFIXES
from network.progress import Progress

REGIONS_FILE = "uk_regions_and_nations.csv"
COUNCILS_FILE = "uk_local_authorities.csv"
CONSTITUENCIES_FILE = "uk_parliamentary_constituencies_2024.csv"
WARDS_FILE = "uk_wards_2024.csv"
OVERLAPS_FILE = "constituency_2024_to_local_authority_overlap.csv"

HEADERS = {
    REGIONS_FILE: ["gss_code", "name", "type", "nation"],
    COUNCILS_FILE: [
        "gss_code",
        "la_code",
        "name",
        "official_name",
        "type_code",
        "type_name",
        "tier",
        "nation",
        "region",
        "region_gss",
        "parent_county_gss",
    ],  # fmt: skip
    CONSTITUENCIES_FILE: ["gss_code", "name", "nation", "region", "region_gss"],
    WARDS_FILE: ["gss_code", "name", "lad_gss_code", "lad_name", "start_date"],
    OVERLAPS_FILE: [
        "pcon_gss",
        "lad_gss",
        "share_of_constituency_population",
        "share_of_constituency_area",
    ],  # fmt: skip
}

# Parents are written before children, so each level can point at the one above.
LOAD_ORDER = [
    AreaType.NATION,
    AreaType.REGION,
    AreaType.COUNTY,
    AreaType.LOCAL_AUTHORITY,
    AreaType.CONSTITUENCY,
    AreaType.WARD,
]
AREA_FIELDS = [
    "name", "slug", "area_type", "council_type", "parent_id", "region_id",
    "nation_id", "valid_from", "updated_at",
]  # fmt: skip


class AreaFileError(Exception):
    """A data file that cannot be loaded: says which file, which line and why."""

    def __init__(self, filename: str, line: int | None, reason: str):
        self.filename, self.line, self.reason = filename, line, reason
        where = f"{filename}, line {line}" if line else filename
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class AreaRow:
    gss_code: str
    name: str
    area_type: str
    council_type: str = ""
    parent: str | None = None
    region: str | None = None
    nation: str | None = None
    valid_from: date | None = None

    def key(self):
        return (
            self.name, slugify(self.name), self.area_type, self.council_type,
            self.parent, self.region, self.nation, self.valid_from,
        )  # fmt: skip


@dataclass
class TypeCounts:
    in_files: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class AreaLoadReport:
    dry_run: bool
    by_type: dict[str, TypeCounts] = field(default_factory=dict)
    overlaps: TypeCounts = field(default_factory=TypeCounts)
    overlaps_removed: int = 0
    not_in_files: int = 0

    def lines(self) -> list[str]:
        head = "Dry run: nothing was written." if self.dry_run else "Areas loaded."
        out = [head, f"  {'type':<30}{'total':>7}{'new':>7}{'updated':>9}{'same':>7}"]
        labels = dict(AreaType.choices)
        for area_type in LOAD_ORDER:
            c = self.by_type[area_type]
            out.append(
                f"  {labels[area_type]:<30}{c.in_files:>7,}{c.created:>7,}"
                f"{c.updated:>9,}{c.unchanged:>7,}"
            )
        o = self.overlaps
        out.append(
            f"  {'Constituency/council overlap':<30}{o.in_files:>7,}{o.created:>7,}"
            f"{o.updated:>9,}{o.unchanged:>7,}"
        )
        if self.overlaps_removed:
            out.append(
                f"  {self.overlaps_removed} overlaps no longer in the file removed."
            )
        if self.not_in_files:
            out.append(
                f"  {self.not_in_files} areas in the database are not in the files; "
                "kept, because roles may still point at them."
            )
        return out


# ------------------------------------------------------------------ reading


def read_rows(data_dir: Path, filename: str, manifest: dict):
    """Yield (line number, row dict) after checking header, shape and row count."""
    path = data_dir / filename
    if not path.exists():
        raise AreaFileError(filename, None, "file not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AreaFileError(filename, line, "not valid UTF-8 text") from None
    if not text:
        raise AreaFileError(filename, 1, "the file is empty")
    if not text.endswith("\n"):
        last = text.count("\n") + 1
        raise AreaFileError(
            filename, last, "the file ends mid-line (truncated? no final newline)"
        )
    reader = csv.reader(text.splitlines())
    header = next(reader)
    expected = HEADERS[filename]
    if header != expected:
        raise AreaFileError(
            filename, 1, f"unexpected header; expected columns {','.join(expected)}"
        )
    rows = []
    for line_no, values in enumerate(reader, start=2):
        if len(values) != len(expected):
            raise AreaFileError(
                filename,
                line_no,
                f"expected {len(expected)} fields, found {len(values)} "
                "(a broken or truncated row)",
            )
        rows.append(
            (line_no, dict(zip(expected, (v.strip() for v in values), strict=True)))
        )
    want = manifest.get(filename)
    if want is not None and len(rows) != want:
        raise AreaFileError(
            filename,
            None,
            f"expected {want:,} rows (manifest.json), found {len(rows):,}: "
            "truncated or not the shipped release",
        )
    return rows


def check_code(filename, line, code, area_type):
    if not GSS_CODE_RE.match(code):
        raise AreaFileError(filename, line, f"{code!r} is not a GSS code")
    if code[:3] not in GSS_PREFIXES[area_type]:
        raise AreaFileError(
            filename, line, f"{code} is not a {AreaType(area_type).label.lower()} code"
        )


def need(filename, line, row, column):
    if not row[column]:
        raise AreaFileError(filename, line, f"the {column} column is empty")
    return row[column]


def check_ref(filename, line, code, known, what):
    if code not in known:
        raise AreaFileError(filename, line, f"{what} {code} is not in the loaded data")


def parse_all(data_dir: Path) -> tuple[dict[str, AreaRow], dict]:
    manifest_path = data_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    areas: dict[str, AreaRow] = {}

    def add(filename, line, row: AreaRow):
        if row.gss_code in areas:
            raise AreaFileError(filename, line, f"{row.gss_code} appears twice")
        areas[row.gss_code] = row

    # Nations and regions
    nation_by_name = {}
    region_rows = read_rows(data_dir, REGIONS_FILE, manifest)
    for line, r in region_rows:
        if r["type"] == "nation":
            check_code(REGIONS_FILE, line, r["gss_code"], AreaType.NATION)
            nation_by_name[r["nation"]] = r["gss_code"]
            add(
                REGIONS_FILE,
                line,
                AreaRow(
                    r["gss_code"], need(REGIONS_FILE, line, r, "name"), AreaType.NATION
                ),
            )
    for line, r in region_rows:
        if r["type"] == "region":
            check_code(REGIONS_FILE, line, r["gss_code"], AreaType.REGION)
            nation = nation_by_name.get(r["nation"])
            if not nation:
                raise AreaFileError(
                    REGIONS_FILE, line, f"unknown nation {r['nation']!r}"
                )
            add(REGIONS_FILE, line, AreaRow(
                r["gss_code"], need(REGIONS_FILE, line, r, "name"), AreaType.REGION,
                parent=nation, nation=nation,
            ))  # fmt: skip
        elif r["type"] != "nation":
            raise AreaFileError(REGIONS_FILE, line, f"unknown type {r['type']!r}")
    regions = {code for code, a in areas.items()}  # regions and nations

    def nation_of(filename, line, r):
        code = nation_by_name.get(r["nation"])
        if not code:
            raise AreaFileError(filename, line, f"unknown nation {r['nation']!r}")
        return code

    # Councils: counties first, so districts can point at them.
    council_rows = read_rows(data_dir, COUNCILS_FILE, manifest)
    council_types = {"CTY", "NMD", "UA", "MD", "LBO", "CC", "SCO", "WPA", "NID"}
    for line, r in sorted(council_rows, key=lambda lr: lr[1]["type_code"] != "CTY"):
        code, type_code = r["gss_code"], r["type_code"]
        if type_code not in council_types:
            raise AreaFileError(
                COUNCILS_FILE, line, f"unknown council type {type_code!r}"
            )
        area_type = AreaType.COUNTY if type_code == "CTY" else AreaType.LOCAL_AUTHORITY
        check_code(COUNCILS_FILE, line, code, area_type)
        region = need(COUNCILS_FILE, line, r, "region_gss")
        check_ref(COUNCILS_FILE, line, region, regions, "region")
        parent = region
        if type_code == "NMD":
            parent = need(COUNCILS_FILE, line, r, "parent_county_gss")
            if areas.get(parent, AreaRow("", "", "")).area_type != AreaType.COUNTY:
                raise AreaFileError(
                    COUNCILS_FILE, line, f"county {parent} is not in the file"
                )
        add(COUNCILS_FILE, line, AreaRow(
            code, need(COUNCILS_FILE, line, r, "name"), area_type, type_code,
            parent=parent, region=region, nation=nation_of(COUNCILS_FILE, line, r),
        ))  # fmt: skip

    for line, r in read_rows(data_dir, CONSTITUENCIES_FILE, manifest):
        check_code(CONSTITUENCIES_FILE, line, r["gss_code"], AreaType.CONSTITUENCY)
        region = need(CONSTITUENCIES_FILE, line, r, "region_gss")
        check_ref(CONSTITUENCIES_FILE, line, region, regions, "region")
        add(CONSTITUENCIES_FILE, line, AreaRow(
            r["gss_code"], need(CONSTITUENCIES_FILE, line, r, "name"),
            AreaType.CONSTITUENCY, parent=region, region=region,
            nation=nation_of(CONSTITUENCIES_FILE, line, r),
        ))  # fmt: skip

    for line, r in read_rows(data_dir, WARDS_FILE, manifest):
        check_code(WARDS_FILE, line, r["gss_code"], AreaType.WARD)
        council = areas.get(r["lad_gss_code"])
        if not council or council.area_type != AreaType.LOCAL_AUTHORITY:
            raise AreaFileError(
                WARDS_FILE,
                line,
                f"council {r['lad_gss_code']!r} is not in {COUNCILS_FILE}",
            )
        try:
            valid_from = (
                date.fromisoformat(r["start_date"]) if r["start_date"] else None
            )
        except ValueError:
            raise AreaFileError(
                WARDS_FILE,
                line,
                f"start_date {r['start_date']!r} is not a YYYY-MM-DD date",
            ) from None
        add(WARDS_FILE, line, AreaRow(
            r["gss_code"], need(WARDS_FILE, line, r, "name"), AreaType.WARD,
            parent=council.gss_code, region=council.region, nation=council.nation,
            valid_from=valid_from,
        ))  # fmt: skip

    overlaps = {}
    for line, r in read_rows(data_dir, OVERLAPS_FILE, manifest):
        pcon, lad = r["pcon_gss"], r["lad_gss"]
        if areas.get(pcon, AreaRow("", "", "")).area_type != AreaType.CONSTITUENCY:
            raise AreaFileError(
                OVERLAPS_FILE, line, f"constituency {pcon!r} is not loaded"
            )
        if areas.get(lad, AreaRow("", "", "")).area_type != AreaType.LOCAL_AUTHORITY:
            raise AreaFileError(OVERLAPS_FILE, line, f"council {lad!r} is not loaded")
        if (pcon, lad) in overlaps:
            raise AreaFileError(OVERLAPS_FILE, line, f"{pcon}/{lad} appears twice")
        overlaps[(pcon, lad)] = (
            share(OVERLAPS_FILE, line, r, "share_of_constituency_population", True),
            share(OVERLAPS_FILE, line, r, "share_of_constituency_area", False),
        )
    return areas, overlaps


def share(filename, line, row, column, required) -> Decimal | None:
    value = row[column]
    if not value and not required:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise AreaFileError(
            filename, line, f"{column} {value!r} is not a number"
        ) from None
    if not 0 <= number <= 1:
        raise AreaFileError(filename, line, f"{column} {value} is not between 0 and 1")
    return number


# ------------------------------------------------------------------ writing


def existing_areas() -> dict[str, tuple]:
    rows = Area.objects.values_list(
        "gss_code", "name", "slug", "area_type", "council_type",
        "parent__gss_code", "region__gss_code", "nation__gss_code", "valid_from",
    )  # fmt: skip
    return {code: tuple(rest) for code, *rest in rows}


def existing_overlaps() -> dict[tuple[str, str], tuple]:
    rows = ConstituencyCouncilOverlap.objects.values_list(
        "constituency__gss_code", "council__gss_code", "population_share", "area_share"
    )
    return {(p, c): (pop, area) for p, c, pop, area in rows}


def load_areas(*, data_dir: Path, dry_run: bool = False, out=None) -> AreaLoadReport:
    """Check every file, then upsert all areas and overlaps in one transaction."""
    areas, overlaps = parse_all(data_dir)
    report = AreaLoadReport(dry_run=dry_run)
    with transaction.atomic():
        before = existing_areas()
        report.not_in_files = len(set(before) - set(areas))
        ids = dict(Area.objects.values_list("gss_code", "id"))
        for area_type in LOAD_ORDER:
            rows = [a for a in areas.values() if a.area_type == area_type]
            counts = report.by_type[area_type] = TypeCounts(in_files=len(rows))
            to_write = []
            for row in rows:
                old = before.get(row.gss_code)
                if old is None:
                    counts.created += 1
                elif old != row.key():
                    counts.updated += 1
                else:
                    counts.unchanged += 1
                    continue
                to_write.append(row)
            if not dry_run:
                write_areas(
                    to_write, ids, Progress(out, AreaType(area_type).label, len(rows))
                )
                ids.update(
                    Area.objects.filter(area_type=area_type).values_list(
                        "gss_code", "id"
                    )
                )
        write_overlaps(overlaps, ids, report, dry_run, out)
    return report


def write_areas(rows: list[AreaRow], ids: dict[str, int], progress: Progress):
    objs = [
        Area(
            gss_code=r.gss_code,
            name=r.name,
            slug=slugify(r.name),
            area_type=r.area_type,
            council_type=r.council_type,
            parent_id=ids.get(r.parent),
            region_id=ids.get(r.region),
            nation_id=ids.get(r.nation),
            valid_from=r.valid_from,
        )
        for r in rows
    ]
    progress.advance(progress.total - len(objs))  # unchanged rows are already done
    for start in range(0, len(objs), 1000):
        batch = objs[start : start + 1000]
        Area.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["gss_code"],
            update_fields=AREA_FIELDS,
        )
        progress.advance(len(batch))
    progress.finish()


def write_overlaps(overlaps, ids, report: AreaLoadReport, dry_run: bool, out):
    before = existing_overlaps()
    counts = report.overlaps = TypeCounts(in_files=len(overlaps))
    to_write = []
    for pair, shares in overlaps.items():
        old = before.get(pair)
        if old is None:
            counts.created += 1
        elif tuple(old) != shares:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        to_write.append((pair, shares))
    stale = set(before) - set(overlaps)
    report.overlaps_removed = len(stale)
    if dry_run:
        return
    progress = Progress(out, "Overlaps", len(overlaps))
    progress.advance(len(overlaps) - len(to_write))
    ConstituencyCouncilOverlap.objects.bulk_create(
        [
            ConstituencyCouncilOverlap(
                constituency_id=ids[pcon],
                council_id=ids[lad],
                population_share=pop,
                area_share=area,
            )
            for (pcon, lad), (pop, area) in to_write
        ],
        update_conflicts=True,
        unique_fields=["constituency", "council"],
        update_fields=["population_share", "area_share"],
        batch_size=1000,
    )
    progress.finish()
    for pcon, lad in stale:
        ConstituencyCouncilOverlap.objects.filter(
            constituency__gss_code=pcon, council__gss_code=lad
        ).delete()


def count_by_type() -> Counter:
    return Counter(Area.objects.values_list("area_type", flat=True))
