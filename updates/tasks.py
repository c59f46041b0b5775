"""Background tasks (the Django tasks API): sign-ups, confirmation emails and
mailings.

They run on the "updates" queue: immediately in development and tests, and in
production through the database backend and ``manage.py db_worker``, which also
resumes mailings whose worker died (``mailings_resume_stranded``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .mail import confirmation_message
from .models import Mailing, Subscriber, SubscriberStatus
from .sending import ACTIVE, lease_seconds, mailing_deliver
from .services import signup_process

logger = logging.getLogger(__name__)

QUEUE = "updates"
# The send task's path before the app moved out of cms/ (see cms/updates/tasks.py):
# a send queued under it by the old code during a deploy is still a mailing's task.
LEGACY_SEND_MAILING_PATH = "cms.updates.tasks.send_mailing"


@task(queue_name=QUEUE)
def process_signup(pending_id: int) -> bool:
    """Act on one sign-up from the form: whether the address gets a confirmation
    link is decided here, out of the request, so that how long the form takes to
    answer says nothing about the address."""
    return signup_process(pending_id=pending_id)


@task(queue_name=QUEUE)
def send_confirmation(subscriber_id: int, request_id: int) -> bool:
    """Email the confirmation link for one sign-up request. The only email an
    unconfirmed address ever gets."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == SubscriberStatus.CONFIRMED:
        return False
    confirmation_message(subscriber=subscriber, request_id=request_id).send()
    return True


@task(queue_name=QUEUE)
def send_mailing(mailing_id: int) -> dict:
    """Send a queued mailing. Running it again (a restarted worker) sends the rest.

    A backend that can defer tasks gets failed recipients retried by a later run,
    after ``UPDATES_RETRY_DELAY`` seconds; the immediate backend retries at once."""
    can_defer = send_mailing.get_backend().supports_defer
    report = mailing_deliver(mailing_id=mailing_id, retry_inline=not can_defer)
    if report.retry_pending and can_defer:
        later = timezone.now() + timedelta(seconds=settings.UPDATES_RETRY_DELAY)
        send_mailing.using(run_after=later).enqueue(mailing_id)
    return {
        "sent": report.sent,
        "failed": report.failed,
        "skipped": report.skipped,
        "retry_pending": report.retry_pending,
    }


def _task_mailing_id(result: DBTaskResult) -> int | None:
    args = result.args_kwargs.get("args") or []
    mailing_id = (
        args[0] if args else result.args_kwargs.get("kwargs", {}).get("mailing_id")
    )
    return mailing_id if isinstance(mailing_id, int) else None


def mailings_resume_stranded() -> list[int]:
    """Give the workers back every mailing whose sender died. Returns their ids.

    django-tasks-db marks a task running when a worker takes it and never looks at
    it again, so a worker killed mid-send leaves its task "running" for ever and no
    other worker runs it. A sender renews its lease on the mailing as it works: a
    lease run out means the sender is gone. Then
    - its send task, still marked running, goes back in the queue as it is;
    - a mailing with no send task waiting or running (its run stopped on an error,
      or the task record was pruned) gets a new one.
    Safe to run in any number of workers at once: a task is put back by one of
    them, and a second task for a mailing finds it taken and does nothing."""
    if not isinstance(send_mailing.get_backend(), DatabaseBackend):
        return []
    now = timezone.now()
    lapsed_before = now - timedelta(seconds=lease_seconds())
    leased = set(
        Mailing.objects.filter(status__in=ACTIVE, lease_expires_at__gt=now).values_list(
            "pk", flat=True
        )
    )
    tasks = DBTaskResult.objects.filter(
        task_path__in=(send_mailing.module_path, LEGACY_SEND_MAILING_PATH),
        backend_name=send_mailing.backend,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).only("pk", "status", "started_at", "args_kwargs")
    has_task: set[int] = set()
    resumed: list[int] = []
    for result in tasks:
        mailing_id = _task_mailing_id(result)
        has_task.add(mailing_id)
        if (
            result.status != TaskResultStatus.RUNNING
            or mailing_id in leased
            or result.started_at is None
            or result.started_at > lapsed_before
        ):
            continue
        requeued = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        ).update(status=TaskResultStatus.READY)
        if requeued:
            logger.warning(
                "mailing %s: its worker stopped mid-send; task %s queued again",
                mailing_id,
                result.pk,
            )
            resumed.append(mailing_id)
    orphans = (
        Mailing.objects.filter(status__in=ACTIVE)
        .filter(
            Q(lease_expires_at__lte=now)
            | Q(lease_expires_at__isnull=True, queued_at__lte=lapsed_before)
        )
        .exclude(pk__in=has_task - {None})
        .values_list("pk", flat=True)
    )
    for mailing_id in orphans:
        send_mailing.enqueue(mailing_id)
        logger.warning("mailing %s: no worker had it; queued again", mailing_id)
        resumed.append(mailing_id)
    return resumed
