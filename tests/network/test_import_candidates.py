"""manage.py import_candidates: Democracy Club CSVs, dry run, re-import, bad rows."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from network.imports.candidates import ballot_slug
from network.models import Area, AreaType, Election, Party, Person, Role, RoleKind
from tests.factories import CandidacyFactory, PartyFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent.parent / "fixtures" / "candidates_sample_fictional.csv"
HEADER = SAMPLE.read_text().splitlines()[0]


def run(path, *args):
    out = StringIO()
    call_command("import_candidates", str(path), *args, stdout=out)
    return out.getvalue()


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "candidates.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def candidacies():
    return Role.objects.filter(kind=RoleKind.CANDIDATE)


def test_the_ballot_slug_rule_gives_all_650_constituencies_distinct_ids(uk_areas):
    names = Area.objects.filter(area_type=AreaType.CONSTITUENCY).values_list(
        "name", flat=True
    )
    slugs = {ballot_slug(name) for name in names}
    assert len(slugs) == 650
    assert "ynys-mon" in slugs
    assert "oldham-west-chadderton-and-royton" in slugs


def test_dry_run_reports_what_would_happen_and_writes_nothing(uk_areas):
    output = run(SAMPLE, "--dry-run")
    assert "12 candidate rows read." in output
    assert "People: 12 would be created" in output
    assert "Candidacies: 12 would be created" in output
    assert "Dry run: nothing was written." in output
    assert not candidacies().exists()
    assert not Person.objects.exists()
    assert not Election.objects.exists()


def test_import_creates_every_candidate_in_the_right_seat_and_party(uk_areas):
    PartyFactory(name="Labour Party", ec_id="PP53")
    output = run(SAMPLE)
    assert "People: 12 were created" in output
    assert candidacies().count() == 12
    mon = candidacies().get(person__democracy_club_id="900010")
    assert mon.area.name == "Ynys Môn"
    assert mon.party.ec_id == "PP52"
    assert mon.election.election_id == "parl.2024-07-04"
    labour = candidacies().get(person__name="Alex Example")
    assert labour.party.name == "Labour Party"  # matched on PP53, not duplicated
    assert Party.objects.filter(ec_id="PP53").count() == 1
    independent = candidacies().get(person__name="Sam Sample").party
    assert independent.is_independent
    assert candidacies().get(person__name="Taylor Notreal").party == independent


def test_reimport_updates_rather_than_duplicates(uk_areas, tmp_path):
    run(SAMPLE)
    changed = SAMPLE.read_text().replace("Alex Example", "Alexandra Example")
    changed = changed.replace(
        "900005,Robin Dummy,parl.2024-07-04,parl.oldham-east-and-saddleworth"
        ".2024-07-04,2024-07-04,f,Reform UK,PP7931",
        "900005,Robin Dummy,parl.2024-07-04,parl.oldham-east-and-saddleworth"
        ".2024-07-04,2024-07-04,f,Independent,ynmp-party:2",
    )
    path = tmp_path / "again.csv"
    path.write_text(changed, encoding="utf-8")
    output = run(path)
    assert "People: 0 were created, 12 matched on their Democracy Club id" in output
    assert "1 renamed" in output
    assert "1 updated (party changed), 11 unchanged" in output
    assert Person.objects.count() == 12
    assert candidacies().count() == 12
    assert Person.objects.get(democracy_club_id="900001").name == "Alexandra Example"
    assert candidacies().get(person__democracy_club_id="900005").party.is_independent


def test_a_candidate_entered_by_hand_is_matched_by_name_on_the_same_ballot(
    uk_areas, tmp_path
):
    by_hand = CandidacyFactory(person__name="Sam Sample", person__slug="sam-sample")
    output = run(SAMPLE)
    assert "1 matched by name on the same ballot" in output
    by_hand.person.refresh_from_db()
    assert by_hand.person.democracy_club_id == "900002"
    assert Person.objects.filter(name="Sam Sample").count() == 1
    assert candidacies().filter(person=by_hand.person).count() == 1


def test_malformed_rows_refuse_the_file_with_their_lines(uk_areas, tmp_path):
    good = SAMPLE.read_text().splitlines()[1]
    path = write(
        tmp_path,
        good,
        good.replace("900007", "not-a-number"),
        good.replace(",2024-07-04,f,", ",2024-07-05,f,"),
        "900099,Too Short,parl.2024-07-04",
    )
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert "nothing was written" in message
    assert "line 3: person_id 'not-a-number' is not a number" in message
    assert "line 4: election_date does not match" in message
    assert "line 5: expected 11 fields" in message
    assert "line 2" not in message
    assert not Person.objects.exists()


def test_a_file_that_is_not_a_candidates_export_is_refused(uk_areas, tmp_path):
    path = write(tmp_path, "1,2,3", header="a,b,c")
    with pytest.raises(CommandError, match="not a Democracy Club candidates export"):
        run(path)


def test_rows_without_a_known_area_are_skipped_and_reported(uk_areas, tmp_path):
    good = SAMPLE.read_text().splitlines()[2]
    path = write(
        tmp_path,
        good,
        "900050,Pat Nowhere,parl.2024-07-04,parl.atlantis.2024-07-04,2024-07-04,"
        "f,Independent,ynmp-party:2,Atlantis,f,1",
        good,
    )
    output = run(path)
    assert "Skipped: 2 rows." in output
    assert "line 3: no constituency or ward found for parl.atlantis" in output
    assert "line 4: repeats line 2" in output
    assert candidacies().count() == 1


def test_the_older_per_ballot_layout_is_read_too(uk_areas, tmp_path):
    header = (
        "id,name,election,ballot_paper_id,election_date,party_id,party_name,"
        "post_label,party_ec_id,gss_code"
    )
    path = write(
        tmp_path,
        "900100,Lee Legacy,parl.2024-07-04,parl.burnley.2024-07-04,2024-07-04,"
        "party:90,Liberal Democrats,Burnley,PP90,E14001142",
        header=header,
    )
    run(path)
    role = candidacies().get(person__democracy_club_id="900100")
    assert role.area.name == "Burnley"
    assert role.party.ec_id == "PP90"


def test_election_option_skips_other_elections(uk_areas, tmp_path):
    output = run(SAMPLE, "--election", "parl.2029-01-01")
    assert "Skipped: 12 rows." in output
    assert not candidacies().exists()


# ------------------------------------------------------------------ real exports

RESULTS_HEADER = HEADER + ",elected"


def test_people_new_from_an_import_are_tracked_not_members(uk_areas):
    from network.models import NetworkStatus

    run(SAMPLE)
    assert set(Person.objects.values_list("network_status", flat=True)) == {
        NetworkStatus.TRACKED
    }


def test_joint_descriptions_count_as_their_parent_party(uk_areas, tmp_path):
    labour = PartyFactory(name="Labour Party", ec_id="PP53")
    path = write(
        tmp_path,
        "900101,Kit Cooperative,parl.2024-07-04,parl.burnley.2024-07-04,"
        "2024-07-04,f,Labour and Co-operative Party,joint-party:53-119,Burnley,f,1",
        "900102,Sol Speaker,parl.2024-07-04,parl.preston.2024-07-04,2024-07-04,f,"
        "Speaker seeking re-election,ynmp-party:12522,Preston,f,1",
    )
    output = run(path)
    assert "Parties were created" not in output
    coop = candidacies().get(person__name="Kit Cooperative")
    assert coop.party == labour
    assert coop.party_description == "Labour and Co-operative Party"
    assert coop.label == "Labour and Co-operative Party"
    speaker = candidacies().get(person__name="Sol Speaker")
    assert speaker.party is None
    assert speaker.label == "Speaker seeking re-election"
    assert not Party.objects.filter(name__icontains="speaker").exists()
    assert not Party.objects.filter(name__icontains="co-operative").exists()


def test_a_joint_description_creates_its_parent_when_missing(uk_areas, tmp_path):
    path = write(
        tmp_path,
        "900101,Kit Cooperative,parl.2024-07-04,parl.burnley.2024-07-04,"
        "2024-07-04,f,Labour and Co-operative Party,joint-party:53-119,Burnley,f,1",
    )
    run(path)
    party = candidacies().get().party
    assert (party.name, party.ec_id) == ("Labour Party", "PP53")


def test_results_export_records_sitting_mps_with_a_dry_run(uk_areas, tmp_path):
    blackburn = Area.objects.get(name="Blackburn", area_type=AreaType.CONSTITUENCY)
    old_mp = Person.objects.create(name="Olive Formermp", slug="olive-formermp")
    Role.objects.create(
        person=old_mp, kind=RoleKind.MP, area=blackburn, start_date="2019-12-12"
    )
    path = write(
        tmp_path,
        "900201,Win Blackburn,parl.2024-07-04,parl.blackburn.2024-07-04,2024-07-04,"
        "f,Independent,ynmp-party:2,Blackburn,f,1,t",
        "900202,Lose Blackburn,parl.2024-07-04,parl.blackburn.2024-07-04,"
        "2024-07-04,f,Labour and Co-operative Party,joint-party:53-119,Blackburn,"
        "f,1,f",
        "900203,Win Burnley,parl.2024-07-04,parl.burnley.2024-07-04,2024-07-04,f,"
        "Labour Party,PP53,Burnley,f,1,t",
        header=RESULTS_HEADER,
    )
    output = run(path, "--dry-run")
    assert (
        "Sitting representatives: 2 would be created, 0 already recorded, "
        "1 would be ended" in output
    )
    assert "Dry run: nothing was written." in output
    assert not Role.objects.filter(kind=RoleKind.MP).exclude(person=old_mp).exists()
    assert old_mp.roles.get().end_date is None

    run(path)
    mps = Role.objects.filter(kind=RoleKind.MP, end_date__isnull=True)
    assert {(r.person.name, r.area.name) for r in mps} == {
        ("Win Blackburn", "Blackburn"),
        ("Win Burnley", "Burnley"),
    }
    assert all(r.is_current for r in mps)
    assert mps.get(area=blackburn).start_date.isoformat() == "2024-07-04"
    assert old_mp.roles.get().end_date.isoformat() == "2024-07-04"
    # Again: nothing new.
    output = run(path)
    assert "Sitting representatives: 0 were created, 2 already recorded" in output
    assert Role.objects.filter(kind=RoleKind.MP).count() == 3


def test_booleans_must_be_t_or_f(uk_areas, tmp_path):
    path = write(
        tmp_path,
        "900201,Win Blackburn,parl.2024-07-04,parl.blackburn.2024-07-04,2024-07-04,"
        "f,Independent,ynmp-party:2,Blackburn,f,1,perhaps",
        header=RESULTS_HEADER,
    )
    with pytest.raises(CommandError) as error:
        run(path)
    assert "line 2: elected 'perhaps' is not t or f" in str(error.value)
    assert not Person.objects.exists()
