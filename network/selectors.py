"""Reads for the directory's pages, admin and API: areas and coordination notes.

Where candidates stand is the campaign's (``campaign.selectors``); a reader that
needs a person's stance next to their directory entry (the API's people) joins the
two itself.
"""

from django.db.models import Q, QuerySet

from network.models import Area, AreaType, ConstituencyCouncilOverlap, CoordinationNote
from network.visibility import visible_notes

# ------------------------------------------------------------------ notes


def notes_for_member(user, *, limit: int = 20) -> list:
    """Network-visible notes about the member's own area, newest first. What a
    member may read is decided by ``visible_notes``; this only orders and trims."""
    return list(
        visible_notes(CoordinationNote.objects.filter(area__isnull=False), user)
        .select_related("area")
        .order_by("-created_at")[:limit]
    )


# ------------------------------------------------------------------ areas


def areas_within(area: Area, *, include_overlapping: bool = False) -> QuerySet:
    """The area itself and every area inside it, as an ``Area`` queryset.

    A nation or region holds everything whose stored nation or region it is; a
    county holds its districts and their wards; a council holds its wards. With
    ``include_overlapping``, a council (or a county, through its districts) also
    takes in the Westminster constituencies that overlap it, which is how the
    candidates standing for a council's area are found.
    """
    inside = Q(pk=area.pk)
    if area.area_type == AreaType.NATION:
        inside |= Q(nation=area)
    elif area.area_type == AreaType.REGION:
        inside |= Q(region=area)
    elif area.area_type == AreaType.COUNTY:
        inside |= Q(parent=area) | Q(parent__parent=area)
    elif area.area_type == AreaType.LOCAL_AUTHORITY:
        inside |= Q(parent=area)
    if include_overlapping and area.is_council:
        overlaps = ConstituencyCouncilOverlap.objects.filter(
            Q(council=area) | Q(council__parent=area)
        ).values("constituency_id")
        inside |= Q(pk__in=overlaps)
    return Area.objects.filter(inside)
