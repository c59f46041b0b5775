"""Writes to the directory: coordination notes.

Each service validates with ``full_clean()`` (the model's rules), runs in one
transaction and records who did it. Admin views, API viewsets and commands call
these rather than saving models themselves.
"""

from datetime import date

from django.db import transaction
from wagtail.log_actions import log

from network.models import CoordinationNote, NoteVisibility

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
