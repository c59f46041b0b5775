"""manage.py db_worker: django-tasks-db's worker, which also resumes mailings
whose worker died.

django-tasks-db never looks again at a task it marked running, so a worker killed
mid-send (SIGKILL, out of memory, a lost machine) would leave its mailing
"sending" for ever. This command is that worker plus a thread that, at start and
then every half ``UPDATES_SENDER_LEASE``, hands such mailings back to the queue
(``tasks.mailings_resume_stranded``). It takes the place of django-tasks-db's own
command because this app comes first in ``INSTALLED_APPS``.
"""

import logging
import os
import threading
import time

from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
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


class Command(db_worker.Command):
    help = (
        "Run a database background worker. It also resumes any mailing whose "
        "worker died mid-send, once that sender's lease has run out."
    )

    def handle(self, *args, **options):
        queues = options["queue_name"].split(",")
        excluded = (options["exclude_queues"] or "").split(",")
        takes_mailings = (
            options["backend_name"] == send_mailing.backend
            and ("*" in queues or QUEUE in queues)
            and QUEUE not in excluded
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
        super().handle(*args, **options)
