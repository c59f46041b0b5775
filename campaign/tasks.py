"""Background tasks of the pledge and asks (the Django tasks API, as updates'):
confirmation emails, sending asks, spike alerts and the retention sweep."""

from django_tasks import task

from campaign import emails, services
from campaign.models import ConstituentAsk, Pledge, PledgeStatus

QUEUE = "updates"


@task(queue_name=QUEUE)
def send_pledge_confirmation(pledge_id: int) -> bool:
    """Email the pledge's confirmation link (which also confirms an updates
    sign-up made with it: one email for both)."""
    pledge = (
        Pledge.objects.select_related("constituency", "updates_request")
        .filter(pk=pledge_id, status=PledgeStatus.PENDING, held=False)
        .first()
    )
    if pledge is None or not pledge.email:
        return False
    emails.pledge_confirmation(pledge=pledge).send()
    return True


@task(queue_name=QUEUE)
def send_ask_confirmation(ask_id: int) -> bool:
    ask = (
        ConstituentAsk.objects.select_related("candidacy__person", "candidacy__area")
        .filter(pk=ask_id, status="pending", held=False)
        .first()
    )
    if ask is None or not ask.email:
        return False
    emails.ask_confirmation(ask=ask).send()
    return True


@task(queue_name=QUEUE)
def send_ask(ask_id: int) -> str:
    """Send one confirmed ask; running it again sends nothing twice."""
    return services.ask_deliver(ask_id=ask_id)


@task(queue_name=QUEUE)
def alert_pledge_spike(constituency_id: int, count: int) -> int:
    """Tell the coordinators that one constituency's pledges are surging."""
    return emails.spike_alert(constituency_id=constituency_id, count=count)


@task(queue_name=QUEUE)
def personal_data_retention() -> dict:
    """Clear client details past their time; anonymise after the campaign."""
    services.asks_resume_stranded()
    return services.personal_data_retention()
