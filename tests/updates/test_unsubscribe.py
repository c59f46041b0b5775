"""Leaving: RFC 8058 one-click POST, a GET that changes nothing, forged links."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests.updates.factories import SubscriberFactory
from updates import tokens
from updates.models import ConsentAction, SubscriberStatus

pytestmark = pytest.mark.django_db


def unsubscribe_url(subscriber):
    return reverse(
        "updates:unsubscribe",
        args=[tokens.unsubscribe_token(subscriber_id=subscriber.pk)],
    )


def test_one_click_post_without_cookies_or_csrf_unsubscribes_with_200():
    subscriber = SubscriberFactory()
    # A mail client: no session, no CSRF cookie or token, checks enforced.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_url(subscriber),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200  # not a redirect
    assert b"You are unsubscribed" in response.content
    assert not response.cookies  # sets nothing either
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.left_at is not None
    withdrawal = subscriber.consent_events.get(action=ConsentAction.WITHDRAWN)
    assert withdrawal.method == "one-click unsubscribe from the email client"


def test_get_shows_a_button_and_changes_nothing(client):
    subscriber = SubscriberFactory()
    response = client.get(unsubscribe_url(subscriber))
    assert response.status_code == 200
    assert b'<button type="submit" class="button">Unsubscribe</button>' in (
        response.content
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert not subscriber.consent_events.filter(action=ConsentAction.WITHDRAWN).exists()


def test_button_on_the_page_unsubscribes_once(client):
    subscriber = SubscriberFactory()
    url = unsubscribe_url(subscriber)
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200  # twice: harmless
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    withdrawals = subscriber.consent_events.filter(action=ConsentAction.WITHDRAWN)
    assert withdrawals.count() == 1
    assert withdrawals.get().method == "unsubscribe page, button pressed"


@pytest.mark.parametrize(
    "token",
    [
        "12",
        signing.Signer(salt="updates.confirm").sign("1"),
        signing.Signer(salt="updates.unsubscribe", key="not-our-key").sign("1"),
    ],
)
def test_forged_unsubscribe_links_change_nothing(client, token):
    subscriber = SubscriberFactory()
    url = reverse("updates:unsubscribe", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_pending_address_can_withdraw_its_request(client):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    client.post(unsubscribe_url(subscriber))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
