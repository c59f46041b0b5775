"""Reads for the member area. What a viewer may see comes from network/visibility.py."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
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


# ------------------------------------------------------------------ joining

# At most this many areas are offered for one typed name (and as suggestions).
JOIN_AREA_MATCH_LIMIT = 10
JOIN_AREA_TYPES = (AreaType.CONSTITUENCY, AreaType.COUNTY, AreaType.LOCAL_AUTHORITY)
_JOIN_AREA_KINDS = {
    AreaType.CONSTITUENCY: "constituency",
    AreaType.COUNTY: "county council",
    AreaType.LOCAL_AUTHORITY: "council",
}


def join_area_label(area: Area) -> str:
    """How the join form names an area: "Leeds (council)", "Leeds Central and
    Headingley (constituency)". Names alone can be shared by a council and a
    constituency (Wrexham), so the kind goes with them."""
    return f"{area.name} ({_JOIN_AREA_KINDS[area.area_type]})"


def join_area_matches(text: str, *, limit: int = JOIN_AREA_MATCH_LIMIT) -> list[Area]:
    """The councils and constituencies someone asking to join may mean by
    ``text``: the one whose label it is (as suggested while typing), else those
    with exactly that name, else those whose name holds every word of it,
    alphabetically, at most ``limit``."""
    text = " ".join(text.split())
    if not text:
        return []
    areas = Area.objects.filter(area_type__in=JOIN_AREA_TYPES).order_by("name", "pk")
    for area_type, kind in _JOIN_AREA_KINDS.items():
        suffix = f" ({kind})"
        if text.lower().endswith(suffix):
            name = text[: -len(suffix)]
            labelled = list(areas.filter(area_type=area_type, name__iexact=name)[:1])
            if labelled:
                return labelled
    exact = list(areas.filter(name__iexact=text)[:limit])
    if exact:
        return exact
    words = Q()
    for word in text.split()[:8]:
        words &= Q(name__icontains=word)
    return list(areas.filter(words)[:limit])


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
