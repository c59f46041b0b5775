"""Personal data requests: "download my data" and erasure reach exactly the
member's own records, name no one else, and leave nothing name-derived behind for
partners; the profile's contact limit holds on every path.

The subject of a request is the member's account, the directory entry linked to it
and the addresses the account has *verified*. An address typed into a profile, or
added to the account and never confirmed, proves nothing about who owns it."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import PartnerOrganisation, PersonTombstone
from api.services import partner_key_create
from cms.models import EventPage, Registration
from network.members import services
from network.models import (
    ContactDetail,
    DeletionRequest,
    JoinRequest,
    Person,
    ProfileChange,
)
from network.services import note_add, note_update
from tests.conftest import sign_in_with_mfa
from tests.factories import RoleFactory, build_site_pages
from tests.updates.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

STRANGER = "val.stranger@example.net"
STRANGER_NEEDS = "Wheelchair user; epilepsy, please avoid strobe lighting."


@pytest.fixture(autouse=True)
def fresh_cache():
    """API throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(make_member, uk_areas):
    return make_member(name="Mo Requester", email="mo.requester@example.org")


def _records_for(email, *, name, needs):
    """An event registration (with access needs), a subscription and a join
    request kept under ``email``, as the public forms leave them: registrations
    in lower case, the others as typed."""
    if not EventPage.objects.exists():
        build_site_pages()
    return {
        "event_registrations": Registration.objects.create(
            event=EventPage.objects.first(),
            name=name,
            email=email.lower(),
            access_needs=needs,
        ),
        "subscriptions": SubscriberFactory(email=email, name=name),
        "join_requests": JoinRequest.objects.create(
            name=name, email=email, role="campaigner", statement="Let me in."
        ),
    }


@pytest.fixture
def records(member):
    """The stranger's records, and the member's own under their verified address."""
    return {
        "stranger": _records_for(STRANGER, name="Val Stranger", needs=STRANGER_NEEDS),
        # Typed in another case: still the member's own verified address.
        "own": _records_for(
            "Mo.Requester@Example.org", name="Mo Requester", needs="Step-free access."
        ),
    }


# The three ways a member can put someone else's address on their account.


def _claim_in_profile_form(client, user):
    person = user.person
    response = client.post(
        reverse("members:person_edit", args=[person.slug]),
        {
            "version": services.person_version(person),
            "public_profile": "on",
            "contacts-TOTAL_FORMS": 1,
            "contacts-INITIAL_FORMS": 0,
            "contacts-MIN_NUM_FORMS": 0,
            "contacts-MAX_NUM_FORMS": 1000,
            "contacts-0-kind": "email",
            "contacts-0-value": STRANGER,
            "contacts-0-visibility": "coordinators",
        },
    )
    assert response.status_code == 302
    assert ContactDetail.objects.filter(person=person, value=STRANGER).exists()


def _claim_through_the_api(client, user):
    api = APIClient()
    api.force_login(user)
    version = api.get("/api/v1/me/").json()["version"]
    response = api.patch(
        "/api/v1/me/",
        {
            "version": version,
            "contacts": [
                {"kind": "email", "value": STRANGER, "visibility": "coordinators"}
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert ContactDetail.objects.filter(person=user.person, value=STRANGER).exists()


def _claim_as_unverified_account_address(client, user):
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": STRANGER}
    )
    assert response.status_code in (200, 302)
    assert EmailAddress.objects.filter(
        user=user, email=STRANGER, verified=False
    ).exists()


CLAIMS = {
    "profile_form": _claim_in_profile_form,
    "api_me": _claim_through_the_api,
    "unverified_account_address": _claim_as_unverified_account_address,
}


def _download(client):
    response = client.get(reverse("members:my_data"))
    assert response.status_code == 200
    return response.content.decode(), json.loads(response.content)


def _erase(client, user, superuser):
    client.force_login(user)
    client.post(reverse("members:delete_account"), {"confirm": "yes"})
    request = DeletionRequest.objects.get(user=user)
    sign_in_with_mfa(client, superuser)
    response = client.post(
        reverse("members_deletion_confirm", args=[request.pk]), {"decision": "erase"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=user.person_id).exists()


@pytest.mark.parametrize("claim", CLAIMS)
def test_export_holds_no_record_of_an_address_the_member_never_verified(
    client, member, records, claim
):
    client.force_login(member)
    CLAIMS[claim](client, member)
    body, data = _download(client)
    for label, record in records["stranger"].items():
        assert record.pk not in {row["id"] for row in data[label]}, label
    assert STRANGER_NEEDS not in body
    assert "Val Stranger" not in body
    # What the member's own verified address holds is still theirs to download.
    for label, record in records["own"].items():
        assert record.pk in {row["id"] for row in data[label]}, label


@pytest.mark.parametrize("claim", CLAIMS)
def test_erasure_keeps_the_records_of_an_address_the_member_never_verified(
    client, member, records, superuser, claim
):
    client.force_login(member)
    CLAIMS[claim](client, member)
    _erase(client, member, superuser)
    for label, record in records["stranger"].items():
        assert type(record).objects.filter(pk=record.pk).exists(), label
    for label, record in records["own"].items():
        assert not type(record).objects.filter(pk=record.pk).exists(), label


# ------------------------------------------------------------------ other people


@pytest.fixture
def coordinators(django_user_model):
    from django.contrib.auth.models import Group as AuthGroup

    from network.visibility import COORDINATOR_GROUP

    made = []
    for username, first, last in (
        ("cora.notewriter", "Cora", "Notewriter"),
        ("eli.reviser", "Eli", "Reviser"),
    ):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            first_name=first,
            last_name=last,
            password="pw",
        )
        user.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
        made.append(user)
    return made


def _names_of(users):
    for user in users:
        yield from (user.username, user.first_name, user.last_name, user.email)


def test_notes_about_the_member_are_exported_without_their_authors_names(
    client, member, coordinators
):
    cora, eli = coordinators
    note = note_add(
        author=cora,
        text="<p>Spoke well at the hustings; ask about the ward surgery.</p>",
        person=member.person,
    )
    note = note_update(
        note=note,
        actor=eli,
        text="<p>Spoke well at the hustings; ward surgery is on Tuesdays.</p>",
    )
    client.force_login(member)
    body, data = _download(client)

    (row,) = data["notes_about_you"]
    assert row["id"] == note.pk
    assert "ward surgery is on Tuesdays" in row["text"]
    assert row["created_at"] and row["updated_at"]
    # The earlier wording and when each version was saved are theirs too.
    texts = [version["text"] for version in row["versions"]]
    assert any("ask about the ward surgery" in text for text in texts)
    assert all(version["saved_at"] for version in row["versions"])
    # Who wrote or edited it is withheld: the coordinators are other people.
    assert row["author"] == "withheld (another person)"
    assert {version["saved_by"] for version in row["versions"]} == {
        "withheld (another person)"
    }
    for name in _names_of(coordinators):
        assert name.lower() not in body.lower(), name


def test_other_people_who_acted_on_the_members_records_are_withheld(
    client, member, coordinators
):
    cora, _ = coordinators
    services.record_profile_change(
        person=member.person, fields=["bio"], actor=cora, source="coordinator"
    )
    services.record_profile_change(
        person=member.person, fields=["pronouns"], actor=member, source="member"
    )
    client.force_login(member)
    body, data = _download(client)
    actors = {row["fields"][0]: row["actor"] for row in data["profile_changes"]}
    assert actors["bio"] == "withheld (another person)"
    # The member's own name is no secret from them.
    assert actors["pronouns"]["id"] == member.pk
    for name in _names_of([cora]):
        assert name.lower() not in body.lower(), name


# ------------------------------------------------------------------ change feed

NAME = "Zara Quillfeather"


def _client_with_key(scope):
    organisation, _ = PartnerOrganisation.objects.get_or_create(
        name=f"Partner {scope}",
        defaults={"scope": scope, "contact_email": "partner@example.org"},
    )
    _, raw = partner_key_create(organisation=organisation, name="sync")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def _sync(client, mirror, **params):
    """Follow the change feed to its end as a partner would, keeping a copy keyed
    by each person's id; returns the last cursor and every answer's text."""
    response = client.get("/api/v1/people/", params)
    bodies = []
    while True:
        assert response.status_code == 200, response.content
        bodies.append(response.content.decode())
        body = response.json()
        for person in body["results"]:
            mirror[person["id"]] = person["slug"]
        for gone in body["deleted"]:
            mirror.pop(gone["id"], None)
        if not body["next"]:
            return body["cursor"], bodies
        response = client.get(body["next"])


def _every_answer(client):
    """The text of every answer a partner can fetch about people."""
    since = (timezone.now() - timedelta(days=1)).isoformat()
    asks = [
        ("/api/v1/people/", {}),
        ("/api/v1/people/", {"format": "csv"}),
        ("/api/v1/people/", {"modified_since": since}),
        ("/api/v1/roles/", {}),
        ("/api/v1/roles/", {"format": "csv"}),
        ("/api/v1/stances/", {}),
        ("/api/v1/areas/E05011515/people/", {}),
    ]
    texts = []
    for path, params in asks:
        response = client.get(path, params)
        assert response.status_code == 200, (path, response.content)
        content = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        texts.append(content.decode())
    return texts


def _assert_nameless(texts, slug):
    for text in texts:
        lowered = text.lower()
        for word in (*NAME.lower().split(), slug):
            assert word not in lowered, f"{word!r} in {text[:300]}"


@pytest.fixture
def public_member(make_member, uk_areas):
    user = make_member(name=NAME)
    RoleFactory(person=user.person)  # a councillor in the area listed above
    return user


def test_erased_member_leaves_no_name_or_slug_in_the_feed(
    client, public_member, superuser
):
    slug = public_member.person.slug
    partners = {scope: _client_with_key(scope) for scope in ("public", "network")}
    since = (timezone.now() - timedelta(days=1)).isoformat()
    copies, cursors = {}, {}
    for scope, partner in partners.items():
        copies[scope] = {}
        cursors[scope], _ = _sync(partner, copies[scope], modified_since=since)
        assert slug in copies[scope].values()
    held_id = next(pid for pid, s in copies["public"].items() if s == slug)

    _erase(client, public_member, superuser)

    for scope, partner in partners.items():
        _, bodies = _sync(partner, copies[scope], cursor=cursors[scope])
        # The partner knows which row to drop, and drops it.
        assert held_id in bodies[0]
        assert slug not in copies[scope].values()
        _assert_nameless(bodies, slug)
        _assert_nameless(_every_answer(partner), slug)
        response = partner.get(f"/api/v1/people/{slug}/")
        assert response.status_code == 404
    # Nor does the database keep the name for the feed.
    for tombstone in PersonTombstone.objects.values():
        _assert_nameless([json.dumps(tombstone, default=str)], slug)


def test_withdrawn_public_profile_leaves_no_name_or_slug_for_public_callers(
    public_member,
):
    slug = public_member.person.slug
    partner = _client_with_key("public")
    copy = {}
    cursor, _ = _sync(
        partner, copy, modified_since=(timezone.now() - timedelta(days=1)).isoformat()
    )
    held_id = next(pid for pid, s in copy.items() if s == slug)

    api = APIClient()
    api.force_login(public_member)
    version = api.get("/api/v1/me/").json()["version"]
    response = api.patch(
        "/api/v1/me/", {"version": version, "public_profile": False}, format="json"
    )
    assert response.status_code == 200

    _, bodies = _sync(partner, copy, cursor=cursor)
    assert held_id in bodies[0] and held_id not in copy
    _assert_nameless(bodies, slug)
    _assert_nameless(_every_answer(partner), slug)
    for tombstone in PersonTombstone.objects.values():
        _assert_nameless([json.dumps(tombstone, default=str)], slug)
    # The network still sees them, under the same id.
    network = _client_with_key("network").get(f"/api/v1/people/{slug}/").json()
    assert network["id"] == held_id


def test_existing_tombstones_lose_their_slugs_when_migrated():
    """Tombstones written before people had ids carried slugs; the migration
    replaces each with an id that names no one: the live person's own id when
    they only withdrew, else one new id per removed person."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "postgresql":
        pytest.skip(
            "migrating back and forth inside the test's transaction needs "
            "PostgreSQL's transactional DDL (set DATABASE_URL)"
        )

    before = [("api", "0002_partner_write_scope_stances"), ("network", "0004_members")]
    after = [
        ("api", "0005_tombstone_drop_slug"),
        ("network", "0007_person_public_id_unique"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldPerson = old.get_model("network", "Person")
    OldTombstone = old.get_model("api", "PersonTombstone")
    withdrew = OldPerson.objects.create(name="Wen Withdrew", slug="wen-withdrew")
    OldTombstone.objects.create(
        person_id=withdrew.pk, slug="wen-withdrew", reason="withdrawn", was_public=True
    )
    for reason in ("withdrawn", "deleted"):
        OldTombstone.objects.create(
            person_id=999_999, slug="gil-gone", reason=reason, was_public=True
        )

    # Run the rows' deferred foreign key checks now: PostgreSQL will not alter a
    # table with checks still pending in the transaction.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    # The models as they were right after the change (later migrations add
    # columns today's models would ask for).
    migrated = executor.loader.project_state(after).apps

    withdrew = migrated.get_model("network", "Person").objects.get(slug="wen-withdrew")
    assert withdrew.public_id
    tombstones = migrated.get_model("api", "PersonTombstone").objects
    rows = list(tombstones.order_by("pk").values())
    _assert_nameless([json.dumps(rows, default=str)], "wen-withdrew")
    _assert_nameless([json.dumps(rows, default=str)], "gil-gone")
    assert rows[0]["public_id"] == withdrew.public_id
    assert rows[1]["public_id"] == rows[2]["public_id"] != withdrew.public_id
    assert len({r["public_id"] for r in rows}) == 2


# ------------------------------------------------------------------ contact limit


def _many_contacts(count):
    return [
        {"kind": "phone", "value": f"0161 496 0{n:03d}", "visibility": "network"}
        for n in range(count)
    ]


def test_the_service_refuses_more_contacts_than_the_limit(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.profile_update(
            person=member.person,
            data={"contacts": _many_contacts(services.MAX_CONTACTS + 1)},
            actor=member,
            expected_version=None,
        )
    assert "contacts" in error.value.message_dict
    assert not member.person.contacts.exists()
    # The limit itself is allowed.
    services.profile_update(
        person=member.person,
        data={"contacts": _many_contacts(services.MAX_CONTACTS)},
        actor=member,
        expected_version=None,
    )
    assert member.person.contacts.count() == services.MAX_CONTACTS


def test_api_answers_400_naming_contacts_when_over_the_limit(member):
    api = APIClient()
    api.force_login(member)
    version = api.get("/api/v1/me/").json()["version"]
    response = api.patch(
        "/api/v1/me/",
        {"version": version, "contacts": _many_contacts(200)},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["contacts"]
    assert str(services.MAX_CONTACTS) in body["contacts"][0]
    assert not member.person.contacts.exists()
    assert not ProfileChange.objects.filter(person=member.person).exists()


def test_profile_form_refuses_more_contacts_than_the_limit(client, member):
    person = member.person
    count = services.MAX_CONTACTS + 1
    data = {
        "version": services.person_version(person),
        "contacts-TOTAL_FORMS": count,
        "contacts-INITIAL_FORMS": 0,
        "contacts-MIN_NUM_FORMS": 0,
        "contacts-MAX_NUM_FORMS": 1000,
    }
    for n, contact in enumerate(_many_contacts(count)):
        for key, value in contact.items():
            data[f"contacts-{n}-{key}"] = value
    client.force_login(member)
    response = client.post(reverse("members:person_edit", args=[person.slug]), data)
    assert response.status_code == 400
    assert str(services.MAX_CONTACTS) in str(
        response.context["formset"].non_form_errors()
    )
    assert not person.contacts.exists()
