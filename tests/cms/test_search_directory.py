"""/search/ finds constituencies, public people and areas as well as pages, and
never a person the visitor may not know about."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Area, AreaType
from tests.factories import CandidacyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def search(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_finds_a_constituency_by_part_of_its_name(client, uk_areas):
    html = search(client, "blackb")
    assert 'href="/where-they-stand/blackburn/"' in html
    assert "Westminster constituency in North West" in html


def test_finds_councils_regions_and_wards(client, uk_areas):
    html = search(client, "Pendle")
    assert "Pendle" in html and "Local authority" in html
    assert "Region" in search(client, "North West")
    ward = Area.objects.filter(area_type=AreaType.WARD).select_related("parent").first()
    html = search(client, ward.name)
    assert f"Ward in {ward.parent.name}" in html


def test_finds_public_people_and_links_their_candidacy(client, uk_areas):
    seat = Area.objects.get(area_type=AreaType.CONSTITUENCY, slug="blackburn")
    CandidacyFactory(
        person=PersonFactory(name="Zelda Quennell", public_profile=True), area=seat
    )
    html = search(client, "quennell")
    assert "Zelda Quennell" in html
    assert 'href="/where-they-stand/blackburn/"' in html
    assert "Candidate for Blackburn" in html


def test_never_finds_a_person_without_a_public_profile(client, uk_areas, make_member):
    PersonFactory(name="Hidden Xanthippe", public_profile=False)
    html = search(client, "xanthippe")
    assert "Hidden Xanthippe" not in html
    assert "No results for" in html  # not even counted
    # A member of the network may know about them, and reaches their page.
    member = make_member(name="Pat Member", email="pat@example.org")
    client.force_login(member)
    html = search(client, "xanthippe")
    assert "Hidden Xanthippe" in html and 'href="/network/people/' in html


def test_directory_search_costs_the_same_for_more_results(client, uk_areas):
    seats = Area.objects.filter(area_type=AreaType.CONSTITUENCY)[:9]
    CandidacyFactory(person=PersonFactory(name="Quorra One", public_profile=True),
                     area=seats[0])  # fmt: skip
    search(client, "quorra")
    with CaptureQueriesContext(connection) as few:
        search(client, "quorra")
    for n, seat in enumerate(seats[1:]):
        CandidacyFactory(
            person=PersonFactory(name=f"Quorra {n}", public_profile=True), area=seat
        )
    with CaptureQueriesContext(connection) as many:
        html = search(client, "quorra")
    assert html.count("Quorra") >= 9
    assert len(many.captured_queries) <= len(few.captured_queries)
