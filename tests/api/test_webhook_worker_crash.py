"""Webhook deliveries survive their worker being killed: a real task worker
(`bin/entrypoint worker`, on the database task queue) posting to a real receiver
on 127.0.0.1 that checks every signature with the standardwebhooks library, is
SIGKILLed while the receiver holds its answer to one delivery, and a fresh worker,
told nothing, finishes the work. Each event is handled by the receiver exactly
once: the delivery whose answer the killed worker never heard comes again with
the same webhook-id, which the receiver recognises, and nothing is lost."""

import signal
from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from api.models import PartnerOrganisation
from api.webhooks import services
from api.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.factories import PersonFactory
from tests.security.faults_support import (
    LiveDatabase,
    process_env,
    start_worker,
    stop,
    wait_for,
)

from .webhook_receiver import Receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]

PEOPLE = 6
HELD = 3  # the receiver holds its answer to the third delivery
DATABASE_QUEUE = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "updates", "webhooks"],
    }
}


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def test_a_killed_webhook_worker_loses_nothing_and_repeats_only_the_unanswered(
    receiver, tmp_path
):
    if connection.vendor != "postgresql":
        reason = (
            "needs PostgreSQL: two worker processes and the test use one "
            "database at once (run with DATABASE_URL=postgres://...)"
        )
        print(f"skipped: {reason}")
        pytest.skip(reason)
    organisation = PartnerOrganisation.objects.create(
        name="Crash-test partner", scope="network", contact_email="p@example.org"
    )
    _endpoint, secret = services.endpoint_create(
        organisation=organisation, url=receiver.url, event_types=["person.created"]
    )
    receiver.secrets.append(secret)
    # The deliveries' tasks go to the database queue, for the workers.
    with override_settings(TASKS=DATABASE_QUEUE):
        people = [
            PersonFactory(public_profile=True, public_profile_agreed_at=timezone.now())
            for _ in range(PEOPLE)
        ]
    deliveries = [delivery.message_id for delivery in WebhookDelivery.objects.all()]
    assert len(deliveries) == PEOPLE and not receiver.requests
    live = LiveDatabase(tmp_path)
    live.publish()

    env = process_env(
        live,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WEBHOOKS_ALLOW_PRIVATE_TARGETS="true",
        WEBHOOKS_REQUIRE_HTTPS="false",
        # A short lease, so the fresh worker's check finds the killed one's
        # delivery within seconds; the timeout stays under it.
        WEBHOOKS_SENDER_LEASE="3",
        WEBHOOKS_TIMEOUT_SECONDS="2",
        LOG_LEVEL="INFO",
    )
    log = tmp_path / "workers.log"

    def worker(name):
        return start_worker(name, env, log)

    receiver.hold_at = HELD
    workers = [worker("first")]
    try:
        wait_for(receiver.held.is_set, timeout=60, what="the held delivery", log=log)
        held_id = receiver.requests[HELD - 1]["headers"]["webhook-id"]
        stop(workers[0], signal.SIGKILL)
        receiver.release.set()
        held = next(d for d in WebhookDelivery.objects.all() if d.message_id == held_id)
        assert held.status == DeliveryStatus.SENDING  # no answer was recorded
        workers.append(worker("second"))
        wait_for(
            lambda: (
                WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
                == PEOPLE
            ),
            timeout=90,
            what="every delivery to be recorded delivered",
            log=log,
        )
    finally:
        for process in workers:
            stop(process)
    live.collect()

    # Every request was signed so that standardwebhooks verifies it.
    assert all(request["verified"] for request in receiver.requests)
    # Each event was handled once, and none is missing.
    assert sorted(receiver.handled) == sorted(deliveries)
    handled_people = {body["data"]["id"] for body in receiver.handled.values()}
    assert handled_people == {str(person.public_id) for person in people}
    # Only the delivery whose answer the killed worker never heard came twice,
    # with its webhook-id unchanged; every other came once.
    posts = Counter(r["headers"]["webhook-id"] for r in receiver.requests)
    assert posts == {
        message_id: 1 + (message_id == held_id) for message_id in deliveries
    }
