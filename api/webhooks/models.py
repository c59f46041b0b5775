"""Partners' webhook endpoints, the events recorded for them, and deliveries.

An event is recorded in the same transaction as the change that caused it, with
one delivery row per subscribed endpoint (unique per endpoint and event), so a
change that commits always has its deliveries and one that rolls back has none.
A delivery's ``public_id`` is the ``webhook-id`` header: it stays the same across
retries and replays, so a receiver that remembers the ids it has handled never
acts on one twice.
"""

import uuid

from django.db import models
from django.utils import timezone

from ..models import PartnerOrganisation


class EventType(models.TextChoices):
    PERSON_CREATED = "person.created", "A person was added"
    PERSON_UPDATED = "person.updated", "A person changed"
    PERSON_REMOVED = "person.removed", "A person left your view"
    STANCE_RECORDED = "stance.recorded", "A candidate's stance event was recorded"
    PLEDGE_COUNTS_CHANGED = "pledge.counts_changed", "Pledge counts changed"


def all_event_types() -> list[str]:
    return list(EventType.values)


class WebhookEndpoint(models.Model):
    """An address of a partner organisation that receives signed events."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(
        "address",
        max_length=500,
        help_text="Where events are posted: https, on a public address.",
    )
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(
        default=all_event_types,
        help_text="The event types sent to this address.",
    )
    # The signing secret, encrypted (see secrets.py): the site must sign with it,
    # so it cannot be kept as a hash like an API key.
    secret_encrypted = models.TextField(editable=False)
    # After a rotation the previous secret also signs until this time, so a
    # receiver can switch over without missing a message.
    previous_secret_encrypted = models.TextField(blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        null=True, blank=True, editable=False
    )
    enabled = models.BooleanField(
        default=True,
        help_text="Untick to stop sending; deliveries wait and can be replayed.",
    )
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When deliveries began failing without a success since.",
    )
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "created_at", "pk"]
        verbose_name = "webhook endpoint"
        indexes = [models.Index(fields=["enabled"])]

    def __str__(self):
        return f"{self.organisation}: {self.url}"


class WebhookEvent(models.Model):
    """Something that happened, once, whoever is told about it."""

    type = models.CharField(max_length=30, choices=EventType.choices)
    # The person it is about, by public id (it outlives a deletion), and by
    # primary key to read their current document when sending.
    person_public_id = models.UUIDField(null=True, blank=True)
    person_pk = models.IntegerField(null=True, blank=True)
    stance_event_pk = models.IntegerField(null=True, blank=True)
    # For removals: whether the person had a public profile, and why they left.
    was_public = models.BooleanField(default=False)
    # Extra facts the event carries as they were (e.g. pledge counts).
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.type} {self.person_public_id or ''} at {self.occurred_at:%c}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    RETRY = "retry", "Failed, will be retried"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed, gave up"
    SKIPPED = "skipped", "Nothing this partner may see"


WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRY)


class WebhookDelivery(models.Model):
    """One event for one endpoint: the delivery log partners and coordinators
    read."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A sender's claim: while it runs, nobody else sends this row; a sender that
    # died leaves it to run out, and the row is sent again with the same id.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event"], name="webhook_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event.type} to {self.endpoint.url}: {self.status}"

    @property
    def message_id(self) -> str:
        """The ``webhook-id`` header: the same for every attempt."""
        return f"msg_{self.public_id.hex}"
