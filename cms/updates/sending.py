"""Sending a mailing: resumable, idempotent, in batches over reused SMTP connections.

How it never sends anyone the same update twice, even when the worker is killed:

1. One sender per mailing. On PostgreSQL a session advisory lock keyed by the
   mailing is held while sending; a second worker finds it taken and leaves. A killed
   worker's connection closes and the lock goes with it.
2. The recipients are fixed once, as one ``Delivery`` row each (unique per mailing
   and subscriber), so a restart cannot add anyone twice.
3. A batch of queued rows is claimed (``sending``), then sent in id order over one
   SMTP connection; each row's outcome is committed right after the mail server
   answers, before the next message goes.
4. A restarted sender finds the rows a dead one left ``sending``. Only the first of
   them can have reached the mail server (the rest were never tried), so that one is
   recorded as failed and not retried, and the rest go back in the queue. At most one
   recipient per interruption misses the update; nobody gets it twice.

Failures are per recipient: a refused address fails at once (a permanent 5xx also
marks the subscriber bounced), other errors are retried up to
``UPDATES_MAX_ATTEMPTS`` times in all.
"""

import logging
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from network.progress import Progress

from .mail import MailingRenderer, unsubscribe_url
from .models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
)
from .selectors import mailing_audience

logger = logging.getLogger(__name__)

# First key of the two-part advisory lock: "updates" sending, second is the mailing.
LOCK_NAMESPACE = 0x55504454
INTERRUPTED = (
    "The sender stopped while handing this message to the mail server. It may have "
    "arrived, so it is not sent again."
)
# Permanent refusals that mean the mailbox does not exist or is not accepted.
BOUNCE_CODES = {550, 551, 553}


@dataclass
class DeliveryReport:
    mailing_id: int
    started: bool = True
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retry_pending: int = 0
    finished: bool = False
    notes: list[str] = field(default_factory=list)


@contextmanager
def fast_commits():
    """On PostgreSQL, commit without waiting for the disk flush while sending.

    Each recipient's outcome is committed before the next message goes; waiting for
    a flush every time would cap sending at the disk's sync rate. A killed worker
    loses nothing this way (the server has every commit); only a crash of the
    database server itself could forget the last fraction of a second of outcomes.
    """
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


@contextmanager
def sender_lock(mailing_id: int):
    """Yield True when this process may send the mailing, False when another does."""
    if db_connection.vendor != "postgresql":
        # SQLite is the single-process development database: nothing to race.
        yield True
        return
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, mailing_id]
        )
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with db_connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, mailing_id]
                )


def mailing_deliver(
    *,
    mailing_id: int,
    retry_inline: bool = True,
    connection_factory=get_connection,
    out=None,
) -> DeliveryReport:
    """Send the mailing to every recipient not yet handled; safe to run again.

    ``retry_inline``: retry failed rows in this run (the immediate task backend)
    instead of leaving them for a later run (``report.retry_pending``)."""
    report = DeliveryReport(mailing_id=mailing_id)
    with sender_lock(mailing_id) as acquired, fast_commits():
        if not acquired:
            report.started = False
            report.notes.append("another worker is sending this mailing")
            return report
        mailing = Mailing.objects.filter(pk=mailing_id).first()
        if mailing is None or mailing.status in (
            MailingStatus.DRAFT,
            MailingStatus.SENT,
        ):
            report.started = False
            return report
        Mailing.objects.filter(pk=mailing_id).update(status=MailingStatus.SENDING)
        _list_recipients(mailing)
        _recover_interrupted(mailing, report)
        renderer = MailingRenderer(mailing)
        pending = Delivery.objects.filter(
            mailing=mailing, status=DeliveryStatus.QUEUED
        ).count()
        progress = Progress(out, f"Sending '{mailing.subject}'", pending)
        while True:
            batch = _claim_batch(mailing)
            if not batch:
                if retry_inline and _requeue_retries(mailing):
                    continue
                break
            _send_batch(batch, renderer, connection_factory, report)
            progress.advance(len(batch))
        progress.finish()
        report.retry_pending = Delivery.objects.filter(
            mailing=mailing, status=DeliveryStatus.RETRY
        ).count()
        if not report.retry_pending:
            Mailing.objects.filter(pk=mailing_id).update(
                status=MailingStatus.SENT, finished_at=timezone.now()
            )
            report.finished = True
    logger.info(
        "mailing %s: sent %s, failed %s, skipped %s, waiting to retry %s",
        mailing_id,
        report.sent,
        report.failed,
        report.skipped,
        report.retry_pending,
    )
    return report


def _list_recipients(mailing: Mailing) -> None:
    """Fix the recipients once, as delivery rows, in chunks to keep memory flat.
    Re-running after an interruption adds only the rows still missing."""
    if mailing.recipients_listed_at is not None:
        return
    audience = mailing_audience(mailing=mailing).order_by("pk")
    chunk = settings.UPDATES_BATCH_SIZE * 10
    last = 0
    while ids := list(
        audience.filter(pk__gt=last).values_list("pk", flat=True)[:chunk]
    ):
        Delivery.objects.bulk_create(
            [Delivery(mailing_id=mailing.pk, subscriber_id=pk) for pk in ids],
            ignore_conflicts=True,
        )
        last = ids[-1]
    Mailing.objects.filter(pk=mailing.pk).update(recipients_listed_at=timezone.now())


def _recover_interrupted(mailing: Mailing, report: DeliveryReport) -> None:
    stuck = Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENDING)
    first = stuck.order_by("pk").first()
    if first is not None:
        Delivery.objects.filter(pk=first.pk).update(
            status=DeliveryStatus.FAILED,
            attempts=first.attempts + 1,
            last_error=INTERRUPTED,
        )
        requeued = stuck.update(status=DeliveryStatus.QUEUED)
        report.failed += 1
        report.notes.append(
            f"resumed after an interruption: 1 uncertain, {requeued} requeued"
        )
    _requeue_retries(mailing)


def _requeue_retries(mailing: Mailing) -> int:
    return Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.RETRY).update(
        status=DeliveryStatus.QUEUED
    )


def _claim_batch(mailing: Mailing) -> list[Delivery]:
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.UPDATES_BATCH_SIZE]
        )
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING)
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("subscriber")
        .only("pk", "attempts", "subscriber__email", "subscriber__status")
        .order_by("pk")
    )


def _record(delivery: Delivery, **values) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**values)


def _failure(delivery: Delivery, error: str, *, permanent: bool) -> dict:
    attempts = delivery.attempts + 1
    retry = not permanent and attempts < settings.UPDATES_MAX_ATTEMPTS
    return {
        "status": DeliveryStatus.RETRY if retry else DeliveryStatus.FAILED,
        "attempts": attempts,
        "last_error": error[:255],
    }


def _smtp_error(exc: Exception) -> tuple[str, int | None]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()), (None, b""))
    else:
        code = getattr(exc, "smtp_code", None)
        message = getattr(exc, "smtp_error", b"")
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    # The server's words often quote the address; keep the code and class only.
    detail = f"{type(exc).__name__} {code}" if code else type(exc).__name__
    return detail, code


def _send_batch(batch, renderer, connection_factory, report) -> None:
    connection = connection_factory()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        # Nothing was sent: every row counts one failed attempt.
        detail, _code = _smtp_error(exc)
        for delivery in batch:
            error = f"could not connect: {detail}"
            outcome = _failure(delivery, error, permanent=False)
            _record(delivery, **outcome)
            report.failed += outcome["status"] == DeliveryStatus.FAILED
        return
    try:
        for index, delivery in enumerate(batch):
            subscriber = delivery.subscriber
            if subscriber.status != SubscriberStatus.CONFIRMED:
                _record(delivery, status=DeliveryStatus.SKIPPED)
                report.skipped += 1
                continue
            message = renderer.message(
                to=subscriber.email,
                unsubscribe=unsubscribe_url(subscriber.pk),
                connection=connection,
            )
            try:
                connection.send_messages([message])
            except smtplib.SMTPServerDisconnected as exc:
                # The connection is gone: this row failed once, the rest of the
                # batch was never tried and goes back in the queue.
                error = type(exc).__name__
                _record(delivery, **_failure(delivery, error, permanent=False))
                rest = [d.pk for d in batch[index + 1 :]]
                Delivery.objects.filter(pk__in=rest).update(
                    status=DeliveryStatus.QUEUED
                )
                return
            except (OSError, smtplib.SMTPException) as exc:
                detail, code = _smtp_error(exc)
                permanent = bool(code and 500 <= code < 600)
                outcome = _failure(delivery, detail, permanent=permanent)
                _record(delivery, **outcome)
                report.failed += outcome["status"] == DeliveryStatus.FAILED
                if code in BOUNCE_CODES:
                    Subscriber.objects.filter(
                        pk=subscriber.pk, status=SubscriberStatus.CONFIRMED
                    ).update(status=SubscriberStatus.BOUNCED, left_at=timezone.now())
            else:
                _record(
                    delivery,
                    status=DeliveryStatus.SENT,
                    attempts=delivery.attempts + 1,
                    sent_at=timezone.now(),
                    last_error="",
                )
                report.sent += 1
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            logger.warning("closing the SMTP connection failed", exc_info=True)
