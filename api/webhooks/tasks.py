"""Background tasks for webhooks, on their own queue ("webhooks").

``deliver_webhook`` makes one attempt and, on a backend that can defer tasks (the
database queue of production), schedules the next after the backoff.
``webhooks_resume`` is the worker's periodic check (``manage.py db_worker`` runs
it, see ``WORKER_CHECKS``): it queues deliveries whose task was lost (a worker
killed mid-send leaves its row ``sending`` and its task marked running for ever)
and those due that nobody queued.
"""

from django.utils import timezone
from django_tasks import task

from .delivery import deliver, lease
from .models import WAITING, DeliveryStatus, WebhookDelivery

QUEUE = "webhooks"


@task(queue_name=QUEUE)
def deliver_webhook(delivery_id: int) -> str | None:
    outcome = deliver(delivery_id)
    if outcome is None:
        return None
    if outcome.retry_at is not None and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=outcome.retry_at).enqueue(delivery_id)
    return outcome.status


def webhooks_resume() -> list[int]:
    """Queue every delivery that is due but has no live task: left ``sending``
    by a sender whose lease ran out, or waiting for longer than a lease past its
    time. Safe to run anywhere, any number of times: a delivery is claimed by
    one sender only."""
    now = timezone.now()
    stranded = WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, lease_expires_at__lte=now
    )
    overdue = WebhookDelivery.objects.filter(
        status__in=WAITING,
        next_attempt_at__lte=now - lease(),
        endpoint__enabled=True,
    )
    ids = sorted(
        set(stranded.values_list("pk", flat=True))
        | set(overdue.values_list("pk", flat=True)[:1000])
    )
    for pk in ids:
        deliver_webhook.enqueue(pk)
    return ids
