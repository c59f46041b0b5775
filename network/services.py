"""Writes to the directory: recording stance events and coordination notes.

Each service validates with ``full_clean()`` (the model's rules), runs in one
transaction and records who did it. Admin views, API viewsets and commands call
these rather than saving models themselves.
"""

from datetime import date

from django.db import transaction
from wagtail.log_actions import log

from campaign.models import StanceEvent
from network.models import CoordinationNote, NoteVisibility, Role


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
    event.save()  # network.signals drops the cached public pages
    return event


NOTE_FIELDS = ("person", "area", "group", "text", "visibility", "follow_up_on", "done")


@transaction.atomic
def note_add(
    *,
    author,
    text: str,
    person=None,
    area=None,
    group=None,
    visibility: str = NoteVisibility.COORDINATORS,
    follow_up_on: date | None = None,
) -> CoordinationNote:
    """Write a note about one person, area or group. The text is sanitised."""
    note = CoordinationNote(
        author=author,
        text=text,
        person=person,
        area=area,
        group=group,
        visibility=visibility,
        follow_up_on=follow_up_on,
    )
    note.full_clean()
    note.save()
    note.save_revision(user=author)
    log(instance=note, action="wagtail.create", user=author)
    return note


@transaction.atomic
def note_update(*, note: CoordinationNote, actor, **changes) -> CoordinationNote:
    """Change a note; a revision keeps what it said before for the history."""
    unknown = set(changes) - set(NOTE_FIELDS)
    if unknown:
        raise TypeError(f"note_update cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(note, name, value)
    note.full_clean()
    note.save()
    note.save_revision(user=actor, log_action=True)
    return note
