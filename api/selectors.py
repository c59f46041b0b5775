"""Reads behind the partner API: each names what it joins and prefetches and
sorts explicitly, so a page costs the same number of queries at any size."""

from django.db.models import Prefetch, QuerySet

from campaign.selectors import candidacies_with_stance
from network.models import (
    Affiliation,
    Area,
    ContactDetail,
    Election,
    Group,
    GroupMembership,
    Party,
    Person,
    Role,
)
from network.visibility import (
    Audience,
    visible_contacts,
    visible_people,
    visible_tombstones,
)

from .filters import current_roles_q
from .models import PersonTombstone

ROLE_RELATED = ("area", "election", "party", "group")


def person_list(*, audience: Audience) -> QuerySet:
    """The people this audience may see, with what a person answer shows."""
    roles = (
        candidacies_with_stance(Role.objects.filter(current_roles_q()))
        .select_related(*ROLE_RELATED)
        .order_by("sort_order", "pk")
    )
    contacts = visible_contacts(ContactDetail.objects.all(), audience).order_by(
        "sort_order", "pk"
    )
    return (
        visible_people(Person.objects.all(), audience)
        .only(
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
        .prefetch_related(
            Prefetch("roles", queryset=roles, to_attr="current_roles"),
            Prefetch("contacts", queryset=contacts, to_attr="visible_contacts"),
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
        .order_by("name", "pk")
    )


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
