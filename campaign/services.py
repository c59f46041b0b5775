"""Writes of the campaign: recording what candidates were asked and answered.

Each service validates with ``full_clean()`` (the model's rules), runs in one
transaction and records who did it. The admin, the API and commands call these
rather than saving models themselves.
"""

from datetime import date

from django.db import transaction

from campaign.models import StanceEvent
from network.models import Role


@transaction.atomic
def stance_record(
    *,
    candidacy: Role,
    kind: str,
    occurred_on: date,
    actor,
    method: str = "",
    asked_by: str = "",
    position: str = "",
    quote: str = "",
    evidence_url: str = "",
) -> StanceEvent:
    """Add one event to a candidacy's stance history."""
    event = StanceEvent(
        candidacy=candidacy,
        kind=kind,
        occurred_on=occurred_on,
        method=method,
        asked_by=asked_by,
        position=position,
        quote=quote,
        evidence_url=evidence_url,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    event.full_clean()
    event.save()  # campaign.signals drops the cached public pages
    return event
