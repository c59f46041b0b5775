"""A mailing survives its worker being killed: real `manage.py db_worker` processes
(as `bin/entrypoint worker` starts them, on the database task queue) sending to a
real SMTP server, killed with SIGKILL mid-send and replaced by a fresh worker
that nobody tells about the stranded mailing."""

import asyncio
import json
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail import get_connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.security.faults_support import (
    LiveDatabase,
    free_port,
    process_env,
    start_worker,
    stop,
    wait_for,
)
from tests.updates.factories import MailingFactory, bulk_subscribers
from updates import services
from updates.models import Delivery, DeliveryStatus, Mailing, MailingStatus
from updates.sending import INTERRUPTED, SenderLease, mailing_deliver
from updates.tasks import mailings_resume_stranded, send_mailing

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 300
# The production task backend, for the test's own enqueueing (the test settings'
# immediate backend would send the mailing inside the test).
DATABASE_QUEUE = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "updates"],
    }
}
# Seconds a sender's claim on a mailing lasts without renewal: short here, so a
# fresh worker takes over a dead one's mailing within seconds.
LEASE = "1"


def send_tasks():
    return DBTaskResult.objects.filter(task_path=send_mailing.module_path)


def queue_in_database(mailing, capture):
    with override_settings(TASKS=DATABASE_QUEUE), capture(execute=True):
        services.mailing_queue(mailing=mailing, actor=None)


@dataclass
class Hold:
    step: str
    count: int
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class CountingSink:
    """An SMTP server that counts what each address received, and can hold one
    message at a chosen step so the test can kill the sender there:

    - ``hold("rcpt", n)``: the message after the ``n``th is held at RCPT, before
      its content is sent (it has not arrived: it must still be sent);
    - ``hold("data", n)``: the ``n``th message has arrived and its sender waits
      for the server's reply (it must not be sent again)."""

    def __init__(self):
        self.received = Counter()
        self.holds: list[Hold] = []
        self.port = 0

    def total(self) -> int:
        return sum(self.received.values())

    def hold(self, step: str, count: int) -> Hold:
        self.holds.append(Hold(step, count))
        return self.holds[-1]

    async def _held(self, step: str) -> None:
        for hold in self.holds:
            if (hold.step, hold.count) == (step, self.total()) and not (
                hold.reached.is_set()
            ):
                hold.reached.set()
                while not hold.release.is_set():
                    await asyncio.sleep(0.01)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        await self._held("rcpt")
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Counted on arrival: a mail server that has the whole message delivers
        # it, whether or not the sender stays to hear the reply.
        self.received.update(envelope.rcpt_tos)
        await self._held("data")
        return "250 Message accepted"


@pytest.fixture
def sink():
    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        handler.port = controller.port
        yield handler
    finally:
        for hold in handler.holds:
            hold.release.set()
        controller.stop()


@pytest.mark.long
def test_a_killed_worker_s_mailing_is_finished_by_a_fresh_worker_each_once(
    sink, tmp_path
):
    live = LiveDatabase(tmp_path)
    emails = set(bulk_subscribers(RECIPIENTS).values_list("email", flat=True))
    mailing = MailingFactory()
    with override_settings(TASKS=DATABASE_QUEUE):
        services.mailing_queue(mailing=mailing, actor=None)
    assert send_tasks().get().status == TaskResultStatus.READY
    live.publish()

    env = process_env(
        live,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        UPDATES_SENDER_LEASE=LEASE,
        LOG_LEVEL="INFO",
    )
    log = tmp_path / "workers.log"
    workers = {}

    def worker(name):
        """``bin/entrypoint worker``, as production runs it."""
        workers[name] = start_worker(name, env, log)

    def kill_sender_when(hold):
        """SIGKILL the worker sending the mailing once the sink holds it."""
        wait_for(hold.reached.is_set, timeout=30, what="the held message", log=log)
        (ids,) = live.row(
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE status = 'RUNNING' AND task_path = %s",
            [send_mailing.module_path],
        )
        sender = (json.loads(ids) if isinstance(ids, str) else ids)[-1]
        stop(workers[sender], signal.SIGKILL)
        return sender

    def mailing_status():
        return live.row(
            "SELECT status FROM updates_mailing WHERE id = %s", [mailing.pk]
        )[0]

    try:
        # Two workers, as production runs at least two. Whichever takes the
        # mailing is killed while the mail server holds its reply to message
        # 120: that message has arrived, though its sender never heard so.
        first = sink.hold("data", 120)
        worker("a")
        worker("b")
        killed = {kill_sender_when(first)}
        assert sink.total() == 120
        assert mailing_status() == MailingStatus.SENDING
        # The next sender is killed in turn while message 200 waits at RCPT: its
        # content never went, so it must still be sent. Message 199 was accepted,
        # but its outcome is written with message 200's hand-over, which never
        # came: it is recorded as uncertain, and not sent again either.
        second = sink.hold("rcpt", 199)
        first.release.set()
        # A fresh worker joins, told nothing about the mailing.
        worker("c")
        killed.add(kill_sender_when(second))
        second.release.set()
        assert len(killed) == 2, "the same worker cannot have been killed twice"
        assert sink.total() == 199

        # The last worker standing finishes the mailing on its own.
        wait_for(
            lambda: mailing_status() == MailingStatus.SENT,
            timeout=30,
            what="the mailing to be sent",
            log=log,
        )
        wait_for(
            lambda: (
                live.row(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status IN ('READY', 'RUNNING')"
                )
                == (0,)
            ),
            timeout=10,
            what="the send task to finish",
            log=log,
        )
    finally:
        for process in workers.values():
            stop(process)
    live.collect()

    # Every subscriber got the update exactly once: the ones that arrived with
    # no outcome recorded were not sent again, the one held before its content
    # was.
    assert sink.received.keys() == emails, sink.received.keys() ^ emails
    assert set(sink.received.values()) == {1}
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    deliveries = Counter(
        Delivery.objects.filter(mailing=mailing).values_list("status", flat=True)
    )
    # One uncertain recipient per interruption, no more.
    assert deliveries == {DeliveryStatus.SENT: RECIPIENTS - 2, DeliveryStatus.FAILED: 2}
    uncertain = Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.FAILED)
    assert {d.last_error for d in uncertain} == {INTERRUPTED}
    # They are messages 120 and 199: rows go in id order.
    in_order = list(
        Delivery.objects.filter(mailing=mailing).order_by("pk").values_list("pk")
    )
    assert {d.pk for d in uncertain} == {in_order[119][0], in_order[198][0]}
    # The dead workers' task was run again to the end, not left "running".
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Mailing.objects.get(pk=mailing.pk).finished_at is not None


@pytest.mark.django_db
def test_a_mailing_whose_run_stopped_on_an_error_is_queued_again_after_its_lease(
    django_capture_on_commit_callbacks,
):
    """Not only a killed worker: a run that failed with an error (the database
    went away mid-send, say) leaves the mailing to the workers' check, which
    queues it again once the lease has run out, and only once."""
    mailing = MailingFactory()
    queue_in_database(mailing, django_capture_on_commit_callbacks)
    # The run took the lease, then its task failed with the error.
    assert SenderLease.take(mailing.pk) is not None
    send_tasks().update(status=TaskResultStatus.FAILED)

    with override_settings(TASKS=DATABASE_QUEUE):
        assert mailings_resume_stranded() == []  # its lease has not run out
        Mailing.objects.filter(pk=mailing.pk).update(lease_expires_at=timezone.now())
        assert mailings_resume_stranded() == [mailing.pk]
        assert mailings_resume_stranded() == []  # queued once, not at every check
    ready = send_tasks().get(status=TaskResultStatus.READY)
    assert ready.args_kwargs["args"] == [mailing.pk]


@pytest.mark.django_db
def test_a_worker_killed_before_its_sender_started_has_its_task_run_again(
    django_capture_on_commit_callbacks,
):
    """Killed between taking the task and taking the mailing's lease: the task is
    "running" and the mailing still merely queued. Once the task has run longer
    than a lease without one, it goes back in the queue."""
    mailing = MailingFactory()
    queue_in_database(mailing, django_capture_on_commit_callbacks)
    task = send_tasks().get()
    task.claim("killed-worker")
    with override_settings(TASKS=DATABASE_QUEUE):
        assert mailings_resume_stranded() == []  # it may just be starting
        long_ago = timezone.now() - timedelta(seconds=settings.UPDATES_SENDER_LEASE)
        send_tasks().update(started_at=long_ago)
        assert mailings_resume_stranded() == [mailing.pk]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.QUEUED


@pytest.mark.django_db
def test_a_sender_whose_lease_was_taken_over_stops_before_the_next_message(
    sink, settings
):
    """A sender stalled past its lease (a frozen machine, say) while another took
    the mailing over must not send one more message when it wakes."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.UPDATES_SENDER_LEASE = 0.05
    bulk_subscribers(4)
    mailing = MailingFactory()
    services.mailing_queue(mailing=mailing, actor=None)  # no worker ran yet
    other = {}

    def stalling_connection():
        connection = get_connection()
        send = connection.send_messages

        def send_then_stall(messages):
            count = send(messages)
            if not other:
                time.sleep(0.1)  # the lease runs out; another sender takes it
                other["lease"] = SenderLease.take(mailing.pk)
            return count

        connection.send_messages = send_then_stall
        return connection

    report = mailing_deliver(
        mailing_id=mailing.pk, connection_factory=stalling_connection
    )
    assert other["lease"] is not None
    assert (report.sent, sink.total()) == (1, 1)
    assert report.notes == ["another worker took this mailing over"]
    queued = Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.QUEUED)
    assert queued.count() == 3  # left for the sender that took over
