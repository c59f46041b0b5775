"""Joining: invitations from the admin (signed, expiring, single-use) and join
requests waiting in the admin's queue."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from network.members import services
from network.models import (
    Area,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Person,
    ProfileChange,
    User,
)
from network.roles import COORDINATOR_GROUP, MEMBER_GROUP
from tests.conftest import sign_in_with_mfa
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(make_staff):
    user = make_staff(username="coord")
    user.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def link_from(message) -> str:
    # On the site's public address (SITE_URL in the test settings).
    return re.search(
        r"https://updates\.example\.org/network/invitation/\S+/", message.body
    )[0]


def path_of(link: str) -> str:
    return link.split("updates.example.org", 1)[1]


def test_coordinator_invites_from_the_admin_and_the_link_creates_the_account(
    client, coordinator, django_capture_on_commit_callbacks
):
    person = PersonFactory(name="Dee Invited")
    sign_in_with_mfa(client, coordinator)
    listing = client.get(reverse("wagtailsnippets_network_person:list"))
    assert reverse("members_invite", args=[person.pk]).encode() in listing.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members_invite", args=[person.pk]),
            {"email": "Dee@Example.org"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_from(mail.outbox[0])
    invitation = Invitation.objects.get(person=person)
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash not in link and secret not in invitation.token_hash

    visitor = client.__class__()
    page = visitor.get(path_of(link))
    assert page.status_code == 200
    assert b"Dee Invited" in page.content
    response = visitor.post(
        path_of(link), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(person=person)
    assert user.email == "dee@example.org"
    assert user.groups.filter(name=MEMBER_GROUP).exists()
    assert user.emailaddress_set.get().verified
    assert visitor.get(reverse("members:dashboard")).status_code == 200

    # The link worked once.
    assert visitor.get(path_of(link)).status_code == 404
    again = client.__class__().post(
        path_of(link), {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert again.status_code == 404
    assert User.objects.filter(person=person).count() == 1


def test_invitation_expires_after_14_days(client, coordinator):
    person = PersonFactory()
    invitation = services.invitation_send(
        person=person, email="late@example.org", actor=coordinator
    )
    link = services.invitation_link(invitation, "x")  # a wrong secret
    assert services.invitation_from_link(link.rsplit("/", 2)[1]) is None
    # The real link, once the invitation is 15 days old.
    mail.outbox.clear()
    invitation = services.invitation_send(
        person=person, email="late@example.org", actor=coordinator
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    signed = _signed_for(invitation)
    assert services.invitation_from_link(signed) is None
    response = client.get(reverse("members:invitation", args=[signed]))
    assert response.status_code == 404
    assert b"work once and for 14 days" in response.content


def _signed_for(invitation):
    # Rebuild a valid link by replacing the hash with one we know the secret of.
    secret = "known-secret-for-the-test"
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=services._hash(secret)
    )
    return services.invitation_link(invitation, secret).rstrip("/").rsplit("/", 1)[1]


def test_a_new_invitation_cancels_the_earlier_link(coordinator):
    person = PersonFactory()
    first = services.invitation_send(
        person=person, email="a@example.org", actor=coordinator
    )
    signed = _signed_for(first)
    services.invitation_send(person=person, email="a@example.org", actor=coordinator)
    assert services.invitation_from_link(signed) is None


def test_tampered_links_fail(client):
    assert client.get("/network/invitation/not-a-signed-value/").status_code == 404


def test_accepting_checks_the_password_rules(client, coordinator):
    person = PersonFactory()
    invitation = services.invitation_send(
        person=person, email="p@example.org", actor=coordinator
    )
    signed = _signed_for(invitation)
    url = reverse("members:invitation", args=[signed])
    response = client.post(url, {"password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(person=person).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_members_and_editors_cannot_invite(client, make_member, make_staff):
    person = PersonFactory()
    client.force_login(make_member())
    assert client.get(reverse("members_invite", args=[person.pk])).status_code in (
        302,
        403,
    )
    sign_in_with_mfa(client, make_staff(username="editor"))
    response = client.post(
        reverse("members_invite", args=[person.pk]), {"email": "x@example.org"}
    )
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert response.status_code in (302, 403)
    assert not Invitation.objects.exists()
    assert not mail.outbox


# ------------------------------------------------------------------ join requests


def join_form(**overrides):
    """What a person sends: the area as they type it (the form finds it)."""
    data = {
        "name": "Eli Newcomer",
        "email": "eli@example.org",
        "role": "organiser",
        "area": "Blackburn with Darwen",
        "statement": "I organise the local ceasefire vigil and want to help.",
    }
    data.update(overrides)
    return data


def test_join_request_waits_in_the_queue_and_approval_invites(
    client, coordinator, uk_areas, django_capture_on_commit_callbacks
):
    response = client.post(reverse("members:join"), join_form())
    assert response.status_code == 302
    assert response.url == reverse("members:join_thanks")
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequestStatus.PENDING
    assert join_request.area == Area.objects.get(gss_code="E06000008")

    sign_in_with_mfa(client, coordinator)
    queue = client.get(reverse("joinrequest:index"))
    assert b"Eli Newcomer" in queue.content
    url = reverse("members_join_request_decide", args=[join_request.pk])
    assert b"vigil" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert join_request.decided_by == coordinator
    person = join_request.person
    assert person.name == "Eli Newcomer"
    assert person.roles.get().kind == "organiser"
    assert not person.public_profile  # nobody is public without agreeing
    assert ProfileChange.objects.filter(person=person).exists()
    assert mail.outbox[-1].to == ["eli@example.org"]
    assert "/network/invitation/" in mail.outbox[-1].body

    # Decided once only.
    response = client.post(url, {"decision": "decline"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED


def test_approval_can_link_an_existing_person(client, coordinator, uk_areas):
    existing = PersonFactory(name="Eli Known")
    JoinRequest.objects.create(**{**join_form(), "area": None})
    sign_in_with_mfa(client, coordinator)
    join_request = JoinRequest.objects.get()
    client.post(
        reverse("members_join_request_decide", args=[join_request.pk]),
        {"decision": "approve", "person": existing.pk},
    )
    join_request.refresh_from_db()
    assert join_request.person == existing
    assert Person.objects.filter(name="Eli Newcomer").count() == 0
    assert Invitation.objects.get().person == existing


def test_decline(client, coordinator, uk_areas):
    JoinRequest.objects.create(**{**join_form(), "area": None})
    join_request = JoinRequest.objects.get()
    sign_in_with_mfa(client, coordinator)
    client.post(
        reverse("members_join_request_decide", args=[join_request.pk]),
        {"decision": "decline"},
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.DECLINED
    assert join_request.person is None
    assert not Invitation.objects.exists()


def test_join_form_does_not_reveal_known_addresses(client, make_member, uk_areas):
    make_member(email="known@example.org")
    known = client.post(reverse("members:join"), join_form(email="known@example.org"))
    unknown = client.post(reverse("members:join"), join_form(email="new@example.org"))
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_join_form_errors_and_rate_limit(client, uk_areas):
    response = client.post(reverse("members:join"), join_form(email="nope"))
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    for _ in range(4):
        client.post(reverse("members:join"), join_form())
    response = client.post(reverse("members:join"), join_form())
    assert response.status_code == 429
    assert JoinRequest.objects.count() == 4


def test_members_cannot_decide_join_requests(client, make_member, uk_areas):
    JoinRequest.objects.create(**{**join_form(), "area": None})
    client.force_login(make_member())
    url = reverse("members_join_request_decide", args=[JoinRequest.objects.get().pk])
    client.post(url, {"decision": "approve"})
    assert JoinRequest.objects.get().status == JoinRequestStatus.PENDING


def test_demo_join_requests_are_seeded_once(uk_areas):
    from network.members.demo import DEMO_REQUESTS, seed_join_requests

    seed_join_requests()
    seed_join_requests()
    assert JoinRequest.objects.count() == len(DEMO_REQUESTS)
    assert all(r.email.endswith("@example.org") for r in JoinRequest.objects.all())


@pytest.mark.parametrize(
    "viewset", ["joinrequest", "invitation", "deletionrequest", "profilechange"]
)
def test_members_menu_listings_are_for_coordinators_and_read_only(
    client, coordinator, make_staff, viewset
):
    sign_in_with_mfa(client, coordinator)
    assert client.get(reverse(f"{viewset}:index")).status_code == 200
    response = client.get(reverse(f"{viewset}:add"))
    assert response.status_code in (302, 403)  # nobody adds these by hand
    sign_in_with_mfa(client, make_staff(username="editor-like"))
    response = client.get(reverse(f"{viewset}:index"))
    assert response.status_code in (302, 403)
