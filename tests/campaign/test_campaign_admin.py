"""The Campaign menu: candidacies with their stance, recording stance events."""

from datetime import date

import pytest
from django.urls import reverse

from campaign.models import StanceEvent, StanceKind
from campaign.services import stance_record
from tests.conftest import sign_in_with_mfa
from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db


def test_candidacies_listing_shows_derived_state_and_filters(
    client, superuser, uk_areas
):
    asked = CandidacyFactory(person__name="Asked Twice")
    stance_record(candidacy=asked, kind="asked", method="email",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    stance_record(candidacy=asked, kind="chased", method="phone",
                  occurred_on=date(2024, 6, 9), actor=None)  # fmt: skip
    CandidacyFactory(person__name="Never Asked")
    sign_in_with_mfa(client, superuser)
    url = reverse("candidacies:index")
    page = client.get(url).content.decode()
    assert "Asked Twice" in page and "Never Asked" in page
    assert "Asked, no reply" in page and "Not asked yet" in page
    only_asked = client.get(url, {"state": "no_reply"}).content.decode()
    assert "Asked Twice" in only_asked and "Never Asked" not in only_asked
    refused = client.get(reverse("candidacies:add"))  # edited on the person instead
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_recording_an_event_in_the_admin(client, superuser, uk_areas):
    candidacy = CandidacyFactory(person__name="Ms Reply")
    sign_in_with_mfa(client, superuser)
    add = reverse("stance_events:add")
    form = client.get(add, {"candidacy": candidacy.pk}).content.decode()
    assert "Ms Reply - Blackburn" in form
    response = client.post(add, {
        "candidacy": candidacy.pk, "kind": "replied", "occurred_on": "2024-06-02",
        "position": "ceasefire", "quote": "Yes, now.", "evidence_url": "",
        "method": "", "asked_by": "",
    })  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert "A reply needs a link to the evidence." in response.content.decode()
    assert not StanceEvent.objects.exists()
    response = client.post(add, {
        "candidacy": candidacy.pk, "kind": "replied", "occurred_on": "2024-06-02",
        "position": "ceasefire", "quote": "Yes, now.", "method": "email",
        "evidence_url": "https://example.org/reply", "asked_by": "",
    })  # fmt: skip
    assert response.status_code == 302
    event = StanceEvent.objects.get()
    assert event.recorded_by == superuser
    assert event.kind == StanceKind.REPLIED


def test_campaign_menu_refuses_people_without_permission(client, make_staff):
    sign_in_with_mfa(client, make_staff(username="nobody"))
    for name in ("candidacies:index", "stance_events:index", "stance_events:add"):
        assert client.get(reverse(name)).status_code in (302, 403)


def test_editing_or_deleting_an_event_in_the_admin_updates_the_public_page(
    client, superuser, uk_areas, settings, django_capture_on_commit_callbacks
):
    """The constituency page is cached for the public; a correction made in the
    admin shows there at once, not when the cached copy expires."""
    from django.core.cache import cache
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    candidacy = CandidacyFactory(person__name="Ms Reply")
    event = stance_record(
        candidacy=candidacy, kind="replied", occurred_on=date(2024, 6, 2),
        position="ceasefire", quote="Yes, now.", method="email",
        evidence_url="https://example.org/reply", actor=None,
    )  # fmt: skip
    public = Client()
    url = reverse("stances:constituency", args=[candidacy.area.slug])
    assert "Yes, now." in public.get(url).content.decode()
    assert public.get(url)["X-Page-Cache"] == "hit"

    sign_in_with_mfa(client, superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stance_events:edit", args=[event.pk]), {
            "candidacy": candidacy.pk, "kind": "replied", "occurred_on": "2024-06-02",
            "position": "ceasefire", "quote": "Yes, and at once.", "method": "email",
            "evidence_url": "https://example.org/reply", "asked_by": "",
        })  # fmt: skip
    assert response.status_code == 302
    page = public.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Yes, and at once." in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stance_events:delete", args=[event.pk]))
    assert response.status_code == 302
    assert not StanceEvent.objects.exists()
    assert "Yes, and at once." not in public.get(url).content.decode()
    cache.clear()
