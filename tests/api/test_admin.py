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
