"""The Updates menu: mailings (write, preview, test, send, progress), subscribers and
their consent evidence export, and the consent log that nobody can change."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from tests.updates.factories import MailingFactory, SubscriberFactory
from updates import consent
from updates.models import (
    ConsentEvent,
    Delivery,
    Mailing,
    MailingStatus,
    SubscriberStatus,
)

pytestmark = pytest.mark.django_db

# The edit form's inline for translations (none here): its management fields.
NO_TRANSLATIONS = {
    "translations-TOTAL_FORMS": "0",
    "translations-INITIAL_FORMS": "0",
    "translations-MIN_NUM_FORMS": "0",
    "translations-MAX_NUM_FORMS": "1000",
}

EDITOR_PERMS = ("add_mailing", "change_mailing", "view_mailing", "view_subscriber")


def url(name, *args):
    return reverse(name, args=args)


def refused(response) -> bool:
    """Wagtail answers a refused admin request with 403, or for a page view with a
    redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_updates_menu_for_permitted_staff_only(admin_client_for, make_staff):
    client = admin_client_for(make_staff("view_mailing", username="reader"))
    assert b"Updates" in client.get(reverse("wagtailadmin_home")).content
    client = admin_client_for(make_staff(username="nobody"))
    assert b"Mailings" not in client.get(reverse("wagtailadmin_home")).content
    assert refused(client.get(url("updates_mailing:index")))


def test_anonymous_users_are_sent_to_sign_in(client):
    mailing = MailingFactory()
    for name, args in [
        ("updates_mailing:index", []),
        ("updates_mailing:preview", [mailing.pk]),
        ("updates_mailing:send", [mailing.pk]),
        ("updates_subscriber:index", []),
        ("updates_consentevent:index", []),
    ]:
        response = client.get(url(name, *args))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_editor_writes_previews_and_test_sends_a_mailing(admin_client_for, make_staff):
    editor = make_staff(*EDITOR_PERMS, username="editor")
    client = admin_client_for(editor)
    response = client.post(
        url("updates_mailing:add"),
        {
            **NO_TRANSLATIONS,
            "subject": "Meeting in the town hall",
            "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
            '"Come along on Thursday.", "depth": 0, "inlineStyleRanges": [], '
            '"entityRanges": []}], "entityMap": {}}',
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    mailing = Mailing.objects.get()
    assert mailing.created_by == editor and mailing.status == MailingStatus.DRAFT

    preview = client.get(url("updates_mailing:preview", mailing.pk))
    assert preview.status_code == 200
    assert b"Come along on Thursday." in preview.content
    assert b"Unsubscribe" in preview.content

    client.post(url("updates_mailing:send_test", mailing.pk))
    [test_copy] = mail.outbox
    assert test_copy.to == [editor.email]
    assert test_copy.subject == "[Test] Meeting in the town hall"
    assert test_copy.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT  # a test sends nothing else


def test_sending_needs_the_send_permission(admin_client_for, make_staff):
    SubscriberFactory()
    mailing = MailingFactory()
    client = admin_client_for(make_staff(*EDITOR_PERMS, username="writer"))
    assert refused(client.get(url("updates_mailing:send", mailing.pk)))
    assert refused(client.post(url("updates_mailing:send", mailing.pk)))
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT
    assert mail.outbox == []


def test_sender_sends_and_sees_progress(
    admin_client_for, make_staff, django_capture_on_commit_callbacks
):
    for _ in range(3):
        SubscriberFactory()
    SubscriberFactory(status=SubscriberStatus.PENDING)
    mailing = MailingFactory(subject="Progress check")
    client = admin_client_for(make_staff(*EDITOR_PERMS, "send_mailing", username="s"))
    confirm = client.get(url("updates_mailing:send", mailing.pk))
    assert b"<strong>3</strong> confirmed subscribers" in confirm.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("updates_mailing:send", mailing.pk))
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    assert Delivery.objects.filter(mailing=mailing).count() == 3

    inspect = client.get(url("updates_mailing:inspect", mailing.pk)).content.decode()
    assert "<dt>Sent</dt><dd>3</dd>" in inspect
    listing = client.get(url("updates_mailing:index")).content.decode()
    assert "Progress check" in listing
    # Sending twice is refused: it went already.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("updates_mailing:send", mailing.pk))
    assert len(mail.outbox) == 3


def test_sent_mailing_cannot_be_edited_or_deleted(admin_client_for, make_staff):
    mailing = MailingFactory(status=MailingStatus.SENT)
    client = admin_client_for(
        make_staff(*EDITOR_PERMS, "delete_mailing", username="ed")
    )
    response = client.post(
        url("updates_mailing:edit", mailing.pk),
        {**NO_TRANSLATIONS, "subject": "Changed", "body": "{}"},
    )
    assert response.status_code == 302
    assert refused(client.post(url("updates_mailing:delete", mailing.pk)))
    mailing.refresh_from_db()
    assert mailing.subject != "Changed"


def test_consent_log_is_read_only_in_the_admin(admin_client_for, superuser):
    subscriber = SubscriberFactory()
    event = subscriber.consent_events.first()
    client = admin_client_for(superuser)
    assert client.get(url("updates_consentevent:index")).status_code == 200
    assert client.get(url("updates_consentevent:inspect", event.pk)).status_code == 200
    # Even a superuser cannot add, change or delete evidence.
    assert refused(client.get(url("updates_consentevent:add")))
    assert refused(client.post(url("updates_consentevent:add"), {}))
    assert refused(client.get(url("updates_consentevent:edit", event.pk)))
    assert refused(client.post(url("updates_consentevent:edit", event.pk), {}))
    assert refused(client.post(url("updates_consentevent:delete", event.pk)))
    assert ConsentEvent.objects.filter(pk=event.pk).exists()


def test_consent_events_refuse_changes_in_code_too():
    event = SubscriberFactory().consent_events.first()
    event.method = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    event.refresh_from_db()
    assert event.method != "rewritten"


def test_staff_cannot_add_subscribers_without_consent(admin_client_for, superuser):
    client = admin_client_for(superuser)
    assert refused(client.get(url("updates_subscriber:add")))


def test_subscriber_page_shows_the_consent_log(admin_client_for, superuser):
    subscriber = SubscriberFactory(email="shown@example.org")
    client = admin_client_for(superuser)
    page = client.get(url("updates_subscriber:inspect", subscriber.pk)).content
    assert b"Consent log" in page and b"Requested (signed up)" in page


def test_export_confirmed_subscribers_with_consent_evidence(
    admin_client_for, make_staff, django_assert_max_num_queries
):
    for n in range(5):
        SubscriberFactory(email=f"kept{n}@example.org", name=f"Kept {n}")
    SubscriberFactory(email="left@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    client = admin_client_for(make_staff("view_subscriber", username="exporter"))
    with django_assert_max_num_queries(25):
        response = client.get(
            url("updates_subscriber:index"), {"status": "confirmed", "export": "xlsx"}
        )
        content = b"".join(response.streaming_content)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    header, data = rows[0], rows[1:]
    assert "Consent wording" in header and "Consent confirmed at" in header
    assert len(data) == 5
    record = dict(zip(header, data[0], strict=True))
    assert record["Email"] == "kept0@example.org"
    assert record["Consent wording version"] == consent.CURRENT_VERSION
    assert record["Consent wording"] == consent.wording(consent.CURRENT_VERSION)
    assert record["Signed up on"] == "/updates/signup/"
    assert record["Consent requested at"] and record["Consent confirmed at"]
    assert record["Confirmed how"] == "confirmation link followed, Confirm pressed"
    assert "left@example.org" not in str(rows)


def test_staff_record_an_unsubscribe_request_with_their_name(
    admin_client_for, make_staff
):
    subscriber = SubscriberFactory()
    staff = make_staff("view_subscriber", "change_subscriber", username="helper")
    client = admin_client_for(staff)
    page = client.get(url("updates_subscriber:inspect", subscriber.pk))
    assert b"Unsubscribe at their request" in page.content
    client.post(url("updates_subscriber:unsubscribe", subscriber.pk))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    withdrawal = subscriber.consent_events.get(action="withdrawn")
    assert withdrawal.actor == staff and withdrawal.source == "admin"
    # Someone who may only look cannot.
    reader = admin_client_for(make_staff("view_subscriber", username="looker"))
    other = SubscriberFactory()
    assert refused(reader.post(url("updates_subscriber:unsubscribe", other.pk)))
    other.refresh_from_db()
    assert other.status == SubscriberStatus.CONFIRMED
