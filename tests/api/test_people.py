"""Querying people, roles and areas: filters, area containment, search, ordering,
pagination, bad input, and constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.documents import documents_rebuild
from network.models import Area, ContactDetail, Person, Role, Visibility

from .conftest import (
    BETHNAL_GREEN_EAST,
    BLACKBURN,
    BURNLEY_WARD,
    BWD,
    ENGLAND,
    LANCASHIRE,
    NORTH_WEST,
)

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


@pytest.fixture
def network(client_as):
    return client_as("network_key")


def test_area_includes_everything_inside_it(directory, network):
    # A council: its wards' councillors. Dev's seat there has ended.
    assert slugs(network.get(f"/api/v1/people/?area={BWD}")) == {"amira-test"}
    # A county: its districts' wards.
    assert slugs(network.get(f"/api/v1/people/?area={LANCASHIRE}")) == {"cara-private"}
    # A region and a nation: councils, wards and constituencies within.
    north_west = {"amira-test", "bilal-test", "cara-private"}
    assert slugs(network.get(f"/api/v1/people/?area={NORTH_WEST}")) == north_west
    assert slugs(network.get(f"/api/v1/people/?region={NORTH_WEST}")) == north_west
    assert slugs(network.get(f"/api/v1/people/?nation={ENGLAND}")) == north_west | {
        "dev-test"
    }
    # A ward or constituency is just itself.
    assert slugs(network.get(f"/api/v1/people/?area={BLACKBURN}")) == {"bilal-test"}


def test_include_overlapping_adds_candidates_of_overlapping_constituencies(
    directory, network
):
    url = f"/api/v1/people/?area={BWD}&include=overlapping"
    assert slugs(network.get(url)) == {"amira-test", "bilal-test"}
    nested = f"/api/v1/areas/{BWD}/people/"
    assert slugs(network.get(nested)) == {"amira-test"}
    assert slugs(network.get(nested + "?include=overlapping")) == {
        "amira-test",
        "bilal-test",
    }
    # Role conditions hold for the same role.
    assert slugs(network.get(url + "&role=candidate")) == {"bilal-test"}
    assert slugs(network.get(nested + "?include=overlapping&role=councillor")) == {
        "amira-test"
    }


def test_other_people_filters(directory, network):
    assert slugs(network.get("/api/v1/people/?role=candidate")) == {"bilal-test"}
    assert slugs(network.get("/api/v1/people/?election=parl.2024-07-04")) == {
        "bilal-test"
    }
    assert len(slugs(network.get("/api/v1/people/?affiliation=independent"))) == 4
    assert slugs(network.get("/api/v1/people/?affiliation=labour")) == set()
    assert slugs(network.get("/api/v1/people/?group=blackburn-independents")) == {
        "amira-test"
    }
    assert slugs(network.get("/api/v1/people/?q=PRIV")) == {"cara-private"}
    directory["dev"].status = "left"
    directory["dev"].save()
    assert slugs(network.get("/api/v1/people/?status=left")) == {"dev-test"}


def test_public_callers_cannot_find_private_people_by_filtering(directory, client_as):
    anonymous = client_as("anonymous")
    assert slugs(anonymous.get(f"/api/v1/people/?area={LANCASHIRE}")) == set()
    assert slugs(anonymous.get("/api/v1/people/?q=Private")) == set()
    assert (
        anonymous.get(f"/api/v1/areas/{BURNLEY_WARD}/people/").json()["results"] == []
    )
    roles = anonymous.get(f"/api/v1/roles/?area={BURNLEY_WARD}").json()["results"]
    assert roles == []


def test_no_filter_reaches_contact_details(directory, network):
    hidden = "cara-private.coordinators@example.org"
    response = network.get(f"/api/v1/people/?q={hidden}")
    assert slugs(response) == set()
    response = network.get(f"/api/v1/people/?email={hidden}")
    assert response.status_code == 400
    assert "email" in response.json()


def test_ordering_is_whitelisted(directory, network):
    names = [
        p["name"]
        for p in network.get("/api/v1/people/?ordering=-name").json()["results"]
    ]
    assert names == sorted(names, reverse=True)
    response = network.get("/api/v1/people/?ordering=bio")
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("area=E06999999", "area"),
        ("area=nonsense", "area"),
        (f"region={BWD}", "region"),
        ("nation=E12000002", "nation"),
        ("election=parl.1900-01-01", "election"),
        ("affiliation=no-such-party", "affiliation"),
        ("group=no-such-group", "group"),
        ("role=mayor", "role"),
        ("status=asleep", "status"),
        ("modified_since=yesterday", "modified_since"),
        ("include=overlapping", "include"),
        ("include=everything", "include"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=ten", "page_size"),
        ("aera=E06000008", "aera"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_bad_values_answer_400_naming_the_parameter(
    directory, network, query, parameter
):
    response = network.get(f"/api/v1/people/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()


def test_bad_values_on_other_endpoints(directory, network):
    assert "type" in network.get("/api/v1/areas/?type=village").json()
    assert "parent" in network.get("/api/v1/areas/?parent=X").json()
    assert "kind" in network.get("/api/v1/roles/?kind=king").json()
    assert "current" in network.get("/api/v1/roles/?current=maybe").json()
    assert network.get("/api/v1/areas/E99999999/").status_code == 404
    assert network.get("/api/v1/areas/E99999999/people/").status_code == 404
    assert network.get("/api/v1/people/nobody/").status_code == 404


def test_areas_filter_by_type_parent_and_name(directory, network):
    wards = network.get(f"/api/v1/areas/?parent={BWD}&page_size=100").json()
    assert wards["count"] == Area.objects.filter(parent__gss_code=BWD).count() > 5
    assert {a["type"] for a in wards["results"]} == {"ward"}
    found = network.get("/api/v1/areas/?name=blackburn&type=local_authority").json()
    assert [a["gss_code"] for a in found["results"]] == [BWD]
    area = network.get(f"/api/v1/areas/{BETHNAL_GREEN_EAST}/").json()
    assert area["parent"]["gss_code"] == "E09000030"
    assert area["region"]["gss_code"] == "E12000007"
    assert area["people_url"].endswith(f"/api/v1/areas/{BETHNAL_GREEN_EAST}/people/")


def test_roles_list(directory, network):
    roles = network.get(f"/api/v1/roles/?area={BWD}").json()["results"]
    assert {(r["person"]["slug"], r["current"]) for r in roles} == {
        ("amira-test", True),
        ("dev-test", False),
    }
    current = network.get(f"/api/v1/roles/?area={BWD}&current=true").json()
    assert [r["person"]["slug"] for r in current["results"]] == ["amira-test"]
    candidacies = network.get("/api/v1/roles/?kind=candidate").json()["results"]
    assert [r["election"]["election_id"] for r in candidacies] == ["parl.2024-07-04"]


def test_person_detail_shows_current_roles_history_groups(directory, network):
    dev = network.get("/api/v1/people/dev-test/").json()
    assert [r["area"]["gss_code"] for r in dev["roles"]] == [BETHNAL_GREEN_EAST]
    amira = network.get("/api/v1/people/amira-test/").json()
    assert amira["roles"][0]["area"] == {
        "gss_code": "E05011508",
        "name": Area.objects.get(gss_code="E05011508").name,
        "type": "ward",
    }
    assert amira["roles"][0]["affiliation"]["slug"] == "independent"
    assert amira["party_history"][0]["party"]["slug"] == "labour"
    assert amira["groups"] == [
        {
            "slug": "blackburn-independents",
            "name": "Blackburn Independents",
            "role_title": "Convenor",
        }
    ]


def test_pagination_default_and_maximum(directory, network):
    body = network.get("/api/v1/areas/").json()
    assert len(body["results"]) == 50 and body["next"]
    body = network.get("/api/v1/areas/?page_size=500").json()
    assert len(body["results"]) == 500


def _many_people(count):
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            name=f"Bulk Person {n:04}",
            slug=f"bulk-person-{n:04}",
            public_profile=True,
            public_profile_agreed_at=now,
        )
        for n in range(count)
    )
    ward = Area.objects.get(gss_code="E05011508")
    Role.objects.bulk_create(
        Role(person=p, kind="councillor", area=ward) for p in people
    )
    ContactDetail.objects.bulk_create(
        ContactDetail(
            person=p, kind="email", value=f"{p.slug}@example.org", visibility=level
        )
        for p in people
        for level in (Visibility.PUBLIC, Visibility.NETWORK)
    )
    # bulk_create sends no signals: bulk loaders rebuild the stored documents.
    documents_rebuild([p.pk for p in people])


@pytest.mark.parametrize("caller", ["anonymous", "network_key", "coordinator"])
@pytest.mark.parametrize(
    "path", ["/api/v1/people/", f"/api/v1/areas/{BWD}/people/", "/api/v1/roles/"]
)
def test_query_count_does_not_grow_with_page_size(directory, client_as, caller, path):
    _many_people(210)
    client = client_as(caller)
    client.get(path)  # a key's first use records its last-used time

    def queries(size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{path}?page_size={size}")
        assert len(response.json()["results"]) == size
        return len(captured)

    small, large = queries(10), queries(200)
    assert small == large
    assert large <= 12


def test_change_feed_query_count_does_not_grow(directory, network):
    _many_people(210)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    network.get("/api/v1/people/")
    counts = []
    for size in (10, 200):
        with CaptureQueriesContext(connection) as captured:
            response = network.get(
                "/api/v1/people/", {"modified_since": since, "page_size": size}
            )
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts.append(len(captured))
    assert counts[0] == counts[1]
