"""manage.py load_areas: real counts, idempotence, and refusal of bad files."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from network.models import Area, AreaType, ConstituencyCouncilOverlap

pytestmark = pytest.mark.django_db


def run_loader(*args) -> str:
    out = StringIO()
    call_command("load_areas", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the shipped data, to damage in a test."""
    folder = tmp_path / "data"
    shutil.copytree(settings.NETWORK_DATA_DIR, folder)
    return folder


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_counts_after_loading(uk_areas):
    counts = {t: Area.objects.filter(area_type=t).count() for t in AreaType.values}
    assert counts[AreaType.CONSTITUENCY] == 650
    assert counts[AreaType.COUNTY] + counts[AreaType.LOCAL_AUTHORITY] == 382
    assert counts[AreaType.WARD] == 8396
    assert counts[AreaType.REGION] + counts[AreaType.NATION] == 13
    assert ConstituencyCouncilOverlap.objects.count() == 948


def test_parents_chain_ward_to_nation(uk_areas):
    # A Pendle ward: ward -> Pendle (district) -> Lancashire (county) -> North West
    ward = Area.objects.get(gss_code="E05013201")
    pendle = ward.parent
    assert pendle.gss_code == "E07000122"
    assert pendle.parent.gss_code == "E10000017"  # Lancashire County Council
    assert pendle.parent.parent.gss_code == "E12000002"  # North West
    assert pendle.parent.parent.parent.gss_code == "E92000001"  # England
    assert ward.region.gss_code == "E12000002"
    assert ward.nation.gss_code == "E92000001"
    # Outside England the council's parent is the nation itself.
    cardiff = Area.objects.get(gss_code="W06000015")
    assert cardiff.parent.gss_code == "W92000004"
    blackburn_seat = Area.objects.get(name="Blackburn", area_type=AreaType.CONSTITUENCY)
    assert blackburn_seat.parent.gss_code == "E12000002"
    overlap = blackburn_seat.council_overlaps.get()
    assert overlap.council.gss_code == "E06000008"
    assert overlap.population_share > 0.99


def test_loading_again_changes_nothing(uk_areas):
    ids_before = dict(Area.objects.values_list("gss_code", "id"))
    output = run_loader()
    assert dict(Area.objects.values_list("gss_code", "id")) == ids_before
    assert Area.objects.count() == 650 + 382 + 8396 + 13
    assert ConstituencyCouncilOverlap.objects.count() == 948
    assert "8,396      0        0  8,396" in output  # wards: none new, none updated


def test_changed_name_is_updated_in_place(uk_areas, data_copy):
    edit(data_copy / "uk_wards_2024.csv", "Darwen South", "Darwen South and Hoddlesden")
    ward_id = Area.objects.get(gss_code="E05011515").id
    run_loader("--data-dir", str(data_copy))
    ward = Area.objects.get(gss_code="E05011515")
    assert (ward.id, ward.name) == (ward_id, "Darwen South and Hoddlesden")
    assert ward.slug == "darwen-south-and-hoddlesden"


def test_dry_run_reports_and_writes_nothing(uk_areas, data_copy):
    edit(data_copy / "uk_wards_2024.csv", "Darwen South", "Renamed Ward")
    output = run_loader("--data-dir", str(data_copy), "--dry-run")
    assert "Dry run: nothing was written." in output
    assert "8,396      0        1  8,395" in output
    assert Area.objects.get(gss_code="E05011515").name == "Darwen South"


def assert_refused(data_copy, *reason_parts):
    with pytest.raises(CommandError) as info:
        run_loader("--data-dir", str(data_copy))
    message = str(info.value)
    assert "nothing was written" in message
    for part in reason_parts:
        assert part in message
    return message


def test_truncated_file_is_refused_and_nothing_is_written(uk_areas, data_copy):
    # A region rename that would be applied first, if writing were not all-or-nothing.
    edit(data_copy / "uk_regions_and_nations.csv", "North West", "Renamed Region")
    wards = data_copy / "uk_wards_2024.csv"
    raw = wards.read_bytes()
    wards.write_bytes(raw[: len(raw) // 2])  # cut off mid-row
    message = assert_refused(data_copy, "uk_wards_2024.csv, line ")
    assert "ends mid-line" in message or "fields" in message
    assert Area.objects.get(gss_code="E12000002").name == "North West"
    assert Area.objects.count() == 650 + 382 + 8396 + 13


def test_file_cut_at_a_line_boundary_is_refused(uk_areas, data_copy):
    wards = data_copy / "uk_wards_2024.csv"
    lines = wards.read_text(encoding="utf-8").splitlines(keepends=True)
    wards.write_text("".join(lines[:5000]), encoding="utf-8")
    assert_refused(data_copy, "uk_wards_2024.csv", "expected 8,396 rows", "found 4,999")


def test_bad_code_is_reported_with_its_line(uk_areas, data_copy):
    edit(
        data_copy / "uk_parliamentary_constituencies_2024.csv", "E14001063", "E1400106X"
    )
    assert_refused(
        data_copy, "uk_parliamentary_constituencies_2024.csv, line 2", "not a GSS code"
    )


def test_row_with_missing_fields_is_reported(uk_areas, data_copy):
    edit(data_copy / "uk_local_authorities.csv", ",Hartlepool Borough Council", "")
    assert_refused(data_copy, "uk_local_authorities.csv, line 2", "expected 11 fields")


def test_ward_of_unknown_council_is_refused(uk_areas, data_copy):
    edit(
        data_copy / "uk_wards_2024.csv",
        "E05011515,Darwen South,E06000008",
        "E05011515,Darwen South,E06000999",
    )
    assert_refused(data_copy, "uk_wards_2024.csv, line", "E06000999")


def test_wrong_header_is_refused(uk_areas, data_copy):
    edit(
        data_copy / "constituency_2024_to_local_authority_overlap.csv",
        "pcon_gss",
        "pcon",
    )
    assert_refused(
        data_copy, "constituency_2024_to_local_authority_overlap.csv, line 1"
    )


def test_missing_file_is_refused(uk_areas, data_copy):
    (data_copy / "uk_wards_2024.csv").unlink()
    assert_refused(data_copy, "uk_wards_2024.csv", "not found")
