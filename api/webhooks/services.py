"""Writes for webhooks: endpoints, secrets, events and their deliveries."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import PartnerOrganisation
from . import secrets, targets
from .models import (
    WAITING,
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

# ------------------------------------------------------------------ endpoints


def _validate(endpoint: WebhookEndpoint) -> None:
    errors = {}
    try:
        targets.check(endpoint.url)
    except targets.TargetRefused as refused:
        errors["url"] = [str(refused)]
    types = endpoint.event_types
    if (
        not isinstance(types, list)
        or not types
        or any(t not in EventType.values for t in types)
    ):
        errors["event_types"] = [
            "Choose one or more of: " + ", ".join(EventType.values) + "."
        ]
    if errors:
        raise ValidationError(errors)
    endpoint.event_types = sorted(set(types))


def endpoint_create(
    *,
    organisation: PartnerOrganisation,
    url: str,
    event_types: list[str] | None = None,
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret, which is returned this once."""
    secret = secrets.new_secret()
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=url,
        description=description,
        event_types=list(EventType.values) if event_types is None else event_types,
        secret_encrypted=secrets.encrypt(secret),
    )
    _validate(endpoint)
    endpoint.full_clean()
    with transaction.atomic():
        endpoint.save()
    return endpoint, secret


def endpoint_update(*, endpoint: WebhookEndpoint, data: dict) -> WebhookEndpoint:
    """Change the address, description, event types or whether it is enabled.
    Enabling a disabled endpoint clears its failure record."""
    for name in ("url", "description", "event_types", "enabled"):
        if name in data:
            setattr(endpoint, name, data[name])
    _validate(endpoint)
    endpoint.full_clean()
    if endpoint.enabled:
        if endpoint.disabled_at is not None:
            endpoint.failing_since = None
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    with transaction.atomic():
        endpoint.save()
        if endpoint.enabled:
            _wake(endpoint)
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, returned this once. The old one keeps signing alongside it
    for ``WEBHOOKS_SECRET_GRACE_HOURS``, so the receiver can switch over."""
    secret = secrets.new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = timezone.now() + timedelta(
        hours=settings.WEBHOOKS_SECRET_GRACE_HOURS
    )
    endpoint.secret_encrypted = secrets.encrypt(secret)
    endpoint.save(
        update_fields=[
            "previous_secret_encrypted",
            "previous_secret_expires_at",
            "secret_encrypted",
            "updated_at",
        ]
    )
    return secret


def signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous
    one during its grace period."""
    found = [secrets.decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.previous_secret_encrypted
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > timezone.now()
    ):
        found.append(secrets.decrypt(endpoint.previous_secret_encrypted))
    return found


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> bool:
    """Stop sending to an endpoint and tell the partner's contact. False when it
    was already disabled."""
    now = timezone.now()
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_at=now, disabled_reason=reason[:255], updated_at=now
    )
    if not changed:
        return False
    endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = (
        False,
        now,
        reason[:255],
    )
    organisation = endpoint.organisation
    send_mail(
        subject="Your webhook endpoint has been switched off",
        message=(
            f"Hello {organisation.contact_name or organisation.name},\n\n"
            f"Deliveries to your webhook endpoint\n\n    {endpoint.url}\n\n"
            f"have failed since {endpoint.failing_since:%d %B %Y %H:%M} UTC, so "
            "we have stopped sending to it. Reason: "
            f"{reason}\n\nEvents since then are kept. When the receiver works "
            "again, enable the endpoint (PATCH /api/v1/webhooks/{id} with "
            '{"enabled": true}, or ask us) and replay the failed deliveries from '
            "its delivery log.\n\nNo Ceasefire No Vote\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[organisation.contact_email],
    )
    return True


# ------------------------------------------------------------------ deliveries


def delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same ``webhook-id`` (a receiver that
    already handled it will know)."""
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        lease_expires_at=None,
        last_error="",
    )
    delivery.refresh_from_db()
    _enqueue([delivery.pk])
    return delivery


def _wake(endpoint: WebhookEndpoint) -> None:
    """Queue the deliveries an enabled endpoint has waiting."""
    waiting = list(
        endpoint.deliveries.filter(status__in=WAITING).values_list("pk", flat=True)
    )
    _enqueue(waiting)


def _enqueue(delivery_ids: list[int]) -> None:
    if not delivery_ids:
        return

    def send():
        from .tasks import deliver_webhook

        for pk in delivery_ids:
            deliver_webhook.enqueue(pk)

    transaction.on_commit(send)


# ------------------------------------------------------------------ events


class _Batch:
    """The events recorded in one transaction, so that a change touching a
    person several times (a form saving the person, then each contact) sends
    one ``person.updated``: the body is built when it is sent, from the person as
    they are then, so the later ones would say nothing new. Registered as the
    transaction's on-commit callback, it queues the deliveries; a rollback drops
    it together with the rows."""

    def __init__(self):
        self.keys: set = set()
        self.delivery_ids: list[int] = []
        self.endpoints: list[WebhookEndpoint] | None = None
        self.done = False

    def __call__(self):
        from .tasks import deliver_webhook

        self.done = True
        for pk in self.delivery_ids:
            deliver_webhook.enqueue(pk)


def _batch() -> _Batch:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _sids, func, _robust in connection.run_on_commit:
            if isinstance(func, _Batch) and not func.done:
                return func
    batch = _Batch()
    transaction.on_commit(batch)
    return batch


def event_record(
    *,
    type: str,
    person_pk: int | None = None,
    person_public_id=None,
    stance_event_pk: int | None = None,
    was_public: bool = False,
    data: dict | None = None,
) -> WebhookEvent | None:
    """Record an event and a delivery for each endpoint that asked for its type
    (a disabled one's wait until it is enabled), in the caller's transaction.
    None when nobody listens, or the same event was already recorded in this
    transaction."""
    connection = transaction.get_connection()
    batch = _batch()
    if batch.endpoints is None:  # read once per transaction
        batch.endpoints = list(WebhookEndpoint.objects.only("pk", "event_types"))
    endpoints = [e for e in batch.endpoints if type in e.event_types]
    if not endpoints:
        return None
    key = (
        type,
        person_pk,
        stance_event_pk,
        # Never merged across savepoints: a savepoint rolled back takes its rows
        # with it, and an event merged into them would be lost.
        tuple(connection.savepoint_ids),
    )
    if type != EventType.PLEDGE_COUNTS_CHANGED and key in batch.keys:
        return None
    batch.keys.add(key)
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            type=type,
            person_pk=person_pk,
            person_public_id=person_public_id,
            stance_event_pk=stance_event_pk,
            was_public=was_public,
            data=data or {},
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, event=event) for endpoint in endpoints]
        )
    if connection.in_atomic_block:
        batch.delivery_ids += [d.pk for d in deliveries]
    else:  # autocommit: the on-commit callback already ran
        _enqueue([d.pk for d in deliveries])
    return event


def pledge_counts_changed(*, counts: dict) -> WebhookEvent | None:
    """Tell partners that pledge totals changed (``counts``: JSON-ready totals,
    e.g. ``{"total": 120, "by_area": {"E14001102": 3}}``)."""
    return event_record(type=EventType.PLEDGE_COUNTS_CHANGED, data=counts)
