"""A postcode shows the visitor's MP and the candidates at every upcoming
election covering their constituency or ward; the national page maps the
election chosen, or the sitting MPs."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaign.models import StanceEvent
from campaign.services import stance_record
from network.models import Area, Election, ElectionKind, Role, RoleKind
from network.postcodes import EXAMPLE_POSTCODE, lookup_postcode
from tests.factories import CandidacyFactory, PartyFactory, PersonFactory

pytestmark = pytest.mark.django_db

INDEX = "/where-they-stand/"
BLACKBURN = "E14001102"
WARD = "E05011508"  # the ward of BB1 2AB
OTHER_WARD = "E05011518"
EVIDENCE = "https://example.org/evidence/mp"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def election(kind, slug, days):
    when = timezone.localdate() + timedelta(days=days)
    parts = f"{kind}.{slug}.{when.isoformat()}" if slug else f"{kind}.{when}"
    return Election.objects.create(
        election_id=parts, name=f"Test {kind} {slug or ''}".strip(), date=when,
        kind=kind,
    )  # fmt: skip


def mp(name, area_gss=BLACKBURN, **extra):
    role = Role(
        person=PersonFactory(name=name),
        kind=RoleKind.MP,
        area=Area.objects.get(gss_code=area_gss),
        party=PartyFactory(name="Labour Party"),
        **{"start_date": date(2024, 7, 4), **extra},
    )
    role.full_clean()
    role.save()
    return role


@pytest.fixture
def blackburn(uk_areas):
    sitting = mp("Mara Sittingmp")
    stance_record(candidacy=sitting, kind="asked", method="letter",
                  occurred_on=date(2025, 3, 1), actor=None)  # fmt: skip
    stance_record(candidacy=sitting, kind="replied", occurred_on=date(2025, 3, 9),
                  position="refuses", quote="Not at this time.",
                  evidence_url=EVIDENCE, actor=None)  # fmt: skip
    mp("Fred Formermp", start_date=date(2019, 12, 12), end_date=date(2024, 7, 3))
    local = election(ElectionKind.LOCAL, "blackburn-with-darwen", 150)
    ward = Area.objects.get(gss_code=WARD)
    CandidacyFactory(person__name="Wen Wardcandidate", area=ward, election=local)
    CandidacyFactory(
        person__name="Oti Otherward",
        area=Area.objects.get(gss_code=OTHER_WARD),
        election=local,
    )
    general = election(ElectionKind.PARLIAMENTARY, "", 900)
    CandidacyFactory(person__name="Nia Nextgeneral", election=general)
    CandidacyFactory(person__name="Pat Paststood")  # at the 2024 election
    return {"sitting": sitting, "local": local, "general": general}


def test_the_example_postcode_is_in_the_offline_sample(uk_areas, client):
    found = lookup_postcode(EXAMPLE_POSTCODE)
    assert found.constituency.gss_code == BLACKBURN
    page = client.get(INDEX).content.decode()
    assert f"For example, {EXAMPLE_POSTCODE}." in page
    assert "running on the offline postcode sample" in page


def test_no_offline_notice_with_a_real_lookup(uk_areas, client, settings):
    settings.POSTCODE_LOOKUP_BACKEND = "postcodes.io"
    assert "offline postcode sample" not in client.get(INDEX).content.decode()


def test_a_postcode_shows_the_mp_and_every_upcoming_election(
    client, blackburn, settings
):
    settings.STANCES_ELECTION_ID = "parl.2024-07-04"
    response = client.get(INDEX, {"postcode": EXAMPLE_POSTCODE})
    assert response.status_code == 302
    assert response.url == f"/where-they-stand/blackburn/?ward={WARD}"
    page = client.get(response.url).content.decode()
    mp_section = page.split('id="mp-heading"')[1].split("</section>")[0]
    assert "Mara Sittingmp" in mp_section
    assert "Refuses to call for a ceasefire" in mp_section
    assert "Not at this time." in mp_section
    assert "Fred Formermp" not in page  # no longer the MP
    assert "Wen Wardcandidate" in page  # their ward's local election
    assert "Oti Otherward" not in page  # another ward's
    assert "Nia Nextgeneral" in page  # the next general election
    # Soonest first: the local election comes before the general election.
    assert page.index("Wen Wardcandidate") < page.index("Nia Nextgeneral")
    # The election the site follows by default stays on the page as the record.
    assert "Pat Paststood" in page


def test_without_a_ward_only_the_constituency_elections_show(client, blackburn):
    page = client.get("/where-they-stand/blackburn/").content.decode()
    assert "Mara Sittingmp" in page and "Nia Nextgeneral" in page
    assert "Wen Wardcandidate" not in page


def test_the_page_costs_the_same_queries_with_more_elections(
    client, blackburn, django_assert_max_num_queries
):
    url = f"/where-they-stand/blackburn/?ward={WARD}"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    by_election = election(ElectionKind.PARLIAMENTARY, "blackburn", 40)
    for n in range(3):
        CandidacyFactory(person__name=f"By Candidate{n}", election=by_election)
        CandidacyFactory(
            person__name=f"Ward Candidate{n}",
            area=Area.objects.get(gss_code=WARD),
            election=blackburn["local"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "By Candidate2" in page and "Ward Candidate2" in page


def test_the_national_page_maps_the_election_chosen_or_the_mps(
    client, blackburn, settings
):
    # Default: the latest general election with candidates.
    page = client.get(INDEX).content.decode()
    assert f"Showing candidates at the {blackburn['general'].name}" in page
    page = client.get(INDEX, {"map": "mps"}).content.decode()
    assert "Showing the sitting MPs." in page
    assert "MPs by where they stand" in page
    page = client.get(INDEX, {"map": "parl.2024-07-04"}).content.decode()
    assert "Showing candidates at the UK Parliament general election 2024" in page
    # STANCES_ELECTION_ID is the default, not the only choice.
    settings.STANCES_ELECTION_ID = "parl.2024-07-04"
    page = client.get(INDEX).content.decode()
    assert "Showing candidates at the UK Parliament general election 2024" in page
    page = client.get(INDEX, {"map": "mps"}).content.decode()
    assert "Showing the sitting MPs." in page
    # An unknown choice falls back to the default.
    page = client.get(INDEX, {"map": "nonsense"}).content.decode()
    assert "Showing candidates at the UK Parliament general election 2024" in page


def test_mps_map_counts_their_stances(blackburn):
    from campaign.selectors import ConstituencyState, StanceState, overview

    summary = overview(mps=True)
    assert summary.candidates[StanceState.REFUSES] == 1
    assert sum(summary.candidates.values()) == 1  # the former MP is not counted
    assert summary.states_by_gss[BLACKBURN] == ConstituencyState.NO_SUPPORTER


def test_a_representatives_stance_is_tracked_like_a_candidates(blackburn):
    organiser = Role.objects.create(
        person=PersonFactory(), kind=RoleKind.ORGANISER,
        area=Area.objects.get(gss_code=BLACKBURN),
    )  # fmt: skip
    event = StanceEvent(
        candidacy=organiser, kind="asked", method="email", occurred_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "candidacy" in error.value.message_dict
    assert blackburn["sitting"].stance_events.count() == 2
