"""/api/v1/me/: a signed-in member's own profile, with the member area's
validation, history and stale-version protection (409 and 412)."""

import pytest
from rest_framework.test import APIClient

from network.members import services
from network.models import ChangeSource, ProfileChange
from tests.factories import ContactFactory, RoleFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"


@pytest.fixture
def member(make_member, uk_areas):
    user = make_member(name="Lee Apimember")
    ContactFactory(person=user.person, value="lee@example.org", visibility="network")
    RoleFactory(person=user.person)
    return user


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_login(member)
    return client


def test_get_returns_the_own_profile_with_an_etag(
    api, member, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Lee Apimember"
    assert body["version"] == services.person_version(member.person)
    assert response["ETag"] == f'"{body["version"]}"'
    assert body["contacts"][0]["value"] == "lee@example.org"
    assert body["roles"][0]["kind"] == "councillor"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("caller", ["anonymous", "network_key", "outsider"])
def test_only_signed_in_members_may_use_it(caller, make_key, django_user_model, member):
    client = APIClient()
    if caller == "network_key":
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {make_key('network')}")
    elif caller == "outsider":
        client.force_login(
            django_user_model.objects.create_user(username="out", password="x")
        )
    for method in ("get", "patch"):
        response = getattr(client, method)(URL, {"bio": "x"}, format="json")
        assert response.status_code in (401, 403), (caller, method)
    member.person.refresh_from_db()
    assert member.person.bio == ""


def test_a_member_without_a_directory_entry_gets_404(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="lonely", password="x")
    user.groups.add(Group.objects.get(name="Member"))
    client = APIClient()
    client.force_login(user)
    assert client.get(URL).status_code == 404


def test_patch_with_if_match_saves_and_records_history(api, member):
    etag = api.get(URL)["ETag"]
    response = api.patch(
        URL,
        {
            "bio": "Written through the API.",
            "contacts": [
                {"kind": "phone", "value": "0161 496 0777", "visibility": "public"}
            ],
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["bio"] == "Written through the API."
    assert [c["value"] for c in body["contacts"]] == ["+441614960777"]
    assert response["ETag"] != etag
    change = ProfileChange.objects.get(person=member.person)
    assert (change.source, change.channel, change.actor) == (
        ChangeSource.MEMBER,
        "api",
        member,
    )
    assert change.fields == ["bio", "contacts"]


def test_stale_if_match_is_412_and_writes_nothing(api, member):
    etag = api.get(URL)["ETag"]
    services.profile_update(
        person=member.person,
        data={"pronouns": "he/him"},
        actor=None,
        expected_version=None,
        source=ChangeSource.COORDINATOR,
        channel="admin",
    )
    response = api.patch(URL, {"bio": "Mine"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["changed_fields"] == ["pronouns"]
    member.person.refresh_from_db()
    assert member.person.bio == ""
    assert response["ETag"] == f'"{services.person_version(member.person)}"'


def test_stale_version_in_the_body_is_409(api, member):
    version = api.get(URL).json()["version"]
    services.profile_update(
        person=member.person,
        data={"bio": "Someone else's"},
        actor=None,
        expected_version=None,
    )
    response = api.patch(URL, {"bio": "Mine", "version": version}, format="json")
    assert response.status_code == 409
    assert "current_version" in response.json()
    member.person.refresh_from_db()
    assert member.person.bio == "Someone else's"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"bio": "x"}, "version"),  # no version at all
        ({"roles": [], "version": "1"}, "roles"),  # not the member's to change
        ({"public_profile": "perhaps", "version": "1"}, "public_profile"),
        (
            {
                "contacts": [{"kind": "fax", "value": "1", "visibility": "public"}],
                "version": "1",
            },
            "contacts",
        ),
    ],
)
def test_bad_input_is_400_naming_the_field(api, payload, field):
    response = api.patch(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_contact_values_are_checked_like_the_form(api, member):
    version = api.get(URL).json()["version"]
    response = api.patch(
        URL,
        {
            "version": version,
            "contacts": [
                {"kind": "email", "value": "not an address", "visibility": "public"}
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "contacts.0.value" in response.json()
    assert member.person.contacts.get().value == "lee@example.org"


# Every kind of caller of the API's permission matrix (tests/api/conftest.py).
# The matrix's member and coordinator have no directory entry: 404.
ME_STATUSES = {
    "anonymous": 401,
    "public_key": 403,
    "network_key": 403,
    "revoked_key": 401,
    "expired_key": 401,
    "member": 404,
    "coordinator": 404,
}


@pytest.mark.parametrize("caller", list(ME_STATUSES))
def test_permission_matrix_for_me(caller, client_as):
    from tests.api.conftest import CALLERS

    assert set(ME_STATUSES) == set(CALLERS)
    client = client_as(caller)
    assert client.get(URL).status_code == ME_STATUSES[caller]
    response = client.patch(URL, {"bio": "x", "version": "1"}, format="json")
    assert response.status_code == ME_STATUSES[caller]
