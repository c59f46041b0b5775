"""Reads: who a mailing goes to, how far its sending got, the consent evidence."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from .models import (
    ConsentAction,
    ConsentEvent,
    Delivery,
    DeliveryStatus,
    Mailing,
    Subscriber,
    SubscriberStatus,
)


def mailing_audience(*, mailing: Mailing) -> QuerySet[Subscriber]:
    """Confirmed subscribers in the mailing's target: everyone when it has none,
    else those whose constituency is chosen or lies in a chosen region or nation.
    Subscribers without a known constituency only get untargeted mailings."""
    audience = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
    region_ids = list(mailing.target_regions.values_list("pk", flat=True))
    constituency_ids = list(mailing.target_constituencies.values_list("pk", flat=True))
    if not region_ids and not constituency_ids:
        return audience
    return audience.filter(
        Q(constituency__in=constituency_ids)
        | Q(constituency__region__in=region_ids)
        | Q(constituency__nation__in=region_ids)
    )


PROGRESS_STATES = {
    "queued": (DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.RETRY),
    "sent": (DeliveryStatus.SENT,),
    "failed": (DeliveryStatus.FAILED,),
    "skipped": (DeliveryStatus.SKIPPED,),
}


def progress_annotations() -> dict:
    """Per-mailing counts of deliveries by progress state, for a listing's queryset."""
    return {
        f"{name}_count": Count("deliveries", filter=Q(deliveries__status__in=states))
        for name, states in PROGRESS_STATES.items()
    }


def mailing_progress(*, mailing: Mailing) -> dict[str, int]:
    counts = dict.fromkeys(PROGRESS_STATES, 0)
    rows = (
        Delivery.objects.filter(mailing=mailing)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, n in rows:
        for name, states in PROGRESS_STATES.items():
            if status in states:
                counts[name] += n
    return counts


def _latest_event(action: str, field: str) -> Subquery:
    return Subquery(
        ConsentEvent.objects.filter(subscriber=OuterRef("pk"), action=action)
        .order_by("-at", "-pk")
        .values(field)[:1]
    )


def subscribers_with_consent_evidence() -> QuerySet[Subscriber]:
    """Subscribers with the request and confirmation that stand as their consent:
    when, where and under which wording version, one row each."""
    return (
        Subscriber.objects.select_related("constituency")
        .annotate(
            requested_at=_latest_event(ConsentAction.REQUESTED, "at"),
            requested_source=_latest_event(ConsentAction.REQUESTED, "source"),
            consent_wording_version=_latest_event(
                ConsentAction.REQUESTED, "wording_version"
            ),
            consent_confirmed_at=_latest_event(ConsentAction.CONFIRMED, "at"),
            confirmed_method=_latest_event(ConsentAction.CONFIRMED, "method"),
        )
        .order_by("email")
    )
