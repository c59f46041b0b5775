"""Pages of results, and the change feed partners use to stay in sync.

Ordinary lists are numbered pages: 50 rows by default, up to 500 with
``page_size``. The people list gives numbered pages for its first
``NUMBERED_PAGES`` and then continues by keyset: ``next`` carries a ``cursor``
holding the last row's sort values, so a deep page costs what the first does
(an OFFSET would read and skip every row before it).

The people list turns into a change feed when asked for changes
(``modified_since`` or a change feed's ``cursor``): rows come oldest change
first, ordered by (time of change, kind, id), and each page carries a ``cursor``
just past its last row. A person changed while a partner pages gets a newer
change time, so they reappear further on rather than being skipped; removed
people arrive as tombstones in the same order.
"""

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .serializers import PersonTombstoneSerializer

MAX_PAGE_SIZE = 500

NEXT = (
    "The address of the next page, or null on the last one. Lists and the change "
    "feed page the same way: follow `next` until it is null."
)

PERSON, TOMBSTONE = 0, 1


def page_size_from(request, default: int) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": f"A whole number from 1 to {MAX_PAGE_SIZE}."}
        )
    return size


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size_from(request, self.page_size)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "How many rows match your filters, across all "
                    "pages (not the number on this page).",
                },
                "next": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": NEXT,
                },
                "previous": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "The page before this one; null on the first.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == "page":
                param["schema"]["minimum"] = 1
            if param["name"] == "page_size":
                param["schema"].update(
                    {"minimum": 1, "maximum": MAX_PAGE_SIZE, "default": self.page_size}
                )
                param["description"] = f"Rows per page, 1 to {MAX_PAGE_SIZE}."
        return params


# ------------------------------------------------------------------ change feed


def encode_cursor(when: datetime, kind: int, pk: int) -> str:
    raw = f"{when.isoformat()}|{kind}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        when, kind, pk = raw.split("|")
        when = datetime.fromisoformat(when)
        if timezone.is_naive(when):
            raise ValueError
        return when.astimezone(UTC), int(kind), int(pk)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise ValidationError(
            {
                "cursor": "Not a cursor this API gave out. Use the `cursor` or "
                "`next` of a previous answer."
            }
        ) from None


def after(
    position: tuple[datetime, int, int], kind: int, ts_field: str, pk_field="pk"
) -> Q:
    """Rows of ``kind`` whose (time, kind, id) sorts after ``position``."""
    when, at_kind, pk = position
    later = Q(**{f"{ts_field}__gt": when})
    if kind > at_kind:
        return later | Q(**{ts_field: when})
    if kind == at_kind:
        return later | Q(**{ts_field: when, f"{pk_field}__gt": pk})
    return later


class ChangeFeed:
    """One page of the change feed: changed people and tombstones, merged."""

    def __init__(self, request, since: datetime | None, default_size: int):
        token = request.query_params.get("cursor")
        if token:
            self.position = decode_cursor(token)
        else:
            # Strictly after `since`: a tombstone kind sorts last at equal times.
            self.position = (since, TOMBSTONE + 1, 0)
        self.size = page_size_from(request, default_size)
        self.request = request
        settle = timedelta(seconds=settings.API_SYNC_SETTLE_SECONDS)
        # Rows stamped in the last moments may belong to transactions that have
        # not committed yet; leaving them for the next call means none is missed.
        self.until = timezone.now() - settle

    def page(self, documents, tombstones):
        """Stored documents (person id, change time, JSON text) and tombstones of
        this page, oldest change first."""
        documents = list(
            documents.filter(after(self.position, PERSON, "modified", "person_id"))
            .filter(modified__lte=self.until)
            .order_by("modified", "person_id")
            .values_list("person_id", "modified", "text")[: self.size + 1]
        )
        tombstones = list(
            tombstones.filter(after(self.position, TOMBSTONE, "removed_at"))
            .filter(removed_at__lte=self.until)
            .order_by("removed_at", "pk")[: self.size + 1]
        )
        events = sorted(
            [((when, PERSON, pk), text) for pk, when, text in documents]
            + [((t.removed_at, TOMBSTONE, t.pk), t) for t in tombstones],
            key=lambda event: event[0],
        )
        self.has_more = len(events) > self.size
        events = events[: self.size]
        if events:
            self.position = events[-1][0]
        self.people = [(key[0], obj) for key, obj in events if key[1] == PERSON]
        self.tombstones = [obj for key, obj in events if key[1] == TOMBSTONE]
        return self.people, self.tombstones

    @property
    def cursor(self) -> str:
        return encode_cursor(*self.position)

    def next_link(self) -> str | None:
        if not self.has_more:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, "modified_since")
        return replace_query_param(url, "cursor", self.cursor)

    def body(self, results: list[str], deleted) -> str:
        """The answer's JSON text around the stored documents' own."""
        return (
            f'{{"next": {json.dumps(self.next_link())}, '
            f'"cursor": {json.dumps(self.cursor)}, '
            f'"results": [{", ".join(results)}], "deleted": {json.dumps(deleted)}}}'
        )


# ------------------------------------------------------------------ keyset pages

# Numbered pages as far as this; `next` from the last one continues by keyset
# (`cursor`), whose cost does not grow with the depth. Any page number can still
# be asked for.
NUMBERED_PAGES = 10
LIST_CURSOR = "list"


def encode_list_cursor(ordering: str, values: list) -> str:
    """Where a list page ends: the ordering and the last row's sort values."""
    raw = json.dumps([LIST_CURSOR, ordering, values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_list_cursor(token: str) -> tuple[str, list] | None:
    """(ordering, values) of a list cursor, or None for any other token (the
    change feed's)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, ordering, values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError):
        return None
    if kind != LIST_CURSOR or not isinstance(values, list):
        return None
    return ordering, values


def keyset_values(fields: list[tuple[str, bool]], values: list) -> list:
    """A list cursor's values as the columns hold them; a 400 for any other."""
    converted = []
    try:
        if len(values) != len(fields):
            raise ValueError
        for (name, _), value in zip(fields, values, strict=True):
            if name == "modified":
                value = datetime.fromisoformat(value)
                if timezone.is_naive(value):
                    raise ValueError
            elif name == "person_id":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValueError
            elif not isinstance(value, str):
                raise ValueError
            converted.append(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {"cursor": "This cursor belongs to another ordering."}
        ) from None
    return converted


def keyset_after(fields: list[tuple[str, bool]], values: list):
    """Rows sorting after ``values`` in the order of ``fields`` ((name,
    descending) pairs, the last a unique key). All one way, a row comparison
    (``(a, b) > (x, y)``), which the index serves as a range; mixed, the same
    spelled out, led by a condition on the first field alone so the index can
    still seek to the page."""
    if len({desc for _, desc in fields}) == 1:
        lookup = TupleLessThan if fields[0][1] else TupleGreaterThan
        return lookup(Tuple(*[F(name) for name, _ in fields]), values)
    first, first_desc = fields[0]
    q = Q()
    for i, (name, desc) in enumerate(fields):
        step = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[i]})
        for j in range(i):
            step &= Q(**{fields[j][0]: values[j]})
        q |= step
    lead = Q(**{f"{first}__{'lte' if first_desc else 'gte'}": values[0]})
    return lead & q


class PeoplePagination(PagePagination):
    """Numbered pages, or the change feed (see the module docstring)."""

    # Shapes the answer refers to that no field declares; api/schema.py
    # registers them.
    schema_components = (PersonTombstoneSerializer,)

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        properties = base["properties"]
        base["required"] = ["next", "results"]
        base["description"] = (
            "A numbered page (`count`, `previous`), or with `modified_since` or "
            "`cursor` a page of the change feed (`cursor`, `deleted`). Both give "
            "`next` and `results`."
        )
        properties["count"]["description"] += (
            " Numbered pages only: the change feed's length is known only at its end."
        )
        properties["previous"]["description"] += (
            " Numbered pages only: null on pages reached by cursor."
        )
        properties["results"] = {
            **schema,
            "description": "People, in the list's order; in the change feed, the "
            "people changed in this page's span, oldest change first (replace your "
            "copy of each).",
        }
        properties["cursor"] = {
            "type": "string",
            "description": (
                "Change feed only: where this page ends. Send it as `cursor` later "
                "to get the changes since."
            ),
        }
        properties["deleted"] = {
            "type": "array",
            "description": (
                "Change feed only: people removed from your view (deleted, or no "
                "longer public) in this page's span, by `id` alone: drop your row "
                "with that `id`."
            ),
            "items": {"$ref": "#/components/schemas/PersonTombstone"},
        }
        return base

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": (
                    "Continue the change feed from a previous answer's `cursor`. "
                    "Lists give one in their `next` link past the first "
                    f"{NUMBERED_PAGES} numbered pages: follow `next` rather than "
                    "making either kind."
                ),
                "schema": {"type": "string"},
            },
        ]
