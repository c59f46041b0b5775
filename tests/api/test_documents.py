"""The stored documents the people endpoints serve: always what a rebuild from
scratch would make, rebuilt in the transaction of the change, never holding what
an audience may not see, and paged by keyset past the numbered pages."""

import importlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import documents
from api.documents import (
    document_for,
    documents_rebuild,
    documents_rebuild_all,
    documents_refresh_stale,
)
from api.models import PersonDocument
from api.pagination import encode_list_cursor
from campaign.services import stance_record
from network.models import Area, ContactDetail, GroupMembership, Person, Role
from network.visibility import Audience
from tests.factories import ContactFactory, PartyFactory, RoleFactory

from .conftest import BWD_WARD


@pytest.fixture
def network(client_as):
    return client_as("network_key")


def stored() -> dict:
    return {
        (row.person_id, row.audience): (
            row.document,
            row.csv_line,
            row.sort_name,
            row.modified,
        )
        for row in PersonDocument.objects.all()
    }


def test_every_stored_document_equals_a_rebuild_from_scratch(directory, db):
    amira, bilal, cara = directory["amira"], directory["bilal"], directory["cara"]
    # Changes through each path a person's answer depends on.
    candidacy = Role.objects.get(person=bilal, kind="candidate")
    stance_record(
        candidacy=candidacy,
        kind="replied",
        occurred_on=date(2024, 6, 10),
        actor=None,
        position="ceasefire",
        quote="A fictional reply.",
        evidence_url="https://example.org/reply",
    )
    ContactFactory(person=amira, value="new@example.org", visibility="network")
    ContactDetail.objects.filter(person=cara).first().delete()
    directory["group"].name = "Blackburn Independents Renamed"
    directory["group"].save()
    party = Role.objects.get(person=amira).party
    party.name = "Independent (renamed)"
    party.save()
    cara.public_profile = True
    cara.public_profile_agreed_at = timezone.now()
    cara.save()
    GroupMembership.objects.filter(person=amira).update(role_title="Chair")
    documents_rebuild([amira.pk])  # a queryset update sends no signal

    before = stored()
    assert (bilal.pk, int(Audience.PUBLIC)) in before
    PersonDocument.objects.all().delete()
    documents_rebuild_all()
    assert stored() == before
    # The changes are in: a renamed group and party, the stance, the new contact.
    network_doc = before[(amira.pk, int(Audience.NETWORK))][0]
    assert network_doc["groups"][0] == {
        "slug": "blackburn-independents",
        "name": "Blackburn Independents Renamed",
        "role_title": "Chair",
    }
    assert network_doc["roles"][0]["affiliation"]["name"] == "Independent (renamed)"
    assert "new@example.org" in [c["value"] for c in network_doc["contacts"]]
    stance = before[(bilal.pk, int(Audience.PUBLIC))][0]["roles"][0]["stance"]
    assert stance["position"] == "ceasefire"
    # The CSV lines carry the same changes (and were compared above too).
    network_line = before[(amira.pk, int(Audience.NETWORK))][1]
    assert "new@example.org" in network_line
    assert "Blackburn Independents Renamed" in network_line
    assert "Independent (renamed)" in network_line


def test_the_migration_writes_each_stored_documents_csv_line(directory, db):
    """Documents stored before CSV lines existed get the line a rebuild writes."""
    from django.apps import apps

    migration = importlib.import_module("api.migrations.0008_person_document_csv_line")
    before = stored()
    PersonDocument.objects.update(csv_line="")
    migration.fill_csv_lines(apps, None)
    assert stored() == before
    assert all(row[1].endswith("/\r\n") for row in before.values())


def test_an_audience_has_no_document_of_someone_it_may_not_see(directory, db):
    cara = directory["cara"]  # no public profile
    assert document_for(cara, Audience.PUBLIC) is None
    assert document_for(cara, Audience.NETWORK)["name"] == "Cara Private"
    amira = directory["amira"]
    amira.public_profile = False
    amira.save()
    assert document_for(amira, Audience.PUBLIC) is None
    assert not PersonDocument.objects.filter(
        person=amira, audience=int(Audience.PUBLIC)
    ).exists()


def test_documents_hold_only_what_their_audience_may_see(directory, db):
    amira = directory["amira"]
    levels = {
        audience: {c["visibility"] for c in document_for(amira, audience)["contacts"]}
        for audience in Audience
    }
    assert levels == {
        Audience.PUBLIC: {"public"},
        Audience.NETWORK: {"public", "network"},
        Audience.COORDINATORS: {"public", "network", "coordinators"},
    }
    public = document_for(amira, Audience.PUBLIC)
    assert "reason_for_leaving" not in public["party_history"][0]
    assert "public_profile" not in public
    assert "public_profile" in document_for(amira, Audience.COORDINATORS)


def test_the_reader_gives_absolute_addresses(directory, db):
    amira = directory["amira"]
    document = document_for(amira, Audience.PUBLIC, root="https://example.org/api/v1/")
    assert document["url"] == "https://example.org/api/v1/people/amira-test/"
    assert document_for(amira.pk, Audience.PUBLIC)["url"].endswith(
        "/api/v1/people/amira-test/"
    )


def test_a_rolled_back_change_leaves_the_document_as_it_was(directory, db):
    amira = directory["amira"]
    before = document_for(amira, Audience.NETWORK)
    with pytest.raises(RuntimeError), transaction.atomic():
        ContactFactory(person=amira, value="gone@example.org", visibility="public")
        assert "gone@example.org" in str(document_for(amira, Audience.NETWORK))
        raise RuntimeError("abandon the change")
    assert document_for(amira, Audience.NETWORK) == before


def test_a_deleted_person_takes_their_documents(directory, db):
    amira = directory["amira"]
    pk = amira.pk
    amira.delete()
    assert not PersonDocument.objects.filter(person_id=pk).exists()


def test_a_role_that_ends_leaves_the_document_on_its_last_day(directory, db):
    today = timezone.localdate()
    amira = directory["amira"]
    role = RoleFactory(
        person=amira,
        kind="campaigner",
        area=Area.objects.get(gss_code=BWD_WARD),
        party=PartyFactory(name="Ending", slug="ending"),
        end_date=today,
    )
    kinds = [role["kind"] for role in document_for(amira, Audience.PUBLIC)["roles"]]
    assert "campaigner" in kinds
    stale_from = PersonDocument.objects.filter(person=amira).values_list(
        "stale_from", flat=True
    )
    assert set(stale_from) == {today + timedelta(days=1)}
    assert documents_refresh_stale(today) == 0  # still current today
    # A day later (the role's end moved back a day rather than the clock on).
    Role.objects.filter(pk=role.pk).update(end_date=today - timedelta(days=1))
    PersonDocument.objects.filter(person=amira).update(stale_from=today)
    assert documents_refresh_stale(today) == 3
    kinds = [role["kind"] for role in document_for(amira, Audience.PUBLIC)["roles"]]
    assert "campaigner" not in kinds


def test_the_api_refreshes_ended_roles_once_a_day(directory, network, monkeypatch):
    amira = directory["amira"]
    role = Role.objects.get(person=amira)
    yesterday = timezone.localdate() - timedelta(days=1)
    # An end date written without signals, as a stale document would see it.
    Role.objects.filter(pk=role.pk).update(end_date=yesterday)
    PersonDocument.objects.filter(person=amira).update(stale_from=yesterday)
    monkeypatch.setattr(documents, "_refreshed_on", None)
    body = network.get("/api/v1/people/amira-test/").json()
    assert body["roles"] == []


def test_the_command_rebuilds_everything_with_progress(directory, db):
    PersonDocument.objects.all().delete()
    out = StringIO()
    call_command("rebuild_person_documents", "--missing", stdout=out)
    assert "documents written" in out.getvalue()
    people = Person.objects.count()
    assert PersonDocument.objects.filter(audience=int(Audience.NETWORK)).count() == (
        people
    )
    before = stored()
    out = StringIO()
    call_command("rebuild_person_documents", stdout=out)
    assert f"people: {people:,}/{people:,} (100%)" in out.getvalue()
    assert stored() == before


def _bulk_people(count):
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            name=f"Keyset Person {n:04}",
            slug=f"keyset-person-{n:04}",
            public_profile=True,
            public_profile_agreed_at=now,
        )
        for n in range(count)
    )
    documents_rebuild([p.pk for p in people])
    return people


def test_the_list_pages_by_number_then_by_cursor_and_misses_no_one(directory, network):
    _bulk_people(130)
    seen, url, pages = [], "/api/v1/people/?page_size=10", 0
    while url:
        body = network.get(url).json()
        seen += [person["slug"] for person in body["results"]]
        assert body["count"] == 134
        url, pages = body["next"], pages + 1
        if url and pages < 10:
            assert f"page={pages + 1}" in url and "cursor=" not in url
        elif url:
            assert "cursor=" in url and "page=" not in url
    assert pages == 14
    expected = list(
        Person.objects.order_by("name", "pk").values_list("slug", flat=True)
    )
    assert seen == expected


@pytest.mark.parametrize("ordering", ["-name", "modified", "-modified"])
def test_cursor_pages_follow_each_ordering(directory, network, ordering):
    _bulk_people(120)
    slugs, url = [], f"/api/v1/people/?page_size=10&ordering={ordering}"
    while url:
        body = network.get(url).json()
        slugs += [person["slug"] for person in body["results"]]
        url = body["next"]
    by = {"name": "name", "modified": "updated_at"}[ordering.lstrip("-")]
    sign = "-" if ordering.startswith("-") else ""
    assert slugs == list(
        Person.objects.order_by(f"{sign}{by}", "pk").values_list("slug", flat=True)
    )


def test_a_cursor_page_costs_what_the_first_page_costs(directory, network, settings):
    # What each page costs the database: no page may be served from the cache.
    settings.API_LIST_CACHE_SECONDS = 0
    _bulk_people(130)
    first = network.get("/api/v1/people/?page_size=10")
    url = first.json()["next"]
    for _ in range(9):
        url = network.get(url).json()["next"]
    assert "cursor=" in url
    counts = []
    for address in ("/api/v1/people/?page_size=10", url):
        with CaptureQueriesContext(connection) as captured:
            assert network.get(address).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_cursor_of_another_ordering_is_a_400(directory, network):
    _bulk_people(30)
    url = "/api/v1/people/?page_size=1"
    for _ in range(10):
        url = network.get(url).json()["next"]
    response = network.get(url.replace("page_size=1", "page_size=1&ordering=-name"))
    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize(
    "values", [["Amira", "not an id"], [1, 2], ["Amira"], "nonsense", [["x"], 1]]
)
def test_a_made_up_list_cursor_is_a_400_naming_it(directory, network, values):
    cursor = encode_list_cursor("name", values)
    response = network.get(f"/api/v1/people/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_bulk_write_builds_each_document_once_at_its_end(directory):
    """Imports and the seed write inside ops.batching.batch(): a person changed many
    times there gets their documents built once, when the batch ends, equal to a
    rebuild from scratch; a batch that fails leaves the documents as they were."""
    from ops.batching import batch

    amira = directory["amira"]
    before = stored()
    with batch():
        for n in range(3):
            ContactFactory(person=amira, value=f"bulk{n}@example.org")
        # Not yet: the work waits for the end of the batch.
        assert stored() == before
    after = stored()
    assert after != before
    PersonDocument.objects.all().delete()
    documents_rebuild_all()
    assert stored() == after

    with pytest.raises(RuntimeError), batch():
        ContactFactory(person=amira, value="lost@example.org")
        raise RuntimeError("the import fails half-way")
    assert stored() == after
