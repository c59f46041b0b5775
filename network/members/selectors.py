"""Reads for the member area. What a viewer may see comes from network/visibility.py."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model

from network.models import (
    Affiliation,
    Area,
    AreaType,
    ContactDetail,
    GroupMembership,
    Person,
    ProfileChange,
    Role,
)
from network.selectors import areas_within
from network.visibility import audience_for_user, visible_contacts, visible_people
from ops.storage import PRIVATE_FOLDER


def directory_people(*, viewer) -> QuerySet:
    """People the viewer may see, each with their roles, party history, groups and
    the contacts the viewer may see: a constant number of queries per page."""
    audience = audience_for_user(viewer)
    contacts = visible_contacts(ContactDetail.objects.all(), audience).order_by(
        "sort_order", "pk"
    )
    return (
        visible_people(Person.objects.all(), audience)
        .select_related("photo")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.select_related(
                    "area", "election", "party", "group"
                ).order_by("sort_order", "pk"),
            ),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("party").order_by(
                    "sort_order", "pk"
                ),
            ),
            Prefetch(
                "group_memberships",
                queryset=GroupMembership.objects.select_related("group").order_by(
                    "group__name"
                ),
            ),
            Prefetch("contacts", queryset=contacts, to_attr="visible_contacts"),
        )
        .order_by("name", "pk")
    )


def filter_by_area(queryset: QuerySet, area: Area) -> QuerySet:
    """People with a role in the area or anywhere inside it (wards of a council,
    districts of a county and their wards, everything in a region or nation): the
    same containment as the API's ``?area=``."""
    return queryset.filter(roles__area__in=areas_within(area)).distinct()


def area_choices() -> QuerySet:
    """Areas to filter the directory by: nations, regions and councils."""
    return Area.objects.filter(
        area_type__in=(
            AreaType.NATION,
            AreaType.REGION,
            AreaType.COUNTY,
            AreaType.LOCAL_AUTHORITY,
        )
    ).order_by("name")


def person_for_viewer(*, viewer, slug: str) -> Person | None:
    return directory_people(viewer=viewer).filter(slug=slug).first()


def photo_file(*, name: str) -> tuple[str, Person | None] | None:
    """The stored profile photo (original or rendition) a photo address names, and
    the person whose photo it is (None when nobody's). None when no profile photo
    has that name: only files the database knows are ever served."""
    stored = f"{PRIVATE_FOLDER}/{name}"
    Image = get_image_model()
    image = Image.objects.filter(file=stored).first()
    if image is None:
        rendition = (
            Image.get_rendition_model()
            .objects.filter(file=stored)
            .select_related("image")
            .first()
        )
        if rendition is None:
            return None
        image = rendition.image
    return stored, Person.objects.filter(photo=image).order_by("pk").first()


def profile_history(*, person: Person) -> QuerySet:
    return ProfileChange.objects.filter(person=person).select_related("actor")
