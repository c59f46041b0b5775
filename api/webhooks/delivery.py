"""Sending one delivery: claim it, build and sign the body, post it, record the
answer, and schedule a retry or give up.

Exactly what a partner can rely on:

- A delivery row is claimed (``sending``, with a lease) before anything goes out,
  so two workers never send it at the same moment.
- Its ``webhook-id`` is the row's id, the same on every attempt. A worker that
  dies after posting and before recording the answer leaves the row ``sending``;
  when its lease runs out the row is sent again with the same id. A receiver
  that keeps the ids it has handled therefore acts on each event once, and no
  event is lost.
- Failures are retried with exponential backoff (``WEBHOOKS_RETRY_BASE_SECONDS``
  doubled each time, at most ``WEBHOOKS_RETRY_MAX_SECONDS``) up to
  ``WEBHOOKS_MAX_ATTEMPTS`` attempts. An endpoint failing for
  ``WEBHOOKS_DISABLE_AFTER_DAYS`` days without a success is disabled and its
  partner's contact emailed.
"""

import http.client
import json
import logging
import socket
import ssl
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from . import services, targets
from .models import WAITING, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from .payloads import webhook_payload

logger = logging.getLogger(__name__)

USER_AGENT = "NoCeasefireNoVote-Webhooks/1"


@dataclass
class Outcome:
    status: str
    retry_at: object = None  # datetime of the next attempt, when one is due


def lease() -> timedelta:
    return timedelta(seconds=settings.WEBHOOKS_SENDER_LEASE)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    seconds = settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOKS_RETRY_MAX_SECONDS))


def sign(*, secrets: list[str], message_id: str, timestamp, body: bytes) -> str:
    """The ``webhook-signature`` header: one ``v1,<base64>`` per secret."""
    return " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
        for secret in secrets
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with the certificate checked for the name."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: targets.Target, body: bytes, headers: dict) -> int:
    """POST the body to the first checked address; the answer's status. Redirects
    are not followed (they would lead past the check)."""
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = cls(
        target.host,
        target.port,
        address=target.addresses[0],
        timeout=settings.WEBHOOKS_TIMEOUT_SECONDS,
    )
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # the answer is not kept; only its status
        return response.status
    finally:
        connection.close()


def claim(delivery_id: int) -> WebhookDelivery | None:
    """Take the row for this sender: waiting and due, or left ``sending`` by a
    sender whose lease ran out."""
    now = timezone.now()
    taken = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status__in=WAITING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, lease_expires_at__lte=now)
        )
        .update(status=DeliveryStatus.SENDING, lease_expires_at=now + lease())
    )
    if not taken:
        return None
    return WebhookDelivery.objects.select_related(
        "event", "endpoint", "endpoint__organisation"
    ).get(pk=delivery_id)


def _finish(delivery: WebhookDelivery, **values) -> None:
    WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING
    ).update(lease_expires_at=None, **values)


def deliver(delivery_id: int, *, sender=post) -> Outcome | None:
    """Make one attempt at a delivery, if it is due and nobody else has it.
    None when there was nothing to do."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        # Kept waiting: enabling the endpoint queues it again.
        _finish(delivery, status=DeliveryStatus.PENDING)
        return Outcome(DeliveryStatus.PENDING)
    payload = webhook_payload(event=delivery.event, endpoint=endpoint)
    if payload is None:
        _finish(delivery, status=DeliveryStatus.SKIPPED)
        return Outcome(DeliveryStatus.SKIPPED)
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    now = timezone.now()
    attempts = delivery.attempts + 1
    error, code = "", None
    try:
        target = targets.check(endpoint.url)
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": sign(
                secrets=services.signing_secrets(endpoint),
                message_id=delivery.message_id,
                timestamp=now,
                body=body,
            ),
        }
        code = sender(target, body, headers)
        if not 200 <= code < 300:
            error = f"The receiver answered {code}."
    except targets.TargetRefused as refused:
        error = f"Refused: {refused}"
    except (OSError, http.client.HTTPException) as exc:
        error = f"Could not deliver: {type(exc).__name__}"
    if not error:
        _finish(
            delivery,
            status=DeliveryStatus.DELIVERED,
            attempts=attempts,
            last_attempt_at=now,
            delivered_at=timezone.now(),
            response_status=code,
            last_error="",
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).exclude(
            failing_since=None
        ).update(failing_since=None)
        return Outcome(DeliveryStatus.DELIVERED)
    return _failed(delivery, attempts=attempts, now=now, code=code, error=error)


def _failed(delivery, *, attempts, now, code, error) -> Outcome:
    endpoint = delivery.endpoint
    give_up = attempts >= settings.WEBHOOKS_MAX_ATTEMPTS
    retry_at = None if give_up else now + backoff(attempts)
    _finish(
        delivery,
        status=DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRY,
        attempts=attempts,
        last_attempt_at=now,
        next_attempt_at=retry_at or now,
        response_status=code,
        last_error=error[:255],
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since=None).update(
        failing_since=now
    )
    endpoint.refresh_from_db(fields=["failing_since", "enabled"])
    limit = timedelta(days=settings.WEBHOOKS_DISABLE_AFTER_DAYS)
    if endpoint.enabled and now - endpoint.failing_since >= limit:
        services.endpoint_disable(
            endpoint=endpoint,
            reason=f"No delivery succeeded in {limit.days} days; last: {error}",
        )
    logger.info(
        "webhook delivery %s to endpoint %s failed (attempt %s): %s",
        delivery.pk,
        endpoint.pk,
        attempts,
        error,
    )
    return Outcome(DeliveryStatus.FAILED if give_up else DeliveryStatus.RETRY, retry_at)
