"""Reads of the directory that more than one part of the site needs."""

from django.db.models import Q, QuerySet

from network.models import Area, AreaType, ConstituencyCouncilOverlap


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
