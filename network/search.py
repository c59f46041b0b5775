"""Finding areas and people by name for the site's search (``/search/``).

On PostgreSQL the names are matched with full-text search (the ``simple``
configuration, each word a prefix, so "blackb" finds Blackburn), ranked by
closeness; elsewhere (SQLite in development) every word must appear in the name.
People are narrowed by the visibility policy before anything is matched, so a
person the viewer may not know about is never found, counted or ranked.
"""

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, When

from network.models import Area, AreaType, Person, Role
from network.visibility import Audience, visible_people

# At most this many of each kind are listed for one query.
SEARCH_LIMIT = 10

# Larger areas before smaller ones of the same name: wards are many.
_AREA_ORDER = Case(
    *(
        When(area_type=kind, then=n)
        for n, kind in enumerate(
            [
                AreaType.NATION,
                AreaType.REGION,
                AreaType.COUNTY,
                AreaType.LOCAL_AUTHORITY,
            ]
        )
    ),
    default=9,
    output_field=IntegerField(),
)


def _matching(
    queryset: QuerySet, words: list[str], field: str = "name", first=()
) -> QuerySet:
    """Rows whose ``field`` holds every word; the exact name first, then the
    orderings in ``first``, then the closest matches."""
    queryset = queryset.annotate(
        inexact=Case(
            When(**{f"{field}__iexact": " ".join(words)}, then=0),
            default=1,
            output_field=IntegerField(),
        )
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(field, config="simple")
        # The words are letters and digits only (cms.selectors.search_words), so
        # the raw query holds no operator but the ones added here.
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words),
            config="simple",
            search_type="raw",
        )
        return (
            queryset.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("inexact", *first, "-rank", field, "pk")
        )
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__icontains": word})
    return queryset.filter(condition).order_by("inexact", *first, field, "pk")


def _words(text: str) -> list[str]:
    return text.split()[:8]


def search_constituencies(text: str, *, limit: int = SEARCH_LIMIT) -> list[Area]:
    words = _words(text)
    if not words:
        return []
    areas = Area.objects.filter(area_type=AreaType.CONSTITUENCY).select_related(
        "region", "nation"
    )
    return list(_matching(areas, words)[:limit])


def search_areas(text: str, *, limit: int = SEARCH_LIMIT) -> list[Area]:
    """Nations, regions, councils and wards (constituencies are listed apart)."""
    words = _words(text)
    if not words:
        return []
    areas = Area.objects.exclude(area_type=AreaType.CONSTITUENCY).select_related(
        "parent", "region", "nation"
    )
    return list(_matching(areas, words, first=[_AREA_ORDER])[:limit])


def search_people(
    text: str, *, audience: Audience, limit: int = SEARCH_LIMIT
) -> list[Person]:
    """People the audience may know about whose name matches, with their current
    roles (area, party, election) fetched in one more query."""
    words = _words(text)
    if not words:
        return []
    people = visible_people(Person.objects.all(), audience).prefetch_related(
        Prefetch(
            "roles",
            queryset=Role.objects.select_related("area", "party", "election").order_by(
                "sort_order", "pk"
            ),
        )
    )
    return list(_matching(people, words)[:limit])
