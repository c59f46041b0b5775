"""Factories for subscribers and mailings, with the consent events real ones have."""

from datetime import timedelta

import factory
from django.utils import timezone

from updates import consent
from updates.models import (
    ConsentAction,
    ConsentEvent,
    Mailing,
    Subscriber,
    SubscriberStatus,
)


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber, with the request and confirmation that made them one."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = SubscriberStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def events(obj, create, extracted, **kwargs):
        if not create:
            return
        day = timezone.now() - timedelta(days=1)  # signed up yesterday
        ConsentEvent.objects.create(
            subscriber=obj,
            at=day,
            action=ConsentAction.REQUESTED,
            source="/updates/signup/",
            wording_version=consent.CURRENT_VERSION,
            method="sign-up form, consent box ticked",
        )
        if obj.status in (SubscriberStatus.CONFIRMED, SubscriberStatus.UNSUBSCRIBED):
            ConsentEvent.objects.create(
                subscriber=obj,
                at=day + timedelta(minutes=5),
                action=ConsentAction.CONFIRMED,
                source="confirmation email",
                wording_version=consent.CURRENT_VERSION,
                method="confirmation link followed, Confirm pressed",
            )
        if obj.status == SubscriberStatus.UNSUBSCRIBED:
            ConsentEvent.objects.create(
                subscriber=obj,
                at=day + timedelta(hours=1),
                action=ConsentAction.WITHDRAWN,
                source="unsubscribe link in an email",
                method="unsubscribe page, button pressed",
            )


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mailing

    subject = factory.Sequence(lambda n: f"Update number {n}")
    body = (
        '<p>Hello from the network. Read <a href="https://example.org/news">the news'
        "</a>.</p><ul><li>First point</li><li>Second point</li></ul>"
    )


def bulk_subscribers(n: int, *, status=SubscriberStatus.CONFIRMED, prefix="bulk"):
    """Many subscribers at once (no consent events: sending does not read them)."""
    Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{i}@example.org", status=status) for i in range(n)
    )
    return Subscriber.objects.filter(email__startswith=prefix)
