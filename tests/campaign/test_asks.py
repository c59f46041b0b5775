"""Constituents asking their candidates: the campaign's message (editable,
personalisable), confirmation by email before anything is sent, sending to the
candidate's public address with the constituent as Reply-To (once), counting
where no address is published, and the limits."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from campaign import selectors, services
from campaign.models import AskStatus, CampaignSettings, ConstituentAsk
from network.models import Area, ContactDetail, Visibility
from tests.cms.test_forms_pattern import assert_pattern
from tests.factories import CandidacyFactory, ContactFactory

pytestmark = pytest.mark.django_db

NAME = "Olu Constituent"
EMAIL = "olu.constituent@example.org"


def seat(name="Blackburn"):
    return Area.objects.get(area_type="constituency", name=name)


@pytest.fixture
def candidacy(uk_areas):
    role = CandidacyFactory(area=seat(), person__name="Cara Candidate")
    ContactFactory(person=role.person, kind="email", value="cara@example.org",
                   visibility=Visibility.PUBLIC)  # fmt: skip
    ContactFactory(person=role.person, kind="email", value="cara.private@example.org",
                   visibility=Visibility.NETWORK)  # fmt: skip
    return role


def form(**extra):
    data = {
        "name": NAME,
        "email": EMAIL,
        "postcode": "BB1 1QR",
        "subject": "Will you call for a ceasefire?",
        "message": "Dear Cara,\n\nPlease call for a ceasefire.\n\n{name}",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def ask(client, capture, candidacy, address="203.0.113.9", **extra):
    with capture(execute=True):
        return client.post(f"/ask/{candidacy.pk}/", form(**extra), REMOTE_ADDR=address)


def confirm(client, capture, message):
    link = re.search(r"https?://\S+(/ask/confirm/\S+/)", message.body).group(1)
    assert client.get(link).status_code == 200  # opening it sends nothing
    with capture(execute=True):
        return client.post(link)


def test_the_page_offers_the_campaigns_message_personalised(client, candidacy):
    settings = CampaignSettings.for_site(Site.objects.get(is_default_site=True))
    settings.ask_message = "Dear {candidate}, people in {constituency} are asking."
    settings.save()
    response = client.get(f"/ask/{candidacy.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dear Cara Candidate, people in Blackburn are asking." in page
    soup = assert_pattern(page)
    assert soup.select_one(".form-consent a").get_text() == "privacy notice"


def test_only_constituents_may_write(client, candidacy):
    response = client.post(f"/ask/{candidacy.pk}/", form(postcode="BB10 1YA"))
    assert response.status_code == 400
    assert_pattern(response.content.decode(), errors=True)
    assert not ConstituentAsk.objects.exists()


def test_confirmed_ask_goes_to_the_public_address_with_reply_to(
    client, candidacy, django_capture_on_commit_callbacks
):
    response = ask(client, django_capture_on_commit_callbacks, candidacy)
    assert response["Location"] == "/ask/check-your-email/"
    (confirmation,) = mail.outbox
    assert confirmation.to == [EMAIL]
    assert "Please call for a ceasefire." in confirmation.body
    assert ConstituentAsk.objects.get().status == AskStatus.PENDING

    confirm(client, django_capture_on_commit_callbacks, confirmation)
    assert len(mail.outbox) == 2
    sent = mail.outbox[1]
    assert sent.to == ["cara@example.org"]  # the public address only
    assert sent.reply_to == [EMAIL]
    assert f"Please call for a ceasefire.\n\n{NAME}" in sent.body
    asked = ConstituentAsk.objects.get()
    assert asked.status == AskStatus.SENT and asked.sent_at

    # Following the link again sends nothing more.
    confirm(client, django_capture_on_commit_callbacks, confirmation)
    assert len(mail.outbox) == 2
    assert services.ask_deliver(ask_id=asked.pk) == AskStatus.SENT
    assert len(mail.outbox) == 2

    page = client.get(f"/where-they-stand/{seat().slug}/").content.decode()
    text = " ".join(BeautifulSoup(page, "html.parser").get_text().split())
    today = timezone.localdate()
    assert f"Asked by 1 constituent through this site, last on {today:%-d %B %Y}" in (
        text
    )
    assert NAME not in page and EMAIL not in page


def test_without_a_public_address_the_ask_is_recorded_and_counted(
    client, uk_areas, django_capture_on_commit_callbacks
):
    silent = CandidacyFactory(area=seat(), person__name="Sam Silent")
    ask(client, django_capture_on_commit_callbacks, silent)
    confirm(client, django_capture_on_commit_callbacks, mail.outbox[0])
    assert len(mail.outbox) == 1  # nothing to send to
    assert ConstituentAsk.objects.get().status == AskStatus.RECORDED
    assert selectors.constituent_asks([silent.pk])[silent.pk].count == 1


def test_one_ask_per_constituent_per_candidate_per_week(
    client, candidacy, django_capture_on_commit_callbacks
):
    first = ask(client, django_capture_on_commit_callbacks, candidacy)
    again = ask(client, django_capture_on_commit_callbacks, candidacy)
    assert first["Location"] == again["Location"]
    assert ConstituentAsk.objects.count() == 1
    ConstituentAsk.objects.update(created_at=timezone.now() - timedelta(days=8))
    ask(client, django_capture_on_commit_callbacks, candidacy)
    assert ConstituentAsk.objects.count() == 2


@override_settings(PLEDGE_BURST_LIMIT=2)
def test_asks_over_the_rate_are_held_and_never_sent(
    client, uk_areas, django_capture_on_commit_callbacks
):
    for _ in range(4):
        role = CandidacyFactory(area=seat())
        response = ask(client, django_capture_on_commit_callbacks, role)
        assert response["Location"] == "/ask/check-your-email/"
    assert ConstituentAsk.objects.filter(held=True).count() == 2
    assert len(mail.outbox) == 2


def test_a_sender_that_stopped_midway_never_sends_twice(
    candidacy, django_capture_on_commit_callbacks
):
    made = services.ask_make(candidacy=candidacy, email=EMAIL, name=NAME,
                             subject="S", message="M")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_confirm(ask_id=made.pk)  # immediate backend: sent at once
    assert len([m for m in mail.outbox if m.to == ["cara@example.org"]]) == 1
    stuck = services.ask_make(
        candidacy=CandidacyFactory(area=seat()), email="x@example.org",
        name="X", subject="S", message="M",
    )  # fmt: skip
    long_ago = timezone.now() - timedelta(hours=1)
    ConstituentAsk.objects.filter(pk=stuck.pk).update(
        status=AskStatus.SENDING, confirmed_at=long_ago
    )
    mail.outbox.clear()
    services.asks_resume_stranded()
    stuck.refresh_from_db()
    assert stuck.status == AskStatus.FAILED and "may have arrived" in stuck.last_error
    assert mail.outbox == []


def test_the_candidates_private_address_is_never_used(candidacy):
    ContactDetail.objects.filter(value="cara@example.org").delete()
    made = services.ask_make(candidacy=candidacy, email=EMAIL, name=NAME,
                             subject="S", message="M")  # fmt: skip
    services.ask_confirm(ask_id=made.pk)
    made.refresh_from_db()
    assert made.status == AskStatus.RECORDED
    assert not [m for m in mail.outbox if "cara.private@example.org" in m.to]
