"""What a webhook carries: ``webhook_payload``, the one function that builds it.

A body is built when it is sent, not when the event happens, from the person as
they are then and for the endpoint's partner scope only (network/visibility.py
decides, through the API's own serializer): a partner never receives more than
its key could read from /api/v1/people/, and a person who has since left its
view is not sent at all.

Every body follows the Standard Webhooks shape: ``{"type", "timestamp", "data"}``.
"""

from django.conf import settings

from campaign.models import StanceEvent
from network.visibility import Audience, audience_for_scope, may_hear_of_removal

from ..documents import document_for
from ..stances import StanceEventSerializer
from .models import EventType, WebhookEndpoint, WebhookEvent


def _dt(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _context(audience: Audience) -> dict:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/api/v1/"
    return {"audience": audience, "_api_base": base}


def person_document(person_pk: int | None, audience: Audience) -> dict | None:
    """The person as ``GET /api/v1/people/{slug}`` shows them to this audience
    (their stored document), or None when they are gone or out of its view."""
    if person_pk is None:
        return None
    return document_for(person_pk, audience, root=_context(audience)["_api_base"])


def webhook_payload(*, event: WebhookEvent, endpoint: WebhookEndpoint) -> dict | None:
    """The body for this event at this endpoint, or None when the partner may not
    hear of it (the delivery is then recorded as skipped)."""
    audience = audience_for_scope(endpoint.organisation.scope)
    data: dict
    if event.type in (EventType.PERSON_CREATED, EventType.PERSON_UPDATED):
        person = person_document(event.person_pk, audience)
        if person is None:
            return None
        data = {"id": person["id"], "person": person}
    elif event.type == EventType.PERSON_REMOVED:
        reason = event.data.get("reason", "deleted")
        if not may_hear_of_removal(
            reason=reason, was_public=event.was_public, audience=audience
        ):
            return None
        data = {"id": str(event.person_public_id), "reason": reason}
    elif event.type == EventType.STANCE_RECORDED:
        stance = (
            StanceEvent.objects.select_related("candidacy")
            .filter(pk=event.stance_event_pk)
            .first()
        )
        if stance is None:
            return None
        # Candidacies and replies are public record (visible_candidacies); the
        # person's own document only goes where they may be seen.
        data = {
            "candidacy": stance.candidacy_id,
            "stance_event": StanceEventSerializer(
                context=_context(audience)
            ).to_representation(stance),
            "person": person_document(stance.candidacy.person_id, audience),
        }
    else:  # pledge.counts_changed: totals only, which are public
        data = dict(event.data)
    return {"type": event.type, "timestamp": _dt(event.occurred_at), "data": data}
