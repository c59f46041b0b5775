"""Reads: who a mailing goes to, how far its sending got, the consent evidence."""

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When

from network.models import Area, AreaType

from .models import (
    MAILING_TARGET_TYPES,
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
    else those whose constituency is chosen, lies in a chosen region or nation, or
    overlaps a chosen council (a county through its districts). Subscribers without
    a known constituency only get untargeted mailings."""
    audience = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
    target_ids = list(mailing.target_areas.values_list("pk", flat=True))
    if not target_ids:
        return audience
    constituencies = Area.objects.filter(area_type=AreaType.CONSTITUENCY).filter(
        Q(pk__in=target_ids)
        | Q(region__in=target_ids)
        | Q(nation__in=target_ids)
        | Q(council_overlaps__council__in=target_ids)
        | Q(council_overlaps__council__parent__in=target_ids)
    )
    return audience.filter(constituency__in=constituencies.values("pk"))


# At most this many areas are offered for one search in the mailing form.
TARGET_SEARCH_LIMIT = 15


def mailing_target_search(text: str, *, limit: int = TARGET_SEARCH_LIMIT) -> list[Area]:
    """Regions, nations, councils and constituencies whose name holds every word
    of ``text``: exact names first, then alphabetically."""
    words = " ".join(text.split()).split()[:8]
    if not words:
        return []
    query = Q()
    for word in words:
        query &= Q(name__icontains=word)
    exact = Q(name__iexact=" ".join(words))
    return list(
        Area.objects.filter(query, area_type__in=MAILING_TARGET_TYPES)
        .annotate(exact=Case(When(exact, then=0), default=1))
        .order_by("exact", "name", "pk")[:limit]
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
