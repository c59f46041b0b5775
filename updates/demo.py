"""Demo content for the updates list, built by ``manage.py seed_demo``: the sign-up
page, a handful of fictional subscribers with their consent log, and two mailings.
Idempotent: a second run creates nothing."""

from datetime import timedelta

from django.utils import timezone

from network.postcodes import constituency_for_postcode

from . import consent
from .models import (
    ConsentAction,
    ConsentEvent,
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingStatus,
    SignupPage,
    Subscriber,
    SubscriberStatus,
)

# Invented people at example.org; postcodes from the shipped sample.
DEMO_SUBSCRIBERS = [
    ("amara.okafor@example.org", "Amara Okafor", "AB11 5FD", "confirmed"),
    ("tomasz.nowak@example.org", "Tomasz Nowak", "AB16 6TA", "confirmed"),
    ("priya.raman@example.org", "Priya Raman", "", "confirmed"),
    ("owen.pritchard@example.org", "", "AB22 8AH", "confirmed"),
    ("leila.haddad@example.org", "Leila Haddad", "AB15 9LD", "confirmed"),
    ("gareth.ellis@example.org", "Gareth Ellis", "", "pending"),
    ("sinead.byrne@example.org", "Sinéad Byrne", "", "unsubscribed"),
]

WELCOME_BODY = (
    "<p>Thank you for signing up. A few times a month we will write with news "
    "from the network: who is standing where, events near you and ways to help.</p>"
    "<ul><li>Meet local organisers at an open evening.</li>"
    "<li>Ask your candidates where they stand.</li></ul>"
)
DRAFT_BODY = (
    "<h2>Open evenings this month</h2><p>Local groups are holding open evenings "
    "for anyone who wants to help. Bring a friend.</p>"
)


def seed_updates(*, home) -> list[str]:
    """Create the demo list under ``home``. Returns report lines."""
    lines = []
    if not SignupPage.objects.exists():
        page = SignupPage(
            title="Get updates",
            slug="get-updates",
            intro=(
                "<p>News of statements and conference sessions by email, a few "
                "times a month. You can unsubscribe with one click from any "
                "email.</p>"
            ),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        lines.append(
            "Updates: sign-up page at /updates/signup/ (words from /get-updates/)"
        )
    created = 0
    start = timezone.now() - timedelta(days=30)
    for n, (email, name, postcode, status) in enumerate(DEMO_SUBSCRIBERS):
        if Subscriber.objects.filter(email=email).exists():
            continue
        asked = start + timedelta(days=n, hours=9)
        subscriber = Subscriber.objects.create(
            email=email,
            name=name,
            postcode=postcode,
            constituency=constituency_for_postcode(postcode) if postcode else None,
            status=status,
            created_at=asked,
            confirmed_at=asked + timedelta(minutes=7) if status != "pending" else None,
            left_at=asked + timedelta(days=3) if status == "unsubscribed" else None,
        )
        _log(subscriber, ConsentAction.REQUESTED, asked, "/updates/signup/")
        if status != SubscriberStatus.PENDING:
            _log(
                subscriber,
                ConsentAction.CONFIRMED,
                asked + timedelta(minutes=7),
                "confirmation email",
            )
        if status == SubscriberStatus.UNSUBSCRIBED:
            _log(
                subscriber,
                ConsentAction.WITHDRAWN,
                asked + timedelta(days=3),
                "unsubscribe link in an email",
            )
        created += 1
    if created:
        lines.append(f"Updates: {created} demo subscribers with their consent log")
    if not Mailing.objects.filter(subject="Welcome to the updates list").exists():
        sent_at = timezone.now() - timedelta(days=2)
        welcome = Mailing.objects.create(
            subject="Welcome to the updates list",
            body=WELCOME_BODY,
            status=MailingStatus.SENT,
            queued_at=sent_at,
            recipients_listed_at=sent_at,
            finished_at=sent_at + timedelta(minutes=1),
        )
        Delivery.objects.bulk_create(
            Delivery(
                mailing=welcome,
                subscriber=subscriber,
                status=DeliveryStatus.SENT,
                attempts=1,
                sent_at=sent_at,
            )
            for subscriber in Subscriber.objects.filter(
                status=SubscriberStatus.CONFIRMED, email__endswith="@example.org"
            )
        )
        Mailing.objects.create(subject="Open evenings this month", body=DRAFT_BODY)
        lines.append("Updates: a sent mailing and a draft")
    return lines


def _log(subscriber, action, at, source):
    ConsentEvent.objects.create(
        subscriber=subscriber,
        action=action,
        at=at,
        source=source,
        wording_version=(
            consent.CURRENT_VERSION if action != ConsentAction.WITHDRAWN else ""
        ),
        method={
            ConsentAction.REQUESTED: "sign-up form, consent box ticked",
            ConsentAction.CONFIRMED: "confirmation link followed, Confirm pressed",
            ConsentAction.WITHDRAWN: "unsubscribe page, button pressed",
        }[action],
    )
