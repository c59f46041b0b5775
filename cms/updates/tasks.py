"""Where the updates list's tasks lived before the app moved to ``updates/``.

django-tasks stores a queued task by its dotted path. The migration that moved the
app (updates/migrations/0004) rewrote the rows queued before the deploy; a task a
process still running the old code queues during the deploy names this module, and
finds its task here. Remove this module a release later, once

    SELECT count(*) FROM django_tasks_database_dbtaskresult
    WHERE task_path LIKE 'cms.updates.tasks.%' AND status IN ('READY', 'RUNNING')

answers 0."""

from updates.tasks import process_signup, send_confirmation, send_mailing

__all__ = ["process_signup", "send_confirmation", "send_mailing"]
