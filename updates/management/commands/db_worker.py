"""manage.py db_worker: django-tasks-db's worker, which also resumes mailings
whose worker died.

django-tasks-db never looks again at a task it marked running, so a worker killed
mid-send (SIGKILL, out of memory, a lost machine) would leave its mailing
"sending" for ever. This command is that worker plus a thread that, at start and
then every half ``UPDATES_SENDER_LEASE``, hands such mailings back to the queue
(``tasks.mailings_resume_stranded``). It takes the place of django-tasks-db's own
command because this app comes first in ``INSTALLED_APPS``.

Other apps name their own periodic checks in ``WORKER_CHECKS`` (queue, dotted
path, seconds): each runs in its own thread when this worker takes that queue.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks_db.management.commands import db_worker

from updates.sending import lease_seconds
from updates.tasks import QUEUE, mailings_resume_stranded, send_mailing

logger = logging.getLogger(__name__)


def _check() -> None:
    try:
        mailings_resume_stranded()
    except Exception:
        # A database outage, say: the worker goes on, and so does the check.
        logger.exception("checking for stranded mailings failed")


def _check_forever() -> None:
    while True:
        _check()
        # This thread's own connection: closed between checks, like a request's.
        connections.close_all()
        time.sleep(lease_seconds() / 2)


def _run_forever(check, every: float) -> None:
    while True:
        try:
            check()
        except Exception:
            logger.exception("the worker's periodic check %s failed", check.__name__)
        connections.close_all()
        time.sleep(every)


def _takes(queue: str, queues: list[str], excluded: list[str]) -> bool:
    return ("*" in queues or queue in queues) and queue not in excluded


class Command(db_worker.Command):
    help = (
        "Run a database background worker. It also resumes any mailing whose "
        "worker died mid-send, once that sender's lease has run out."
    )

    def handle(self, *args, **options):
        queues = options["queue_name"].split(",")
        excluded = (options["exclude_queues"] or "").split(",")
        takes_mailings = options["backend_name"] == send_mailing.backend and _takes(
            QUEUE, queues, excluded
        )
        # With --reload the command runs in a parent that only watches files and
        # a child that works; only the child checks.
        working = not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV)
        if takes_mailings and working:
            if options["batch"]:
                # Runs what is queued and stops: one check first is enough.
                _check()
            else:
                threading.Thread(
                    target=_check_forever, name="stranded-mailings", daemon=True
                ).start()
        backend = task_backends[options["backend_name"]]
        for queue, path, every in getattr(settings, "WORKER_CHECKS", []):
            if not (working and _takes(queue, queues, excluded)):
                continue
            if backend.queues and queue not in backend.queues:
                continue  # a backend without that queue has nothing to check
            check = import_string(path)
            if options["batch"]:
                check()
            else:
                threading.Thread(
                    target=_run_forever, args=(check, every), name=path, daemon=True
                ).start()
        super().handle(*args, **options)
