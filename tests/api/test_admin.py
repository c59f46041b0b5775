"""Partner organisations and keys in the Wagtail admin: a key is shown once."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import PartnerKey, PartnerOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return PartnerOrganisation.objects.create(
        name="Solidarity Campaign",
        contact_email="tech@example.org",
        scope="network",
        rate_limit="500/hour",
    )


def test_creating_a_key_shows_it_once_and_stores_only_its_hash(
    superuser, admin_client_for, organisation
):
    client = admin_client_for(superuser)
    response = client.post(
        reverse("partner_keys:add"),
        {"organisation": organisation.pk, "name": "Website sync", "expiry_date": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = PartnerKey.objects.get()
    shown = re.search(
        rf'value="({re.escape(key.prefix)}\.[A-Za-z0-9]+)"', response.content.decode()
    ).group(1)
    assert shown not in key.hashed_key
    # It works, once, and is nowhere to be seen again.
    api = APIClient(HTTP_AUTHORIZATION=f"Api-Key {shown}")
    assert api.get("/api/v1/people/").status_code == 200
    listing = client.get(reverse("partner_keys:index")).content.decode()
    edit = client.get(reverse("partner_keys:edit", args=[key.pk])).content.decode()
    assert key.prefix in listing
    assert shown not in listing and shown not in edit


def test_revoking_a_key_in_the_admin_stops_it(superuser, admin_client_for, make_key):
    raw = make_key("public")
    key = PartnerKey.objects.get()
    client = admin_client_for(superuser)
    response = client.post(
        reverse("partner_keys:edit", args=[key.pk]),
        {
            "organisation": key.organisation_id,
            "name": key.name,
            "expiry_date": "",
            "revoked": "on",
        },
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked
    api = APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert api.get("/api/v1/people/").status_code == 401


def test_rate_limits_are_checked(superuser, admin_client_for):
    client = admin_client_for(superuser)
    response = client.post(
        reverse("partner_organisations:add"),
        {
            "name": "Typo Org",
            "contact_email": "a@example.org",
            "scope": "public",
            "rate_limit": "lots",
        },
    )
    assert response.status_code == 200
    assert not PartnerOrganisation.objects.filter(name="Typo Org").exists()


def test_staff_without_permission_cannot_see_keys(make_staff, admin_client_for):
    client = admin_client_for(make_staff())
    response = client.get(reverse("partner_keys:index"))
    assert response.status_code in (302, 403)


# ------------------------------------------------------------------ webhooks


def test_coordinators_register_a_webhook_and_see_its_secret_once(
    superuser, admin_client_for, organisation
):
    from api.webhooks import services as webhook_services
    from api.webhooks.models import WebhookEndpoint

    client = admin_client_for(superuser)
    response = client.post(
        reverse("webhook_endpoints:add"),
        {
            "organisation": organisation.pk,
            "url": "http://127.0.0.1:9/in",
            "description": "Their CRM",
            "event_types": ["person.created", "person.removed"],
            "enabled": "on",
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert "no-store" in response["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get()
    secret = re.search(r'value="(whsec_[^"]+)"', response.content.decode()).group(1)
    assert webhook_services.signing_secrets(endpoint) == [secret]
    assert endpoint.event_types == ["person.created", "person.removed"]
    listing = client.get(reverse("webhook_endpoints:index")).content.decode()
    edit = client.get(reverse("webhook_endpoints:edit", args=[endpoint.pk]))
    assert "127.0.0.1:9/in" in listing
    assert secret not in listing and secret not in edit.content.decode()


def test_the_admin_refuses_private_targets(superuser, admin_client_for, organisation):
    from django.test import override_settings

    from api.webhooks.models import WebhookEndpoint

    client = admin_client_for(superuser)
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False):
        response = client.post(
            reverse("webhook_endpoints:add"),
            {
                "organisation": organisation.pk,
                "url": "https://169.254.169.254/latest",
                "event_types": ["person.created"],
                "enabled": "on",
            },
        )
    assert response.status_code == 200
    assert "private, loopback or link-local" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_coordinators_read_the_delivery_log_and_replay(
    superuser, admin_client_for, organisation
):
    from api.webhooks import services as webhook_services
    from api.webhooks.models import WebhookDelivery, WebhookEvent

    endpoint, _ = webhook_services.endpoint_create(
        organisation=organisation, url="http://127.0.0.1:9/in"
    )
    event = WebhookEvent.objects.create(type="person.updated")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        status="failed",
        attempts=12,
        last_error="The receiver answered 500.",
    )
    client = admin_client_for(superuser)
    listing = client.get(reverse("webhook_deliveries:index")).content.decode()
    assert "The receiver answered 500." in listing
    response = client.post(reverse("webhook_deliveries:edit", args=[delivery.pk]), {})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
