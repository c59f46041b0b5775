"""The pledge in the site's languages: the current version's translation on a
translated page, English (marked as English) where there is none, and the
pledge's language kept for its confirmation email."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError

from campaign import services
from campaign.models import ConstituentAsk, Pledge, PledgeWording
from network.models import Area
from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db

URDU_TITLE = "جنگ بندی نہیں تو ووٹ نہیں"


def urdu(wording, **changes):
    fields = {
        "version": wording.version,
        "language": "ur",
        "title": URDU_TITLE,
        "statement": "میرا ووٹ کسی ایسے امیدوار کو نہیں ملے گا۔",
        "consent": "مجھے منظور ہے۔",
    }
    fields.update(changes)
    return PledgeWording.objects.create(**fields)


def pledge_form(**extra):
    data = {
        "name": "Nadia Voter",
        "email": "nadia@example.org",
        "postcode": "bb1 1qr",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def test_a_translated_page_shows_the_current_versions_translation(
    client, wording, uk_areas
):
    translated = urdu(wording)
    soup = BeautifulSoup(client.get("/ur/pledge/").content, "html.parser")
    assert soup.h1.get_text() == URDU_TITLE
    assert soup.h1.get("lang") is None  # Urdu on an Urdu page: nothing to mark
    assert translated.statement in soup.select_one(".pledge-statement").get_text()
    assert soup.select_one(".form-consent label").get_text() == translated.consent
    # English readers keep the English words.
    english = BeautifulSoup(client.get("/pledge/").content, "html.parser")
    assert english.h1.get_text() == wording.title


def test_without_a_translation_the_english_words_are_marked_english(
    client, wording, uk_areas
):
    urdu(wording)  # Urdu only: the Welsh page has no translation
    soup = BeautifulSoup(client.get("/cy/pledge/").content, "html.parser")
    assert soup.html["lang"] == "cy"
    assert soup.h1.get_text() == wording.title
    assert soup.h1["lang"] == "en-GB"
    assert soup.select_one(".pledge-statement")["lang"] == "en-GB"
    consent = soup.select_one(".form-consent label")
    assert consent.get_text() == wording.consent and consent["lang"] == "en-GB"
    # The page around them is Welsh.
    button = soup.select_one(".pledge-form button[type=submit]")
    assert button.get_text() == "Gwneud yr addewid"


def test_a_translation_of_an_older_version_is_not_shown(client, wording, uk_areas):
    urdu(wording)
    newer = PledgeWording.objects.create(
        version="2027-01", statement="I pledge anew.", consent="I agree anew."
    )
    assert services.current_wording() == newer
    soup = BeautifulSoup(client.get("/ur/pledge/").content, "html.parser")
    assert soup.h1["lang"] == "en-GB"
    assert "I pledge anew." in soup.select_one(".pledge-statement").get_text()


def test_a_translation_needs_the_english_version_it_translates(wording):
    orphan = PledgeWording(
        version="no-such-version", language="ur", statement="x", consent="y"
    )
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert "version" in error.value.message_dict


def test_the_pledge_keeps_its_language_and_words_and_emails_in_them(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    translated = urdu(wording)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ur/pledge/", pledge_form())
    assert response.status_code == 302
    assert response["Location"] == "/ur/pledge/check-your-email/"
    pledge = Pledge.objects.get()
    assert pledge.language == "ur"
    assert pledge.wording == translated  # the words the person saw
    assert services.current_wording() == wording  # the version is the English one
    message = mail.outbox[0]
    assert message.subject == f"براہ کرم اپنے عہد کی تصدیق کریں: {URDU_TITLE}"
    assert "Confirm" not in message.body and "Hello" not in message.body
    link = re.search(r"https?://\S+/confirm/\S+/", message.body).group(0)
    assert "/ur/pledge/confirm/" in link  # the confirmation page is Urdu too
    html = message.alternatives[0][0]
    assert '<html lang="ur" dir="rtl">' in html


def test_a_welsh_pledge_without_a_welsh_wording_keeps_english_words_welsh_email(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cy/pledge/", pledge_form())
    pledge = Pledge.objects.get()
    assert pledge.language == "cy" and pledge.wording == wording
    assert mail.outbox[0].body.startswith("Helo Nadia Voter,")


def test_an_english_pledge_records_no_language(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pledge/", pledge_form())
    assert Pledge.objects.get().language == ""
    assert mail.outbox[0].subject.startswith("Please confirm your pledge")


def test_an_ask_is_confirmed_in_the_language_it_was_written_in(
    client, uk_areas, django_capture_on_commit_callbacks
):
    seat = Area.objects.get(area_type="constituency", name="Blackburn")
    candidacy = CandidacyFactory(area=seat, person__name="Bea Backer")
    page = client.get(f"/bn/ask/{candidacy.pk}/").content.decode()
    assert "Write to" not in page and "Check and send" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/bn/ask/{candidacy.pk}/",
            pledge_form(subject="Ceasefire", message="Please call for one."),
        )
    ask = ConstituentAsk.objects.get()
    assert ask.language == "bn"
    message = mail.outbox[0]
    assert "Bea Backer" in message.subject and "confirm" not in message.subject
    assert "/bn/ask/confirm/" in message.body
