"""No address enumeration by timing: /updates/signup/ answers the same, after the
same work, whether the address is unknown, pending, confirmed or unsubscribed.

Deciding what to do with an address (and whether to mail it) used to happen in
the request, which then took about half as long for a confirmed subscriber as for
anyone else. Timing is noisy on a shared machine, so the tests compare what makes
the time: the database statements the request runs and the task it queues. They
use the production task queue (the database backend) and a real worker, so what
they see is what production does."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from network.models import Area
from tests.updates.conftest import _fresh_throttle, smtp_server
from tests.updates.factories import SubscriberFactory
from updates import consent
from updates.models import ConsentAction, ConsentEvent, Subscriber, SubscriberStatus

pytestmark = pytest.mark.django_db

# Fixtures of other tests, imported so that pytest finds them here.
SHARED_FIXTURES = (_fresh_throttle, smtp_server)

SIGNUP = "/updates/signup/"
ADDRESSES = {
    "unknown": "someone.new@example.org",
    "pending": "pending@example.org",
    "confirmed": "confirmed@example.org",
    "unsubscribed": "left@example.org",
}


@pytest.fixture
def subscribers():
    SubscriberFactory(
        email=ADDRESSES["pending"], status=SubscriberStatus.PENDING, name="Old Name"
    )
    SubscriberFactory(email=ADDRESSES["confirmed"], name="Confirmed Person")
    SubscriberFactory(
        email=ADDRESSES["unsubscribed"], status=SubscriberStatus.UNSUBSCRIBED
    )


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Tasks queued in the database, as in production, until a worker runs them."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "updates"],
        }
    }
    # A real worker drops stale connections between tasks; here that connection
    # holds the test's transaction, so it stays.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker():
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay",
        "--no-reload", verbosity=0,
    )  # fmt: skip


def form_data(email: str) -> dict:
    return {
        "email": email,
        "name": "Given Name",
        "postcode": "AB11 5FD",
        "consent": "on",
        "wording_version": consent.CURRENT_VERSION,
        "website": "",
    }


QUOTED = re.compile(r"'(?:[^']|'')*'")
NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
SAVEPOINT = re.compile(r'"s\d+_x\d+"')


def shape(sql: str) -> str:
    """A statement with its values (and savepoint names) taken out: what the
    database has to do."""
    return NUMBER.sub("?", QUOTED.sub("?", SAVEPOINT.sub("sp", sql)))


def sign_up(client, capture, email):
    """Post the form; returns the statements run and the tasks queued."""
    queued_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = client.post(SIGNUP, form_data(email))
    assert response.status_code == 302
    assert response["Location"] == "/updates/check-your-email/"
    queued = list(DBTaskResult.objects.exclude(pk__in=queued_before))
    return [shape(query["sql"]) for query in queries], queued


def test_the_request_does_the_same_database_work_for_every_kind_of_address(
    client, subscribers, database_queue, django_capture_on_commit_callbacks
):
    events_before = ConsentEvent.objects.count()
    statements, tasks = {}, {}
    for kind, email in ADDRESSES.items():
        statements[kind], queued = sign_up(
            client, django_capture_on_commit_callbacks, email
        )
        tasks[kind] = [
            (
                task.task_path,
                task.queue_name,
                [type(value).__name__ for value in task.args_kwargs["args"]],
                sorted(task.args_kwargs["kwargs"]),
            )
            for task in queued
        ]
        # The queue holds no address, name or postcode: only a reference.
        assert email not in str([task.args_kwargs for task in queued]), kind
        assert "Given Name" not in str([task.args_kwargs for task in queued]), kind
    assert statements["unknown"], "the request must store the sign-up"
    for kind in ADDRESSES:
        assert statements[kind] == statements["unknown"], kind
        assert tasks[kind] == tasks["unknown"], kind
    assert tasks["unknown"] == [
        ("updates.tasks.process_signup", "updates", ["int"], [])
    ]
    # Whether and what to mail is decided later, by the worker: nothing about any
    # of these addresses changed in the request.
    assert ConsentEvent.objects.count() == events_before
    assert not Subscriber.objects.filter(email=ADDRESSES["unknown"]).exists()


def test_the_worker_then_mails_each_kind_of_address_as_docs_updates_promises(
    client, uk_areas, subscribers, database_queue, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    for email in ADDRESSES.values():
        sign_up(client, django_capture_on_commit_callbacks, email)
    assert smtp_server.messages == []  # nothing is sent in the request
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    # The worker's own confirmation emails are tasks too.
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    # A confirmed address gets nothing; every other one a confirmation link.
    assert sorted(smtp_server.recipients()) == sorted(
        [ADDRESSES["unknown"], ADDRESSES["pending"], ADDRESSES["unsubscribed"]]
    )
    for _, message in smtp_server.messages:
        assert "/updates/confirm/" in message.get_body(("plain",)).get_content()

    new = Subscriber.objects.get(email=ADDRESSES["unknown"])
    assert new.status == SubscriberStatus.PENDING
    assert (new.name, new.postcode) == ("Given Name", "AB11 5FD")
    assert new.constituency == Area.objects.get(gss_code="S14000061")
    # The details given last are kept for anyone not yet confirmed ...
    assert Subscriber.objects.get(email=ADDRESSES["pending"]).name == "Given Name"
    # ... and a confirmed subscriber's stay as they were, with no new request.
    confirmed = Subscriber.objects.get(email=ADDRESSES["confirmed"])
    assert confirmed.name == "Confirmed Person"
    assert confirmed.consent_events.filter(action=ConsentAction.REQUESTED).count() == 1
    for kind in ("unknown", "pending", "unsubscribed"):
        request = ConsentEvent.objects.filter(
            subscriber__email=ADDRESSES[kind], action=ConsentAction.REQUESTED
        ).latest("at", "pk")
        assert request.wording_version == consent.CURRENT_VERSION
        assert request.source == SIGNUP
        assert request.at > confirmed.confirmed_at  # today's, not the factory's

    # Asking again soon after sends nothing more (one link per cooldown).
    for email in ADDRESSES.values():
        sign_up(client, django_capture_on_commit_callbacks, email)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
    assert len(smtp_server.messages) == 3
