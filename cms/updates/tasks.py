"""Background tasks (the Django tasks API): sign-ups, confirmation emails and
mailings.

They run on the "updates" queue: immediately in development and tests, and in
production through the database backend and ``manage.py db_worker``.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .mail import confirmation_message
from .models import Subscriber, SubscriberStatus
from .sending import mailing_deliver
from .services import signup_process

QUEUE = "updates"


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
