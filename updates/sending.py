"""Sending a mailing: resumable, idempotent, in batches over reused SMTP connections.

How it never sends anyone the same update twice, and finishes when a worker dies:

1. One sender per mailing, by a lease on the mailing row (``lease_token``,
   ``lease_expires_at``): a sender takes it only when nobody holds it or the
   holder's time ran out, and renews it as it works. A second worker finds it held
   and leaves. A killed worker renews nothing, so its lease lapses and a worker's
   periodic check (``tasks.mailings_resume_stranded``, run by ``manage.py
   db_worker``) hands the mailing to a fresh sender.
2. The recipients are fixed once, as one ``Delivery`` row each (unique per mailing
   and subscriber), so a restart cannot add anyone twice.
3. Rows are sent in id order over one SMTP connection per batch. A row moves from
   ``queued`` to ``sending`` (committed) before the message's content goes to
   the mail server, and only while this sender holds the lease: it is written
   while the server answers the DATA command (which delivers nothing), and the
   content waits for the commit.
   A refusal or error is committed as soon as the server answers; an accepted
   message is recorded as sent in the same statement as the next message's
   hand-over (one write per message, not two), or on its own when no hand-over
   follows (the end of a batch, an error, a skipped row). So at most one row is
   ``sending`` at any time: the one whose content is on its way, or, between
   the server's acceptance and the next hand-over, the one just accepted.
4. A resumed sender finds the row a dead one left ``sending``: its content went
   out and no outcome was recorded, so it may have arrived (and has, when the
   worker died after the server accepted it, during the next message's
   envelope). It is recorded as failed and not retried. Rows still ``queued``
   (the one whose envelope was being given when the worker died among them)
   never reached the server and are sent. At most one recipient per
   interruption may miss the update; nobody gets it twice.

Failures are per recipient: a refused address fails at once (a permanent 5xx also
marks the subscriber bounced), other errors are retried up to
``UPDATES_MAX_ATTEMPTS`` times in all.
"""

import logging
import re
import secrets
import smtplib
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import psycopg
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db_connection
from django.db.models import Q
from django.utils import timezone

from network.progress import Progress
from ops import siteurl

from .mail import (
    MailingRenderers,
    MessageTemplate,
    envelope_address,
    new_message_id,
    recipient_address,
    unsubscribe_urls,
)
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

INTERRUPTED = (
    "The sender stopped while handing this message to the mail server. It may have "
    "arrived, so it is not sent again."
)
UNCONFIRMED = (
    "The connection broke before the mail server confirmed this message. It may "
    "have arrived, so it is not sent again."
)
# Permanent refusals that mean the mailbox does not exist or is not accepted.
BOUNCE_CODES = {550, 551, 553}
ACTIVE = (MailingStatus.QUEUED, MailingStatus.SENDING)


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


class LeaseLost(Exception):
    """Another sender took the mailing over after this one's lease ran out."""


def lease_seconds() -> float:
    return float(settings.UPDATES_SENDER_LEASE)


@dataclass
class SenderLease:
    """This sender's claim on a mailing. Renewed at most every quarter of its
    length, so holding it costs one small write every ``UPDATES_SENDER_LEASE / 4``
    seconds."""

    mailing_id: int
    token: str
    renewed: float  # time.monotonic() of the last renewal

    @classmethod
    def take(cls, mailing_id: int) -> "SenderLease | None":
        """The lease, when the mailing is queued or sending and nobody holds it
        (or its holder's time ran out). Marks the mailing as sending."""
        now = timezone.now()
        token = secrets.token_hex(16)
        taken = (
            Mailing.objects.filter(pk=mailing_id, status__in=ACTIVE)
            .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
            .update(
                status=MailingStatus.SENDING,
                lease_token=token,
                lease_expires_at=now + timedelta(seconds=lease_seconds()),
            )
        )
        return cls(mailing_id, token, time.monotonic()) if taken else None

    def _mine(self):
        return Mailing.objects.filter(pk=self.mailing_id, lease_token=self.token)

    def renew(self) -> None:
        if time.monotonic() - self.renewed < lease_seconds() / 4:
            return
        expires = timezone.now() + timedelta(seconds=lease_seconds())
        if not self._mine().update(lease_expires_at=expires):
            raise LeaseLost
        self.renewed = time.monotonic()

    def finish(self, **values) -> None:
        """Give the lease up, setting ``values`` on the mailing in the same write."""
        if not self._mine().update(lease_token="", lease_expires_at=None, **values):
            raise LeaseLost

    def hand_over(self, delivery: "Recipient", accepted: "Accepted | None") -> None:
        """Mark the row as handed to the mail server: from now on it may arrive.
        Only the lease holder can, and only once per row.

        ``accepted``, the message before it that the server accepted, is
        recorded as sent in the same statement (see ``_send_batch``)."""
        # One UPDATE of the rows themselves (the lease check an EXISTS, not a
        # join, which Django would turn into "id IN (subquery)"):
        # PostgreSQL then rechecks "still queued" on a row another sender changed
        # meanwhile, so two senders can never both hand the same row over.
        # Written out once, not compiled by the ORM for every recipient: it is
        # the sender's only per-message database work.
        with _per_message_cursor() as cursor:
            if accepted is None:
                cursor.execute(
                    HAND_OVER_SQL,
                    {
                        "handed": delivery.pk,
                        "mailing": self.mailing_id,
                        "token": self.token,
                    },
                )
                if cursor.rowcount:
                    return
            else:
                cursor.execute(
                    HAND_OVER_AND_SENT_SQL,
                    {
                        "handed": delivery.pk,
                        "accepted": accepted.delivery.pk,
                        "sent_at": _db_time(accepted.at),
                        "mailing": self.mailing_id,
                        "token": self.token,
                    },
                )
                if any(row[0] == delivery.pk for row in cursor.fetchall()):
                    return
        if accepted is not None:
            # The server did accept it: say so, unless the sender that took the
            # mailing over has already recorded the row as uncertain.
            _record_sent(accepted)
        raise LeaseLost


@contextmanager
def fast_commits():
    """On PostgreSQL, commit without waiting for the disk flush while sending,
    and let the per-message statement be prepared (``UPDATES_SENDER_PREPARE``).

    Each message's hand-over is committed before its content goes; waiting for a
    flush every time would cap sending at the disk's sync rate. A killed worker
    loses nothing this way (the server has every commit); only a crash of the
    database server itself could forget the last fraction of a second of outcomes.
    """
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    raw = db_connection.connection
    threshold = raw.prepare_threshold
    if settings.UPDATES_SENDER_PREPARE and threshold is None:
        # Django turns psycopg's prepared statements off (None) for the sake of
        # connection poolers, and psycopg then prepares nothing, even when
        # asked. A threshold no statement reaches prepares only those asked for:
        # the sender's per-message one (``_per_message_cursor``).
        raw.prepare_threshold = sys.maxsize
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


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
    lease = SenderLease.take(mailing_id)
    if lease is None:
        report.started = False
        if Mailing.objects.filter(pk=mailing_id, status__in=ACTIVE).exists():
            report.notes.append("another worker is sending this mailing")
        return report
    try:
        with fast_commits():
            _deliver(lease, report, retry_inline, connection_factory, out)
    except LeaseLost:
        report.notes.append("another worker took this mailing over")
        logger.warning("mailing %s: another worker took it over", mailing_id)
        return report
    # On any other error the lease is left to run out: a worker's check resumes
    # the mailing then, which also spaces out the retries of a lasting fault.
    logger.info(
        "mailing %s: sent %s, failed %s, skipped %s, waiting to retry %s",
        mailing_id,
        report.sent,
        report.failed,
        report.skipped,
        report.retry_pending,
    )
    return report


def _deliver(lease, report, retry_inline, connection_factory, out) -> None:
    mailing = Mailing.objects.get(pk=lease.mailing_id)
    _list_recipients(mailing, lease)
    _recover_interrupted(mailing, report)
    renderer = MailingRenderers(mailing)
    domain = siteurl.site_domain()
    pending = Delivery.objects.filter(
        mailing=mailing, status=DeliveryStatus.QUEUED
    ).count()
    progress = Progress(out, f"Sending '{mailing.subject}'", pending)
    links = unsubscribe_urls()
    while True:
        batch = _next_batch(mailing)
        if not batch:
            if retry_inline and _requeue_retries(mailing):
                continue
            break
        _send_batch(batch, renderer, connection_factory, report, lease, domain, links)
        progress.advance(len(batch))
    progress.finish()
    report.retry_pending = Delivery.objects.filter(
        mailing=mailing, status=DeliveryStatus.RETRY
    ).count()
    if report.retry_pending:
        lease.finish()
    else:
        lease.finish(status=MailingStatus.SENT, finished_at=timezone.now())
        report.finished = True


def _list_recipients(mailing: Mailing, lease: SenderLease) -> None:
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
        lease.renew()
        _add_deliveries(mailing, audience.filter(pk__gt=last, pk__lte=ids[-1]))
        last = ids[-1]
    Mailing.objects.filter(pk=mailing.pk).update(recipients_listed_at=timezone.now())


def _add_deliveries(mailing: Mailing, subscribers) -> None:
    """A queued row for each of ``subscribers`` the mailing does not have yet, in
    one statement that copies their ids inside the database: building a model
    instance per row cost about a tenth of a large mailing's sending time."""
    chosen, params = subscribers.values("pk").query.sql_with_params()
    # The subquery is the ORM's own SQL, its values bound apart. "WHERE true"
    # keeps SQLite from reading ON CONFLICT as a join's ON.
    insert = (
        "INSERT INTO updates_delivery "  # noqa: S608
        "(mailing_id, subscriber_id, status, attempts, last_error) "
        "SELECT %s, chosen.pk, %s, 0, '' FROM (" + chosen + ") AS chosen "  # nosec B608
        "WHERE true ON CONFLICT (mailing_id, subscriber_id) DO NOTHING"
    )
    with db_connection.cursor() as cursor:
        cursor.execute(insert, [mailing.pk, DeliveryStatus.QUEUED, *params])


def _recover_interrupted(mailing: Mailing, report: DeliveryReport) -> None:
    """Rows a stopped sender handed over without recording an answer may have
    arrived: record them as failed, never to be sent again."""
    stuck = Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENDING)
    uncertain = 0
    for delivery in stuck.only("pk", "attempts"):
        _record(
            delivery,
            status=DeliveryStatus.FAILED,
            attempts=delivery.attempts + 1,
            last_error=INTERRUPTED,
        )
        uncertain += 1
    if uncertain:
        report.failed += uncertain
        report.notes.append(
            f"resumed after an interruption: {uncertain} may have arrived and "
            "are not sent again"
        )
    _requeue_retries(mailing)


def _requeue_retries(mailing: Mailing) -> int:
    return Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.RETRY).update(
        status=DeliveryStatus.QUEUED
    )


@dataclass(frozen=True, slots=True)
class Recipient:
    """A queued delivery row and its subscriber, as the sender needs them: plain
    values, not two model instances per recipient (a measurable share of the
    sender's own time)."""

    pk: int  # the delivery row's
    attempts: int
    subscriber_id: int
    email: str
    status: str  # the subscriber's, now
    language: str


def _next_batch(mailing: Mailing) -> list[Recipient]:
    """The next queued rows. Not claimed here: the lease keeps other senders off
    the mailing, and each row is claimed as it is handed over."""
    rows = (
        Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list(
            "pk",
            "attempts",
            "subscriber_id",
            "subscriber__email",
            "subscriber__status",
            "subscriber__language",
        )[: settings.UPDATES_BATCH_SIZE]
    )
    return [Recipient(*row) for row in rows]


# The statements the sender runs for its recipients, written once rather than
# compiled by the ORM each time. The statuses are the model's values written in
# (tests/updates check them, and the table names); each other value is named
# once, so it is sent once however often the statement uses it.
#
# The lease check names the mailing by its id rather than through the row's
# mailing_id, so it is a condition the database checks once per statement and
# the rows are found by their primary key alone. Tied to the row, it let the
# planner reach the rows through the mailing: with the table's statistics from
# before the recipients were listed, it chose to read every delivery of the
# mailing for each message (6,000 index entries per message for a 3,000-recipient
# mailing, more as each update left older row versions behind).
# tests/updates/test_sender_plan.py checks the plan.
# The first message on a connection: its row handed over.
HAND_OVER_SQL = (
    "UPDATE updates_delivery SET status = 'sending' "
    "WHERE id = %(handed)s AND status = 'queued' AND "
    "EXISTS (SELECT 1 FROM updates_mailing WHERE updates_mailing.id = "
    "%(mailing)s AND updates_mailing.lease_token = %(token)s)"
)
# Every later one: its row handed over, and the message before it recorded sent.
HAND_OVER_AND_SENT_SQL = (
    "UPDATE updates_delivery SET "
    "status = CASE WHEN id = %(handed)s THEN 'sending' ELSE 'sent' END, "
    "attempts = CASE WHEN id = %(handed)s THEN attempts ELSE attempts + 1 END, "
    "sent_at = CASE WHEN id = %(handed)s THEN sent_at ELSE %(sent_at)s END, "
    "last_error = CASE WHEN id = %(handed)s THEN last_error ELSE '' END "
    "WHERE ((id = %(handed)s AND status = 'queued') "
    "OR (id = %(accepted)s AND status = 'sending')) AND "
    "EXISTS (SELECT 1 FROM updates_mailing WHERE updates_mailing.id = "
    "%(mailing)s AND updates_mailing.lease_token = %(token)s) "
    "RETURNING id"
)
# The last message on a connection, or one before an error: recorded sent alone.
# Only a row still marked as handed over: one a sender that took the mailing over
# recorded as uncertain stays so.
SENT_SQL = (
    "UPDATE updates_delivery SET status = 'sent', attempts = attempts + 1, "
    "sent_at = %(sent_at)s, last_error = '' "
    "WHERE id = %(accepted)s AND status = 'sending'"
)


@dataclass(frozen=True)
class Accepted:
    """A message the mail server accepted, not yet recorded as sent."""

    delivery: "Recipient"
    at: datetime


@contextmanager
def _per_message_cursor():
    """A cursor for the per-message statements, inside Django's error wrapper, so
    a database error is Django's (and marks a broken connection for the worker to
    replace).

    On PostgreSQL, psycopg's own cursor, which sends the values apart from the
    statement, so the statement can be prepared once per connection
    (``UPDATES_SENDER_PREPARE``): parsing and planning the hand-over anew took
    about as long as running it. Django's cursor (the only one on SQLite) puts
    the values into the text, which must then be planned every time."""
    if db_connection.vendor != "postgresql":
        with db_connection.cursor() as cursor:
            yield cursor
        return
    db_connection.ensure_connection()
    with db_connection.wrap_database_errors:
        with psycopg.Cursor(db_connection.connection) as cursor:
            yield _Prepared(cursor)


class _Prepared:
    """psycopg's cursor, asking for each statement to be prepared."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.rowcount = 0

    def execute(self, sql, params):
        # None leaves it to the connection's own prepare_threshold.
        prepare = True if settings.UPDATES_SENDER_PREPARE else None
        self.cursor.execute(sql, params, prepare=prepare)
        self.rowcount = self.cursor.rowcount

    def fetchall(self):
        return self.cursor.fetchall()


def _db_time(moment: datetime):
    return db_connection.ops.adapt_datetimefield_value(moment)


def _record_sent(accepted: Accepted) -> None:
    """The commonest outcome, when no hand-over follows to carry it."""
    with _per_message_cursor() as cursor:
        cursor.execute(
            SENT_SQL,
            {"sent_at": _db_time(accepted.at), "accepted": accepted.delivery.pk},
        )


def _record(delivery: "Delivery | Recipient", **values) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**values)


def _failure(delivery: "Delivery | Recipient", error: str, *, permanent: bool) -> dict:
    attempts = delivery.attempts + 1
    retry = not permanent and attempts < settings.UPDATES_MAX_ATTEMPTS
    return {
        "status": DeliveryStatus.RETRY if retry else DeliveryStatus.FAILED,
        "attempts": attempts,
        "last_error": error[:255],
    }


def smtp_error_detail(exc: Exception) -> tuple[str, int | None]:
    """An SMTP failure as (exception class and code, code): never the server's
    words, which often quote the address."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, _message = next(iter(exc.recipients.values()), (None, b""))
    else:
        code = getattr(exc, "smtp_code", None)
    # The server's words often quote the address; keep the code and class only.
    detail = f"{type(exc).__name__} {code}" if code else type(exc).__name__
    return detail, code


class _Handover:
    """Calls ``hand_over`` at the moment a message's content starts for the mail
    server: on an SMTP connection, at the DATA command (after the envelope,
    MAIL FROM and RCPT TO, which deliver nothing; see ``_data``); on any other
    backend, just before sending. So a sender killed while the server considers
    the envelope leaves its row queued, to be sent by the next."""

    def __init__(self, connection):
        self.pending = None
        self.handed = False
        smtp = getattr(connection, "connection", None)
        self.hooked = isinstance(smtp, smtplib.SMTP)
        if self.hooked:
            data = smtp.data

            def data_after_handover(msg):
                self.fire()
                return data(msg)

            # smtplib.SMTP.sendmail calls self.data(): this connection's own
            # attribute comes first.
            smtp.data = data_after_handover

    def fire(self):
        if self.pending is not None:
            action, self.pending = self.pending, None
            action()
            self.handed = True

    def arm(self, action) -> None:
        self.pending = action
        self.handed = False
        if not self.hooked:
            self.fire()


class _Sender:
    """Sends one recipient's copy over an open connection.

    Over SMTP each language's message is built once per batch
    (``MessageTemplate``) and each copy handed to smtplib as bytes, as Django's
    SMTP backend would; other backends (the console, the tests' outbox) get a
    message object each."""

    def __init__(self, connection, domain):
        self.connection, self.domain = connection, domain
        smtp = getattr(connection, "connection", None)
        self.smtp = None
        if (
            isinstance(connection, SMTPBackend)
            and isinstance(smtp, smtplib.SMTP)
            # A connection whose sending was wrapped (to count or log, say) is
            # given message objects, through the wrapper.
            and "send_messages" not in vars(connection)
        ):
            self.smtp = smtp
        self.templates: dict[int, MessageTemplate | None] = {}
        self.quoted: dict[str, str] = {}

    def _template(self, renderer) -> "MessageTemplate | None":
        if self.smtp is None:
            return None
        key = id(renderer)
        if key not in self.templates:
            self.templates[key] = MessageTemplate.build(renderer)
        return self.templates[key]

    def send(self, delivery, renderer, email: str, unsubscribe: str, handover) -> None:
        template = self._template(renderer)
        if template is None:
            message = renderer.message(
                to=email, unsubscribe=unsubscribe, connection=self.connection
            )
            self.connection.send_messages([message])
            return
        to = recipient_address(email)
        data = template.render(
            to=to,
            unsubscribe=unsubscribe,
            message_id=new_message_id(self.domain, delivery.pk),
        )
        self._sendmail(template.sender, to, data, handover)

    def _sendmail(self, sender: str, to: str, data: bytes, handover) -> None:
        """smtplib's ``sendmail`` for one recipient, the same commands and the
        same errors, without parsing the sender's address again for every
        message, or a plain recipient's (see ``envelope_address``), and with the
        row's hand-over written while the server answers DATA (``_data``)."""
        smtp = self.smtp
        if sender not in self.quoted:
            self.quoted[sender] = smtplib.quoteaddr(sender)
        smtp.ehlo_or_helo_if_needed()
        size = f" size={len(data)}" if smtp.does_esmtp and smtp.has_extn("size") else ""
        code, reply = smtp.docmd("mail", f"from:{self.quoted[sender]}{size}")
        if code != 250:
            _reset(smtp, code)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = smtp.docmd("rcpt", f"to:{envelope_address(to)}")
        if code not in (250, 251):
            _reset(smtp, code)
            raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
        code, reply = _data(smtp, data, handover)
        if code != 250:
            _reset(smtp, code)
            raise smtplib.SMTPDataError(code, reply)


def _data(smtp: smtplib.SMTP, data: bytes, handover: _Handover) -> tuple[int, bytes]:
    """smtplib's ``data``, with the row handed over between the DATA command and
    the content. The command delivers nothing: the content is what may arrive,
    and it goes only once the hand-over is committed. Meanwhile the server's
    answer to DATA is on its way, so the database's round trip and the mail
    server's overlap instead of adding up (about a tenth of each message)."""
    smtp.putcmd("data")
    try:
        handover.fire()
    except BaseException:
        # The server now waits for content, and none may go: drop the
        # connection (a server discards a message whose content never ended).
        # QUIT would be read as content.
        smtp.close()
        raise
    code, reply = smtp.getreply()
    if code != 354:
        _reset(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    content = _DOT_AT_LINE_START.sub(b"..", data)
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    smtp.send(content + b".\r\n")
    return smtp.getreply()


# SMTP's transparency rule (RFC 5321 4.5.2), as smtplib applies it.
_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


def _reset(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal, as smtplib does: a server closing (421) is left, any
    other is asked to forget the transaction."""
    if code == 421:
        smtp.close()
        return
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        pass


def _send_batch(
    batch, renderer, connection_factory, report, lease, domain, links
) -> None:
    connection = connection_factory()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        # Nothing was sent: every row counts one failed attempt.
        detail, _code = smtp_error_detail(exc)
        for delivery in batch:
            error = f"could not connect: {detail}"
            outcome = _failure(delivery, error, permanent=False)
            _record(delivery, **outcome)
            report.failed += outcome["status"] == DeliveryStatus.FAILED
        return
    handover = _Handover(connection)
    sender = _Sender(connection, domain)
    # The last message the server accepted, recorded as sent in the same
    # statement as the next message's hand-over (one write per message, not
    # two), or on its own when no hand-over follows: at the end of the batch,
    # and before any other outcome is written.
    accepted = None

    def take_accepted():
        nonlocal accepted
        taken, accepted = accepted, None
        return taken

    def record_accepted():
        if accepted is not None:
            _record_sent(take_accepted())

    try:
        for delivery in batch:
            lease.renew()
            if delivery.status != SubscriberStatus.CONFIRMED:
                record_accepted()
                _record(delivery, status=DeliveryStatus.SKIPPED)
                report.skipped += 1
                continue
            handover.arm(
                lambda delivery=delivery: lease.hand_over(delivery, take_accepted())
            )
            try:
                sender.send(
                    delivery,
                    renderer.for_language(delivery.language),
                    delivery.email,
                    links(delivery.subscriber_id),
                    handover,
                )
            except smtplib.SMTPServerDisconnected as exc:
                # The connection is gone. Before the content went, this row failed
                # once; after, it may have arrived. The rest of the batch was never
                # tried and is still queued for the next connection.
                record_accepted()
                if handover.handed:
                    _record(
                        delivery,
                        status=DeliveryStatus.FAILED,
                        attempts=delivery.attempts + 1,
                        last_error=UNCONFIRMED,
                    )
                    report.failed += 1
                else:
                    error = type(exc).__name__
                    outcome = _failure(delivery, error, permanent=False)
                    _record(delivery, **outcome)
                    report.failed += outcome["status"] == DeliveryStatus.FAILED
                return
            except (OSError, smtplib.SMTPException) as exc:
                record_accepted()
                detail, code = smtp_error_detail(exc)
                permanent = bool(code and 500 <= code < 600)
                outcome = _failure(delivery, detail, permanent=permanent)
                _record(delivery, **outcome)
                report.failed += outcome["status"] == DeliveryStatus.FAILED
                if code in BOUNCE_CODES:
                    Subscriber.objects.filter(
                        pk=delivery.subscriber_id, status=SubscriberStatus.CONFIRMED
                    ).update(status=SubscriberStatus.BOUNCED, left_at=timezone.now())
            else:
                accepted = Accepted(delivery, timezone.now())
                report.sent += 1
        record_accepted()
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            logger.warning("closing the SMTP connection failed", exc_info=True)
