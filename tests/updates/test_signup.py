"""Signing up: the form, double opt-in, the consent log, and what the form never
reveals."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from tests.updates.factories import SubscriberFactory
from updates import consent, tokens
from updates.models import (
    ConsentAction,
    ConsentEvent,
    Subscriber,
    SubscriberStatus,
)

pytestmark = pytest.mark.django_db

SIGNUP = "/updates/signup/"


def form_data(email="new.person@example.org", **extra):
    data = {
        "email": email,
        "name": "New Person",
        "postcode": "sw1a1aa",
        "consent": "on",
        "wording_version": consent.CURRENT_VERSION,
        "website": "",
    }
    data.update(extra)
    return data


def sign_up(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SIGNUP, form_data(**data))


def confirm_link(message) -> str:
    match = re.search(
        r"https://updates\.example\.org(/updates/confirm/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_signup_form_shows_the_consent_statement_and_a_hidden_honeypot(client):
    response = client.get(SIGNUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert consent.wording(consent.CURRENT_VERSION) in html
    assert 'name="website"' in html and 'class="hp" aria-hidden="true"' in html


def test_signup_stores_a_pending_subscriber_and_a_consent_request(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("updates:check_email")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.name == "New Person"
    assert subscriber.postcode == "SW1A 1AA"
    assert subscriber.constituency is None  # not in the shipped postcode sample
    event = subscriber.consent_events.get()
    assert event.action == ConsentAction.REQUESTED
    assert event.wording_version == consent.CURRENT_VERSION
    assert event.source == SIGNUP
    assert event.at is not None and event.method


def test_confirmation_email_then_confirm_button_confirms(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    link = confirm_link(message)
    # Opening the link (as a mail scanner would) confirms nothing.
    page = client.get(link)
    assert page.status_code == 200 and b"Yes, send me updates" in page.content
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    done = client.post(link)
    assert done.status_code == 200 and b"You are signed up" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    confirmed = subscriber.consent_events.get(action=ConsentAction.CONFIRMED)
    assert confirmed.wording_version == consent.CURRENT_VERSION
    # Confirming again is harmless: same page, no second event.
    again = client.post(link)
    assert again.status_code == 200 and b"already confirmed" in again.content
    assert subscriber.consent_events.filter(action=ConsentAction.CONFIRMED).count() == 1


def test_same_answer_for_new_pending_confirmed_and_unsubscribed_addresses(
    client, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="confirmed@example.org")
    SubscriberFactory(email="pending@example.org", status=SubscriberStatus.PENDING)
    SubscriberFactory(email="left@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    answers = []
    for email in (
        "brand.new@example.org",
        "pending@example.org",
        "CONFIRMED@example.org",
        "left@example.org",
    ):
        response = sign_up(client, django_capture_on_commit_callbacks, email=email)
        followed = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], followed.content))
    assert len(set(answers)) == 1
    # The confirmed address got nothing; the others a confirmation link each.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "brand.new@example.org",
        "left@example.org",
        "pending@example.org",
    ]


def test_email_is_unique_regardless_of_case(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, email="Mixed.Case@Example.org")
    sign_up(client, django_capture_on_commit_callbacks, email="mixed.case@example.ORG")
    assert Subscriber.objects.get().email == "mixed.case@example.org"
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="MIXED.CASE@EXAMPLE.ORG")


def test_a_second_signup_soon_after_sends_no_second_email(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # an inbox cannot be flooded through the form
    assert ConsentEvent.objects.filter(action=ConsentAction.REQUESTED).count() == 2


def test_honeypot_answers_like_success_but_stores_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(
        client, django_capture_on_commit_callbacks, website="https://spam.example"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("updates:check_email")
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_field_errors_for_bad_input(client):
    response = client.post(
        SIGNUP, form_data(email="not-an-address", postcode="XYZ", consent="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"email", "postcode", "consent"}
    html = response.content.decode()
    for name in errors:  # each field points at its message for screen readers
        assert f'aria-describedby="id_{name}_error"' in html or (
            f'aria-describedby="id_{name}_helptext id_{name}_error"' in html
        )
        assert f'id="id_{name}_error"' in html
    assert not Subscriber.objects.exists()


def test_signups_are_throttled_per_ip(
    client, settings, django_capture_on_commit_callbacks
):
    settings.UPDATES_SIGNUP_LIMIT = 3
    for n in range(3):
        response = sign_up(
            client, django_capture_on_commit_callbacks, email=f"a{n}@example.org"
        )
        assert response.status_code == 302
    blocked = sign_up(
        client, django_capture_on_commit_callbacks, email="a9@example.org"
    )
    assert blocked.status_code == 429
    assert blocked["Retry-After"]
    assert not Subscriber.objects.filter(email="a9@example.org").exists()
    # Another address (IP) is not affected.
    other = client.post(
        SIGNUP, form_data(email="b@example.org"), REMOTE_ADDR="192.0.2.55"
    )
    assert other.status_code == 302


def test_expired_link_offers_a_fresh_one(
    client, settings, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    settings.UPDATES_CONFIRM_MAX_AGE = -1  # every link is now too old
    page = client.get(link)
    assert page.status_code == 200 and b"This link has expired" in page.content
    assert client.post(link).status_code == 200  # shows the expired page again
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    token = link.rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        renewed = client.post(reverse("updates:confirm_resend", args=[token]))
    assert renewed.status_code == 302
    assert len(mail.outbox) == 2
    settings.UPDATES_CONFIRM_MAX_AGE = 3600
    client.post(confirm_link(mail.outbox[1]))
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.TimestampSigner(salt="other.purpose").sign_object({"s": 1, "r": 1}),
        signing.TimestampSigner(salt="updates.confirm", key="wrong-key").sign_object(
            {"s": 1, "r": 1}
        ),
    ],
    # Named, not shown: the signed tokens carry the time they were made.
    ids=["nonsense", "signed-for-another-purpose", "signed-with-another-key"],
)
def test_forged_confirmation_links_are_refused(client, token):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    assert client.get(reverse("updates:confirm", args=[token])).status_code == 404
    assert client.post(reverse("updates:confirm", args=[token])).status_code == 404
    assert (
        client.post(reverse("updates:confirm_resend", args=[token])).status_code == 404
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_confirmation_link_for_someone_elses_request_is_refused(client):
    one = SubscriberFactory(status=SubscriberStatus.PENDING)
    other = SubscriberFactory(status=SubscriberStatus.PENDING)
    mixed = tokens.confirm_token(
        subscriber_id=one.pk, request_id=other.consent_events.get().pk
    )
    assert client.post(reverse("updates:confirm", args=[mixed])).status_code == 404
    one.refresh_from_db()
    assert one.status == SubscriberStatus.PENDING


def test_old_confirmation_link_does_not_resubscribe_after_unsubscribing(
    client, settings, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirm_link(mail.outbox[0])
    client.post(link)
    subscriber = Subscriber.objects.get()
    unsubscribe = tokens.unsubscribe_token(subscriber_id=subscriber.pk)
    client.post(reverse("updates:unsubscribe", args=[unsubscribe]))
    response = client.post(link)
    assert b"Please sign up again" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    # Signing up again needs a fresh confirmation.
    mail.outbox.clear()
    settings.UPDATES_CONFIRM_RESEND_AFTER = 0
    sign_up(client, django_capture_on_commit_callbacks)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert len(mail.outbox) == 1
    client.post(confirm_link(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert list(
        subscriber.consent_events.order_by("pk").values_list("action", flat=True)
    ) == ["requested", "confirmed", "withdrawn", "requested", "confirmed"]


def test_sign_up_records_the_page_it_came_from(
    client, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    home = Page.objects.filter(depth=2).first()
    sign_up(client, django_capture_on_commit_callbacks, source_page=home.pk)
    event = ConsentEvent.objects.get()
    assert event.source == home.get_url()


def test_postcode_is_stored_with_its_constituency(
    client, uk_areas, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, postcode="ab115fd")
    subscriber = Subscriber.objects.get()
    assert subscriber.postcode == "AB11 5FD"
    assert subscriber.constituency.gss_code == "S14000061"


def test_throttle_lets_people_through_when_the_cache_is_down(client, monkeypatch):
    from ops import throttle

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(throttle.cache, "add", broken)
    response = client.post(SIGNUP, form_data(email="still.works@example.org"))
    assert response.status_code == 302
