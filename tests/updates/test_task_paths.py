"""Tasks queued before the updates app moved out of ``cms/`` still run.

django-tasks stores a queued task by its dotted path. Rows stored before the deploy
are rewritten by the migration (tests/test_migrations.py); a process still on the
old code may queue one more during the deploy, under ``cms.updates.tasks``, and the
new workers must run it and, for a mailing, resume it like any other."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from tests.updates.factories import MailingFactory, bulk_subscribers
from updates import services, tasks
from updates.models import MailingStatus

pytestmark = pytest.mark.django_db

OLD_SEND_PATH = "cms.updates.tasks.send_mailing"
DATABASE_QUEUE = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "updates"],
    }
}


def queued_under_the_old_path(mailing, capture):
    with override_settings(TASKS=DATABASE_QUEUE), capture(execute=True):
        services.mailing_queue(mailing=mailing, actor=None)
    rows = DBTaskResult.objects.filter(task_path=tasks.send_mailing.module_path)
    assert rows.update(task_path=OLD_SEND_PATH) == 1
    return DBTaskResult.objects.get(task_path=OLD_SEND_PATH)


EVERY_TASK = sorted(
    name for name, value in vars(tasks).items() if isinstance(value, Task)
)


@pytest.mark.parametrize("name", EVERY_TASK)
def test_each_task_is_found_under_its_old_path(name):
    assert import_string(f"cms.updates.tasks.{name}") is getattr(tasks, name)


def test_a_mailing_queued_under_the_old_path_is_sent_by_the_worker(
    smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.management.commands import db_worker

    # The worker would drop the connection that holds the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    bulk_subscribers(3)
    mailing = MailingFactory()
    row = queued_under_the_old_path(mailing, django_capture_on_commit_callbacks)
    with override_settings(TASKS=DATABASE_QUEUE):
        call_command(
            "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay",
            "--no-reload", verbosity=0,
        )  # fmt: skip
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(smtp_server.messages) == 3
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT


def test_a_stranded_send_under_the_old_path_is_queued_again_not_doubled(
    django_capture_on_commit_callbacks,
):
    mailing = MailingFactory()
    row = queued_under_the_old_path(mailing, django_capture_on_commit_callbacks)
    row.claim("killed-worker")
    long_ago = timezone.now() - timedelta(seconds=settings.UPDATES_SENDER_LEASE)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=long_ago)
    with override_settings(TASKS=DATABASE_QUEUE):
        assert tasks.mailings_resume_stranded() == [mailing.pk]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    # The old row is the mailing's task: no second one was queued beside it.
    sends = DBTaskResult.objects.filter(task_path__endswith=".send_mailing")
    assert list(sends) == [row]
