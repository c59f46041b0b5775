"""The change feed: `modified_since` and `cursor` let a partner keep a copy in
step, with deletions, without missing changes made while it pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from network.models import GroupMembership, Person

pytestmark = pytest.mark.django_db


def feed(client, **params):
    response = client.get("/api/v1/people/", params)
    assert response.status_code == 200, response.content
    return response.json()


def apply(mirror, body):
    """What a partner does with a page: keyed on each person's id, replace the
    changed and drop the removed. ``mirror`` maps slug to name, for reading."""
    for person in body["results"]:
        mirror[person["id"]] = (person["slug"], person["name"])
    for gone in body["deleted"]:
        mirror.pop(gone["id"], None)


def slugs(mirror):
    return {slug for slug, _ in mirror.values()}


def sync(client, mirror, **params):
    """Follow the feed to its end like a partner would; returns the last cursor."""
    body = feed(client, **params)
    pages = 0
    while True:
        pages += 1
        apply(mirror, body)
        if not body["next"]:
            return body["cursor"], pages
        body = client.get(body["next"]).json()


def long_ago():
    return (timezone.now() - timedelta(days=1)).isoformat()


def test_sync_across_pages_while_rows_change(directory, client_as):
    client = client_as("network_key")
    for n in range(7):
        Person.objects.create(name=f"Sync Person {n}", slug=f"sync-person-{n}")
    mirror = {}
    body = feed(client, modified_since=long_ago(), page_size=3)
    assert len(body["results"]) == 3 and body["next"]
    apply(mirror, body)
    # Meanwhile: someone already seen is renamed, someone not yet seen is renamed,
    # one is deleted and one is added.
    seen = Person.objects.get(slug=body["results"][0]["slug"])
    seen.name = "Renamed After Seen"
    seen.save()
    unseen = Person.objects.get(slug="sync-person-6")
    unseen.name = "Renamed Before Seen"
    unseen.save()
    Person.objects.get(slug="sync-person-5").delete()
    Person.objects.create(name="Late Arrival", slug="late-arrival")
    body = client.get(body["next"]).json()
    while True:
        apply(mirror, body)
        if not body["next"]:
            break
        body = client.get(body["next"]).json()
    expected = {
        str(public_id): (slug, name)
        for public_id, slug, name in Person.objects.values_list(
            "public_id", "slug", "name"
        )
    }
    assert mirror == expected
    # Nothing changed since: the stored cursor brings an empty page.
    again = feed(client, cursor=body["cursor"])
    assert again["results"] == [] and again["deleted"] == [] and not again["next"]


def test_later_changes_come_from_the_stored_cursor(directory, client_as):
    client = client_as("public_key")
    mirror = {}
    cursor, _ = sync(client, mirror, modified_since=long_ago(), page_size=2)
    assert slugs(mirror) == {"amira-test", "bilal-test", "dev-test"}
    dev = directory["dev"]
    dev.bio = "Changed."
    dev.save()
    body = feed(client, cursor=cursor)
    assert [p["slug"] for p in body["results"]] == ["dev-test"]
    assert body["results"][0]["bio"] == "Changed."


def test_deletions_and_withdrawals_arrive_as_tombstones(directory, client_as):
    public, network = client_as("public_key"), client_as("network_key")
    public_copy, network_copy = {}, {}
    public_cursor, _ = sync(public, public_copy, modified_since=long_ago())
    network_cursor, _ = sync(network, network_copy, modified_since=long_ago())
    assert "cara-private" in slugs(network_copy)
    assert "cara-private" not in slugs(public_copy)
    ids = {
        key: str(directory[key].public_id) for key in ("amira", "bilal", "cara", "dev")
    }

    directory["dev"].delete()
    amira = directory["amira"]
    amira.public_profile = False
    amira.public_profile_agreed_at = None
    amira.save()
    directory["cara"].delete()

    body = feed(public, cursor=public_cursor)
    # The public hear that Amira and Dev left their view, and nothing of Cara,
    # whom they never saw; by id alone, which is what their copy is keyed on.
    assert {t["id"] for t in body["deleted"]} == {ids["amira"], ids["dev"]}
    assert all(set(t) == {"id", "removed"} for t in body["deleted"])
    assert body["results"] == []
    apply(public_copy, body)
    assert slugs(public_copy) == {"bilal-test"}
    body = feed(network, cursor=network_cursor)
    assert {t["id"] for t in body["deleted"]} == {ids["dev"], ids["cara"]}
    assert [p["slug"] for p in body["results"]] == ["amira-test"]
    assert body["results"][0]["id"] == ids["amira"]


def test_feed_is_ordered_oldest_change_first(directory, client_as):
    body = feed(client_as("network_key"), modified_since=long_ago())
    stamps = [p["modified"] for p in body["results"]]
    assert stamps == sorted(stamps)
    assert "count" not in body


def test_ordering_cannot_be_combined_with_the_feed(directory, client_as):
    response = client_as("network_key").get(
        "/api/v1/people/", {"modified_since": long_ago(), "ordering": "name"}
    )
    assert response.status_code == 400 and "ordering" in response.json()


def test_odd_but_valid_times_are_answered(directory, client_as):
    client = client_as("network_key")
    # Long ago, in a far time zone: everything has changed since.
    response = client.get(
        "/api/v1/people/", {"modified_since": "0529-04-25T01:46:36.348-22:41"}
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == Person.objects.count()
    # Before the first instant the database can hold in UTC: a 400 naming it.
    response = client.get(
        "/api/v1/people/", {"modified_since": "0001-01-01T00:00:00+01:00"}
    )
    assert response.status_code == 400
    assert "modified_since" in response.json()


def test_changes_to_a_persons_parts_reach_the_feed(directory, client_as):
    client = client_as("network_key")
    mirror = {}
    cursor, _ = sync(client, mirror, modified_since=long_ago())
    # A group gains a member from the group's side; a contact is removed alone.
    GroupMembership.objects.create(group=directory["group"], person=directory["bilal"])
    directory["dev"].contacts.filter(visibility="network").delete()
    body = feed(client, cursor=cursor)
    changed = {p["slug"]: p for p in body["results"]}
    assert set(changed) == {"bilal-test", "dev-test"}
    assert changed["bilal-test"]["groups"][0]["slug"] == "blackburn-independents"
    assert {c["visibility"] for c in changed["dev-test"]["contacts"]} == {"public"}
