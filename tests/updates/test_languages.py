"""Mail in the reader's language: the confirmation in the language of the page
they signed up on, and each mailing in its translation for their language, or in
English when it has none."""

import pytest
from django.core import mail

from tests.updates.factories import MailingFactory, SubscriberFactory
from updates import services
from updates.models import MailingTranslation, Subscriber

pytestmark = pytest.mark.django_db


def sign_up(client, path, email, capture):
    with capture(execute=True):
        response = client.post(path, {"email": email, "consent": "on"})
    assert response.status_code == 302
    return Subscriber.objects.get(email=email)


def test_signing_up_on_an_urdu_page_brings_the_confirmation_in_urdu(
    client, django_capture_on_commit_callbacks
):
    subscriber = sign_up(
        client,
        "/ur/updates/signup/",
        "urdu@example.org",
        django_capture_on_commit_callbacks,
    )
    assert subscriber.language == "ur"
    [message] = mail.outbox
    assert message.subject == "براہ کرم تصدیق کریں: No Ceasefire No Vote کی تازہ خبریں"
    html = message.alternatives[0][0]
    assert '<html lang="ur" dir="rtl">' in html
    assert "میرے سائن اپ کی تصدیق کریں" in html  # "Confirm my sign-up"
    # The link leads to the confirmation page in Urdu.
    assert "/ur/updates/confirm/" in message.body


def test_signing_up_in_english_or_welsh(client, django_capture_on_commit_callbacks):
    english = sign_up(
        client, "/updates/signup/", "en@example.org", django_capture_on_commit_callbacks
    )
    welsh = sign_up(
        client,
        "/cy/updates/signup/",
        "cy@example.org",
        django_capture_on_commit_callbacks,
    )
    assert (english.language, welsh.language) == ("en-gb", "cy")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert (
        subjects["en@example.org"]
        == "Please confirm: updates from No Ceasefire No Vote"
    )
    assert subjects["cy@example.org"].startswith("Cadarnhewch")


def test_a_mailing_goes_out_in_each_readers_language_or_english(
    smtp_server, django_capture_on_commit_callbacks
):
    mailing = MailingFactory(subject="Conference news")
    MailingTranslation.objects.create(
        mailing=mailing,
        language="ur",
        subject="کانفرنس کی خبریں",
        body="<p>نیٹ ورک کی طرف سے سلام۔</p>",
    )
    SubscriberFactory(email="ur@example.org", language="ur")
    SubscriberFactory(email="bn@example.org", language="bn")  # no Bengali copy
    SubscriberFactory(email="none@example.org", language="")
    with django_capture_on_commit_callbacks(execute=True):
        services.mailing_queue(mailing=mailing, actor=None)

    received = {rcpts[0]: message for rcpts, message in smtp_server.messages}
    assert set(received) == {"ur@example.org", "bn@example.org", "none@example.org"}
    urdu = received["ur@example.org"]
    assert urdu["Subject"] == "کانفرنس کی خبریں"
    parts = {p.get_content_type(): p.get_content() for p in urdu.iter_parts()}
    assert "نیٹ ورک کی طرف سے سلام۔" in parts["text/html"]
    assert '<html lang="ur" dir="rtl">' in parts["text/html"]
    assert "ان سبسکرائب کریں" in parts["text/html"]  # "Unsubscribe", in Urdu
    for address in ("bn@example.org", "none@example.org"):
        english = received[address]
        assert english["Subject"] == "Conference news"
        html = [p for p in english.iter_parts() if p.get_content_type() == "text/html"]
        assert '<html lang="en-GB" dir="ltr">' in html[0].get_content()


def test_an_event_registration_on_a_welsh_page_is_answered_in_welsh(client, site_pages):
    from cms.models import Registration
    from cms.services import page_translation_publish

    page_translation_publish(page=site_pages.home, language="cy", fields={})
    welsh = page_translation_publish(
        page=site_pages.event, language="cy", fields={"title": "Cynhadledd brawf"}
    )
    response = client.post(
        welsh.registration_url(),
        {"name": "Ada Example", "email": "ada@example.org"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/cy/")
    registration = Registration.objects.get(email="ada@example.org")
    assert registration.language == "cy"
    [message] = mail.outbox
    assert message.subject == "Eich lle yn Cynhadledd brawf"
    assert "Diolch am gofrestru" in message.body
    assert "/cy/events/test-conference/" in message.body
