"""Sending mailings through a real SMTP server (aiosmtpd on a random local port):
who gets what, the headers and links, resuming after a kill, retries, targeting."""

import re
from collections import Counter

import pytest
from django.core.mail import get_connection
from django.test import Client
from django.utils import timezone

from network.models import Area, AreaType
from tests.updates.factories import MailingFactory, SubscriberFactory, bulk_subscribers
from updates import services, tokens
from updates.models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingStatus,
    Subscriber,
    SubscriberStatus,
)
from updates.sending import INTERRUPTED, SenderLease, mailing_deliver
from updates.tasks import send_mailing

pytestmark = pytest.mark.django_db

UNSUBSCRIBE_RE = re.compile(
    r"https://updates\.example\.org(/updates/unsubscribe/[^/\s\"<>]+/)"
)


def queue(mailing, user=None, *, capture):
    with capture(execute=True):
        services.mailing_queue(mailing=mailing, actor=user)
    mailing.refresh_from_db()
    return mailing


def test_mailing_reaches_each_confirmed_subscriber_exactly_once(
    smtp_server,
    settings,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    settings.UPDATES_BATCH_SIZE = 120  # several batches, several SMTP connections
    confirmed = set(bulk_subscribers(500).values_list("email", flat=True))
    bulk_subscribers(40, status=SubscriberStatus.PENDING, prefix="pending")
    bulk_subscribers(30, status=SubscriberStatus.UNSUBSCRIBED, prefix="gone")
    bulk_subscribers(5, status=SubscriberStatus.BOUNCED, prefix="bounced")
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)

    assert mailing.status == MailingStatus.SENT
    received = smtp_server.recipients()
    assert len(received) == 500
    assert set(received) == confirmed  # nobody twice, no pending/unsubscribed/bounced
    assert all(len(rcpts) == 1 for rcpts, _ in smtp_server.messages)
    assert (
        Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENT).count()
        == 500
    )

    ids = {s.email: s.pk for s in Subscriber.objects.filter(email__in=confirmed)}
    for rcpts, message in smtp_server.messages:
        assert message["Subject"] == mailing.subject
        assert message.get_content_type() == "multipart/alternative"
        parts = {
            part.get_content_type(): part.get_content() for part in message.iter_parts()
        }
        assert set(parts) == {"text/plain", "text/html"}
        expected = tokens.unsubscribe_token(subscriber_id=ids[rcpts[0]])
        header = message["List-Unsubscribe"].strip()  # long: folded
        assert (
            header == f"<https://updates.example.org/updates/unsubscribe/{expected}/>"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # The visible link, in both parts, is the recipient's own.
        for body in parts.values():
            assert f"/updates/unsubscribe/{expected}/" in body
        assert "https://example.org/news" in parts["text/plain"]
        assert "- First point" in parts["text/plain"]


def test_the_unsubscribe_link_in_a_received_mailing_works(
    smtp_server, django_capture_on_commit_callbacks
):
    subscriber = SubscriberFactory()
    queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    _rcpts, message = smtp_server.messages[0]
    path = UNSUBSCRIBE_RE.search(message["List-Unsubscribe"]).group(1)
    response = Client(enforce_csrf_checks=True).post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the sender catches it."""


def killing_factory(after: int):
    """SMTP connections that die right after the server accepted message ``after``
    (counted over all connections): the worst moment, before the outcome is saved."""
    sent = {"n": 0}

    class Dying:
        def __init__(self):
            self.inner = get_connection()

        def open(self):
            return self.inner.open()

        def close(self):
            return self.inner.close()

        def send_messages(self, messages):
            count = self.inner.send_messages(messages)
            sent["n"] += count
            if sent["n"] >= after:
                raise WorkerKilled
            return count

    return Dying


def test_killed_worker_restarted_sends_the_rest_and_nobody_twice(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.UPDATES_BATCH_SIZE = 50
    confirmed = set(bulk_subscribers(300).values_list("email", flat=True))
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)  # queued; no worker ran yet

    with pytest.raises(WorkerKilled):
        mailing_deliver(mailing_id=mailing.pk, connection_factory=killing_factory(137))
    assert len(smtp_server.messages) == 137
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENDING
    # Its lease keeps other senders off until it runs out.
    assert send_mailing.enqueue(mailing.pk).return_value["sent"] == 0
    Mailing.objects.filter(pk=mailing.pk).update(lease_expires_at=timezone.now())

    # The restarted worker runs the task again.
    result = send_mailing.enqueue(mailing.pk)
    assert result.return_value["sent"] == 300 - 137

    received = smtp_server.recipients()
    assert len(received) == len(set(received)) == 300  # each once, nobody twice
    assert set(received) == confirmed
    # The message in flight when the worker died is recorded, not resent.
    uncertain = Delivery.objects.get(mailing=mailing, status=DeliveryStatus.FAILED)
    assert uncertain.last_error == INTERRUPTED
    assert uncertain.subscriber.email in received
    assert (
        Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENT).count()
        == 299
    )
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT


def watching_envelopes(at_rcpt, *, answered=False):
    """Django's SMTP connections calling ``at_rcpt(n)`` at the n-th RCPT TO,
    counted over all connections: before the command goes or, with
    ``answered``, once the server answered it."""
    rcpts = {"n": 0}

    def factory():
        connection = get_connection()
        open_connection = connection.open

        def open_and_watch():
            opened = open_connection()
            smtp = connection.connection
            docmd = smtp.docmd

            def watched_docmd(cmd, args=""):
                rcpt = cmd.lower() == "rcpt"
                if rcpt:
                    rcpts["n"] += 1
                if rcpt and not answered:
                    at_rcpt(rcpts["n"])
                answer = docmd(cmd, args)
                if rcpt and answered:
                    at_rcpt(rcpts["n"])
                return answer

            smtp.docmd = watched_docmd
            return opened

        connection.open = open_and_watch
        return connection

    return factory


def killed_at_envelope(number: int):
    """Django's SMTP connections, whose worker dies while the server considers
    the envelope (RCPT TO) of message ``number``, counted over all connections:
    the message before it was accepted, and the next one's content never went."""

    def die(n):
        if n == number:
            raise WorkerKilled

    return watching_envelopes(die)


def test_killed_between_two_messages_one_at_most_is_uncertain_and_none_resent(
    smtp_server, settings
):
    """An accepted message's outcome is written with the next message's
    hand-over. A worker killed in between leaves that one message's row
    uncertain: recorded as failed ("may have arrived") and never sent again; the
    next recipient, whose content never went, is sent."""
    settings.UPDATES_BATCH_SIZE = 50
    confirmed = set(bulk_subscribers(120).values_list("email", flat=True))
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)  # no worker ran yet

    with pytest.raises(WorkerKilled):
        mailing_deliver(
            mailing_id=mailing.pk, connection_factory=killed_at_envelope(73)
        )
    assert len(smtp_server.messages) == 72
    rows = Delivery.objects.filter(mailing=mailing).order_by("pk")
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses == {
        DeliveryStatus.SENT: 71,
        DeliveryStatus.SENDING: 1,
        DeliveryStatus.QUEUED: 48,
    }
    assert rows[71].status == DeliveryStatus.SENDING  # message 72, accepted
    Mailing.objects.filter(pk=mailing.pk).update(lease_expires_at=timezone.now())

    report = mailing_deliver(mailing_id=mailing.pk)
    assert (report.sent, report.failed) == (48, 1)
    received = smtp_server.recipients()
    assert len(received) == len(set(received)) == 120  # each once, nobody twice
    assert set(received) == confirmed
    uncertain = rows.get(status=DeliveryStatus.FAILED)
    assert uncertain.pk == rows[71].pk
    assert uncertain.last_error == INTERRUPTED
    assert rows.filter(status=DeliveryStatus.SENT).count() == 119


def test_a_lease_lost_at_the_data_command_sends_no_content_and_hangs_nothing(
    smtp_server, settings, caplog
):
    """The hand-over is written while the server answers DATA. When it finds
    the mailing taken over, the server already waits for content: the sender
    drops the connection (a QUIT would be read as content) and the server keeps
    nothing of that message."""
    settings.UPDATES_BATCH_SIZE = 50
    # A sender waiting for a reply that never comes fails after this, and logs
    # that closing the connection failed.
    settings.EMAIL_TIMEOUT = 3
    bulk_subscribers(4)
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)  # no worker ran yet

    def lose_the_lease(n):
        if n == 2:  # another sender takes over during the second envelope
            Mailing.objects.filter(pk=mailing.pk).update(lease_token="another-sender")

    factory = watching_envelopes(lose_the_lease, answered=True)
    report = mailing_deliver(mailing_id=mailing.pk, connection_factory=factory)
    assert report.notes == ["another worker took this mailing over"]
    assert "closing the SMTP connection failed" not in caplog.text
    assert len(smtp_server.messages) == 1
    rows = Delivery.objects.filter(mailing=mailing).order_by("pk")
    assert list(rows.values_list("status", flat=True)) == [
        DeliveryStatus.SENT,
        DeliveryStatus.QUEUED,
        DeliveryStatus.QUEUED,
        DeliveryStatus.QUEUED,
    ]


def test_running_the_task_again_after_it_finished_sends_nothing(
    smtp_server, django_capture_on_commit_callbacks
):
    bulk_subscribers(20)
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    send_mailing.enqueue(mailing.pk)
    mailing_deliver(mailing_id=mailing.pk)
    assert len(smtp_server.messages) == 20


def test_refused_address_fails_at_once_and_is_marked_bounced(
    smtp_server, django_capture_on_commit_callbacks
):
    bulk_subscribers(10)
    smtp_server.refuse["bulk3@example.org"] = "550 5.1.1 Mailbox unavailable"
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 9
    failed = Delivery.objects.get(mailing=mailing, status=DeliveryStatus.FAILED)
    assert failed.subscriber.email == "bulk3@example.org"
    assert failed.attempts == 1
    assert failed.last_error == "SMTPRecipientsRefused 550"  # no address in the log
    assert failed.subscriber.status == SubscriberStatus.BOUNCED
    assert mailing.status == MailingStatus.SENT
    # The message accepted just before the refusal is recorded, not left pending.
    sent = Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENT)
    assert sent.count() == 9


def test_temporary_failures_are_retried_a_bounded_number_of_times(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.UPDATES_MAX_ATTEMPTS = 3
    bulk_subscribers(5)
    smtp_server.refuse["bulk1@example.org"] = "451 4.3.0 Try again later"
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    failed = Delivery.objects.get(mailing=mailing, status=DeliveryStatus.FAILED)
    assert failed.attempts == 3
    assert failed.subscriber.status == SubscriberStatus.CONFIRMED  # not a bounce
    assert len(smtp_server.messages) == 4
    assert mailing.status == MailingStatus.SENT


def test_a_temporary_failure_that_clears_is_sent_on_retry(
    smtp_server, django_capture_on_commit_callbacks
):
    bulk_subscribers(3)
    smtp_server.refuse["bulk0@example.org"] = "451 4.3.0 Try again later"
    original = smtp_server.handle_RCPT

    async def refuse_once(server, session, envelope, address, rcpt_options):
        response = await original(server, session, envelope, address, rcpt_options)
        smtp_server.refuse.pop(address, None)
        return response

    smtp_server.handle_RCPT = refuse_once
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(
        mailing=mailing, subscriber__email="bulk0@example.org"
    )
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert sorted(smtp_server.recipients()) == [
        f"bulk{i}@example.org" for i in range(3)
    ]


def test_unreachable_server_leaves_failures_not_a_crash(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard: refused
    settings.EMAIL_TIMEOUT = 2
    bulk_subscribers(3)
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    deliveries = Delivery.objects.filter(mailing=mailing)
    assert {d.status for d in deliveries} == {DeliveryStatus.FAILED}
    assert all(d.last_error.startswith("could not connect") for d in deliveries)


def test_subscriber_who_leaves_before_their_turn_is_skipped(
    smtp_server, django_capture_on_commit_callbacks
):
    stays, leaves = SubscriberFactory(), SubscriberFactory()
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)
    # Recipients are fixed when sending starts; one leaves before reaching the
    # front of the queue.
    from updates.sending import _list_recipients

    lease = SenderLease.take(mailing.pk)
    _list_recipients(mailing, lease)
    lease.finish()
    services.subscriber_unsubscribe(subscriber_id=leaves.pk, method="test")
    send_mailing.enqueue(mailing.pk)
    assert smtp_server.recipients() == [stays.email]
    skipped = Delivery.objects.get(mailing=mailing, subscriber=leaves)
    assert skipped.status == DeliveryStatus.SKIPPED


def test_listing_recipients_again_after_an_interruption_adds_only_the_missing(
    settings,
):
    """The recipients are listed in chunks; a sender stopped partway through
    lists them again on resuming, adding each missing one once."""
    from updates.sending import _list_recipients

    settings.UPDATES_BATCH_SIZE = 2  # chunks of 20
    confirmed = bulk_subscribers(45)
    SubscriberFactory(status=SubscriberStatus.PENDING)
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)  # no worker ran yet
    lease = SenderLease.take(mailing.pk)
    first = list(confirmed.order_by("pk").values_list("pk", flat=True)[:25])
    Delivery.objects.bulk_create(
        [Delivery(mailing=mailing, subscriber_id=pk) for pk in first]
    )  # what a stopped sender had listed

    _list_recipients(mailing, lease)

    listed = Delivery.objects.filter(mailing=mailing)
    assert sorted(listed.values_list("subscriber_id", flat=True)) == sorted(
        confirmed.values_list("pk", flat=True)
    )
    assert set(listed.values_list("status", "attempts", "last_error")) == {
        (DeliveryStatus.QUEUED, 0, "")
    }
    mailing.refresh_from_db()
    assert mailing.recipients_listed_at is not None


def test_targeting_by_region_and_constituency(
    smtp_server, uk_areas, django_capture_on_commit_callbacks
):
    constituencies = Area.objects.filter(area_type=AreaType.CONSTITUENCY)
    north_west = Area.objects.get(area_type=AreaType.REGION, name="North West")
    wales = Area.objects.get(area_type=AreaType.NATION, name="Wales")
    in_nw = constituencies.filter(region=north_west).first()
    in_wales = constituencies.filter(nation=wales).first()
    chosen = constituencies.exclude(region=north_west).exclude(nation=wales).first()
    elsewhere = (
        constituencies.exclude(region=north_west)
        .exclude(nation=wales)
        .exclude(pk=chosen.pk)
        .first()
    )
    people = {
        "nw": SubscriberFactory(constituency=in_nw),
        "wales": SubscriberFactory(constituency=in_wales),
        "chosen": SubscriberFactory(constituency=chosen),
        "elsewhere": SubscriberFactory(constituency=elsewhere),
        "unknown": SubscriberFactory(postcode="SW1A 1AA"),
        "nw_pending": SubscriberFactory(
            constituency=in_nw, status=SubscriberStatus.PENDING
        ),
    }
    mailing = MailingFactory()
    mailing.target_areas.set([north_west, wales, chosen])
    queue(mailing, capture=django_capture_on_commit_callbacks)
    assert sorted(smtp_server.recipients()) == sorted(
        people[k].email for k in ("nw", "wales", "chosen")
    )


def test_confirmation_email_has_the_unsubscribe_headers_too(
    smtp_server, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/updates/signup/",
            {"email": "via.smtp@example.org", "consent": "on"},
        )
    [(rcpts, message)] = smtp_server.messages
    assert rcpts == ["via.smtp@example.org"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert UNSUBSCRIBE_RE.search(message["List-Unsubscribe"])
    assert message.get_content_type() == "multipart/alternative"


def test_mail_carries_the_site_domain_not_the_machine_name(
    smtp_server, client, settings, django_capture_on_commit_callbacks
):
    # The test settings' SITE_URL is https://updates.example.org.
    SubscriberFactory(email="reader@example.org", status=SubscriberStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/updates/signup/", {"email": "new@example.org", "consent": "on"})
        services.mailing_queue(mailing=MailingFactory(), actor=None)
    assert len(smtp_server.messages) == 2
    for _rcpts, message in smtp_server.messages:
        assert message["From"].addresses[0].domain == "updates.example.org"
        assert message["Message-ID"].endswith("@updates.example.org>")
        assert message["List-Id"].endswith("<updates.updates.example.org>")
        assert (
            message["List-Unsubscribe"]
            .strip()
            .startswith("<https://updates.example.org/updates/unsubscribe/")
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_but_the_confirmation_reaches_an_unconfirmed_address(
    smtp_server, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/updates/signup/", {"email": "waiting@example.org", "consent": "on"}
        )
    queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    assert smtp_server.recipients() == ["waiting@example.org"]
    assert "confirm" in smtp_server.messages[0][1]["Subject"].lower()


def test_smtp_errors_do_not_leak_addresses_into_the_delivery_log(
    smtp_server, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="private.person@example.org")
    smtp_server.refuse["private.person@example.org"] = (
        "550 5.1.1 <private.person@example.org> unknown"
    )
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(mailing=mailing)
    assert "private" not in delivery.last_error


def test_send_mailing_command_finishes_a_queued_mailing(smtp_server):
    from io import StringIO

    from django.core.management import call_command

    bulk_subscribers(4)
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)  # no worker ran
    out = StringIO()
    call_command("send_mailing", mailing.pk, stdout=out)
    assert "Sent 4, failed 0" in out.getvalue()
    assert len(smtp_server.messages) == 4
    out = StringIO()
    call_command("send_mailing", mailing.pk, stdout=out)
    assert "Nothing to do" in out.getvalue()
    assert len(smtp_server.messages) == 4


def test_a_second_sender_leaves_the_mailing_to_the_first(smtp_server):
    bulk_subscribers(3)
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)
    other_worker = SenderLease.take(mailing.pk)
    assert other_worker is not None
    report = mailing_deliver(mailing_id=mailing.pk)
    assert not report.started
    assert report.notes == ["another worker is sending this mailing"]
    assert smtp_server.messages == []
    other_worker.finish()  # the other worker stops without sending
    assert mailing_deliver(mailing_id=mailing.pk).sent == 3


def test_production_wiring_database_queue_and_db_worker(
    smtp_server, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # A real worker drops stale connections between tasks; here that connection
    # holds the test's transaction, so it stays.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "updates"],
        }
    }
    bulk_subscribers(5)
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    assert mailing.status == MailingStatus.QUEUED
    assert smtp_server.messages == []  # nothing is sent inside the admin's request
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay",
        "--no-reload", verbosity=0,
    )  # fmt: skip
    assert len(smtp_server.messages) == 5
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT


def test_with_a_deferring_backend_failures_wait_for_a_later_run(
    smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks.backends.immediate import ImmediateBackend

    # The immediate backend, told it can defer, runs the later run at once: the
    # first run leaves the failure for it instead of retrying in place.
    monkeypatch.setattr(ImmediateBackend, "supports_defer", True)
    bulk_subscribers(2)
    smtp_server.refuse["bulk0@example.org"] = "451 4.3.0 Try again later"
    original = smtp_server.handle_RCPT

    async def refuse_once(server, session, envelope, address, rcpt_options):
        response = await original(server, session, envelope, address, rcpt_options)
        smtp_server.refuse.pop(address, None)
        return response

    smtp_server.handle_RCPT = refuse_once
    mailing = queue(MailingFactory(), capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(
        mailing=mailing, subscriber__email="bulk0@example.org"
    )
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert mailing.status == MailingStatus.SENT
