"""Stored answers: for each person, the document each audience may see.

The partner API serves people as stored JSON documents (``PersonDocument``), one
per person and audience, instead of assembling each answer from a dozen tables
on every request. What goes into a document is decided where it always was: the
person serializer, narrowed by network/visibility.py (which people an audience
may know about, which contacts and fields it may see). A person an audience may
not see has no document for that audience.

Documents are rebuilt by ``documents_rebuild`` whenever a person or anything
their answer shows changes (api/signals.py calls it from the model signals), in
the same database transaction as the change: a partner can never read a
document that disagrees with the directory after the change committed, and a
change rolled back takes its rebuilt document with it. A task queue would leave
a window in which a withdrawn contact is still served, and would need its own
catch-up; see docs/performance.md.

Roles end by date, not by an edit: a document whose current role ends records
the day (``stale_from``) and ``documents_refresh_stale`` rebuilds it then (the
API calls it at most once a day per process, and ``rebuild_person_documents
--stale`` does the same from a scheduler).

Readers: ``document_for(person, audience)`` for one person (webhook payloads),
``absolute`` to make stored URLs absolute for a caller.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from campaign.selectors import candidacies_with_stance
from network.models import Affiliation, ContactDetail, GroupMembership, Person, Role
from network.visibility import Audience, may_see_contact, may_see_person

from . import answers
from .csvrows import person_csv_line
from .filters import current_roles_q
from .models import PersonDocument

log = logging.getLogger(__name__)

# Stored URLs are relative to the API's root ("people/<slug>/"); the JSON text of
# a stored document always has this key and separator before such a value, and no
# string value can contain an unescaped quote, so a plain replace is exact.
URL_MARK = '"url": "people/'

ROLE_RELATED = ("area", "election", "party", "group")
PERSON_FIELDS = (
    "pk",
    "public_id",
    "slug",
    "name",
    "pronouns",
    "bio",
    "status",
    "network_status",
    "updated_at",
    "public_profile",
    "public_profile_agreed_at",
)


def _people(person_ids) -> Iterable[Person]:
    """The people with everything a document shows: five queries, any number."""
    roles = (
        candidacies_with_stance(Role.objects.filter(current_roles_q()))
        .select_related(*ROLE_RELATED)
        .order_by("sort_order", "pk")
    )
    return (
        Person.objects.filter(pk__in=person_ids)
        .only(*PERSON_FIELDS)
        .prefetch_related(
            Prefetch("roles", queryset=roles, to_attr="current_roles"),
            Prefetch(
                "contacts",
                queryset=ContactDetail.objects.order_by("sort_order", "pk"),
                to_attr="all_contacts",
            ),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("party").order_by(
                    "start_date", "sort_order", "pk"
                ),
            ),
            Prefetch(
                "group_memberships",
                queryset=GroupMembership.objects.select_related("group").order_by(
                    "group__name", "pk"
                ),
            ),
        )
        .order_by("pk")
    )


def _stale_from(person) -> date | None:
    ends = [role.end_date for role in person.current_roles if role.end_date]
    return min(ends) + timedelta(days=1) if ends else None


def build(person, audience: Audience) -> dict | None:
    """The document ``audience`` may see of a person fetched by ``_people``, or
    None when it may not see them at all."""
    from .serializers import PersonSerializer

    if not may_see_person(person, audience):
        return None
    person.visible_contacts = [
        contact for contact in person.all_contacts if may_see_contact(contact, audience)
    ]
    serializer = PersonSerializer(context={"audience": audience, "_api_base": ""})
    return serializer.to_representation(person)


def documents_rebuild(person_ids: Iterable[int]) -> int:
    """Rebuild every audience's document of these people, in the caller's
    transaction. People who no longer exist just lose theirs. Returns how many
    documents were written."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return 0
    with transaction.atomic():
        rows, keep = [], set()
        for person in _people(ids):
            stale_from = _stale_from(person)
            for audience in Audience:
                document = build(person, audience)
                if document is None:
                    continue
                keep.add((person.pk, int(audience)))
                rows.append(
                    PersonDocument(
                        person_id=person.pk,
                        audience=int(audience),
                        document=document,
                        csv_line=person_csv_line(document),
                        sort_name=person.name,
                        modified=person.updated_at,
                        stale_from=stale_from,
                    )
                )
        # Upsert rather than delete and insert: a document keeps its row.
        PersonDocument.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["person", "audience"],
            update_fields=[
                "document",
                "csv_line",
                "sort_name",
                "modified",
                "stale_from",
            ],
        )
        # An audience that may no longer see someone loses their document.
        held = PersonDocument.objects.filter(person_id__in=ids).values_list(
            "pk", "person_id", "audience"
        )
        gone = [pk for pk, person, audience in held if (person, audience) not in keep]
        if gone:
            PersonDocument.objects.filter(pk__in=gone).delete()
    answers.documents_changed()
    return len(rows)


def documents_rebuild_all(
    *, batch: int = 1000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild every person's documents, a batch per transaction."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), batch):
        written += documents_rebuild(ids[start : start + batch])
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    # Documents of people deleted while this ran went with them (cascade).
    return written


def documents_missing() -> list[int]:
    """People with no document at all (e.g. made before documents existed)."""
    return list(
        Person.objects.filter(api_documents__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def documents_refresh_stale(today: date | None = None) -> int:
    """Rebuild the documents whose current role has ended since they were built."""
    today = today or timezone.localdate()
    ids = set(
        PersonDocument.objects.filter(stale_from__lte=today).values_list(
            "person_id", flat=True
        )
    )
    return documents_rebuild(ids)


_refreshed_on: date | None = None


def refresh_stale_daily() -> None:
    """``documents_refresh_stale`` at most once a day in this process."""
    global _refreshed_on
    today = timezone.localdate()
    if _refreshed_on != today:
        documents_refresh_stale(today)
        _refreshed_on = today


# ------------------------------------------------------------------ readers


def api_root() -> str:
    """The API's absolute root when there is no request to take it from."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/api/v1/"


def absolute(text: str, root: str) -> str:
    """Stored JSON text (one document or many) with absolute URLs."""
    return text.replace(URL_MARK, f'"url": "{root}people/')


def document_for(person, audience: Audience, *, root: str | None = None) -> dict | None:
    """What ``audience`` may see of ``person``, as the API answers it, or None
    when it may not see them. ``root`` is the API's absolute address (default:
    the site's, from WAGTAILADMIN_BASE_URL). Reads the stored document."""
    pk = getattr(person, "pk", person)
    document = (
        PersonDocument.objects.filter(person_id=pk, audience=int(audience))
        .values_list("document", flat=True)
        .first()
    )
    if document is None:
        return None
    document["url"] = (root or api_root()) + document["url"]
    return document


def loads(text: str, root: str) -> dict:
    """One stored document's JSON text as a dict with an absolute URL."""
    document = json.loads(text)
    document["url"] = root + document["url"]
    return document


def missing_csv_line(document_pk: int) -> str:
    """The CSV line of a stored document saved without one (by code older than
    the column, during a deploy): written from the document, as it would be."""
    stored = PersonDocument.objects.values_list("document", flat=True)
    return person_csv_line(stored.get(pk=document_pk))
