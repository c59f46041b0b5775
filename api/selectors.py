"""Reads behind the partner API: each names what it joins and prefetches and
sorts explicitly, so a page costs the same number of queries at any size."""

from django.db.models import QuerySet

from campaign.selectors import candidacies_with_stance
from network.models import (
    Area,
    Election,
    Group,
    Party,
    Person,
    Role,
)
from network.visibility import (
    Audience,
    visible_people,
    visible_tombstones,
)

from .models import PersonDocument, PersonTombstone

ROLE_RELATED = ("area", "election", "party", "group")


def person_list(*, audience: Audience) -> QuerySet:
    """The people this audience may see, for the filters to narrow: what the API
    shows of each comes from their stored document (``person_documents``)."""
    return visible_people(Person.objects.all(), audience).order_by("name", "pk")


def person_documents(*, audience: Audience) -> QuerySet:
    """The stored documents of every person this audience may see (a person it
    may not see has none: api/documents.py asks network/visibility.py)."""
    return PersonDocument.objects.filter(audience=int(audience))


def tombstone_list(*, audience: Audience) -> QuerySet:
    return visible_tombstones(PersonTombstone.objects.all(), audience)


def role_list(*, audience: Audience) -> QuerySet:
    """Roles of the people this audience may see."""
    people = visible_people(Person.objects.all(), audience)
    return (
        candidacies_with_stance(Role.objects.filter(person__in=people))
        .select_related("person", *ROLE_RELATED)
        .order_by("person__name", "person_id", "sort_order", "pk")
    )


def area_list() -> QuerySet:
    return Area.objects.select_related("parent", "region", "nation").order_by(
        "name", "pk"
    )


def election_list() -> QuerySet:
    return Election.objects.order_by("-date", "name", "pk")


def party_list() -> QuerySet:
    return Party.objects.order_by("name", "pk")


def group_list() -> QuerySet:
    return Group.objects.select_related("area").order_by("name", "pk")
