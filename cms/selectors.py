"""Reads for the campaign site: listings, signatories, hosts, registration counts,
and the national picture the home page leads with."""

import unicodedata
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page

from campaign.selectors import (
    ConstituencyState,
    StanceState,
    hex_map,
    overview,
)
from cms.models import (
    EventPage,
    Registration,
    RegistrationStatus,
    StatementPage,
)
from network.models import AreaType
from network.search import search_areas, search_constituencies, search_people
from network.visibility import Audience, may_see_person


def in_reader_language(queryset: QuerySet, *, root: Page) -> QuerySet:
    """The pages of ``queryset`` under ``root`` and, when ``root`` is a
    translation (the Urdu statements index), also those under its English
    original that have no live translation there: a translated list shows every
    item, untranslated ones in English, which the templates mark as English
    (``lang_if_other``). Each page comes with its locale; two queries more on a
    translated list, one on an English one."""
    local = queryset.descendant_of(root)
    default = Locale.get_default()
    original = (
        None if root.locale_id == default.pk else root.get_translation_or_none(default)
    )
    if original is None:
        return local.select_related("locale")
    untranslated = queryset.descendant_of(original).exclude(
        translation_key__in=local.values("translation_key")
    )
    return queryset.filter(
        Q(pk__in=local.values("pk")) | Q(pk__in=untranslated.values("pk"))
    ).select_related("locale")


def statement_list(*, root: Page) -> QuerySet[StatementPage]:
    """Live, public statements under ``root`` (in its language, else English),
    newest first."""
    return in_reader_language(
        StatementPage.objects.live().public(), root=root
    ).order_by("-date", "-first_published_at", "-pk")


def event_list_upcoming(*, root: Page, now=None) -> QuerySet[EventPage]:
    """Live events under ``root`` (in its language, else English) that have not
    ended, soonest first."""
    now = now or timezone.now()
    return in_reader_language(
        EventPage.objects.live().public().filter(end__gt=now), root=root
    ).order_by("start", "pk")


def event_list_past(*, root: Page, now=None) -> QuerySet[EventPage]:
    """Live events under ``root`` (in its language, else English) that have
    ended, latest first."""
    now = now or timezone.now()
    return in_reader_language(
        EventPage.objects.live().public().filter(end__lte=now), root=root
    ).order_by("-start", "-pk")


def national_picture() -> dict:
    """The where-they-stand counts and map, for the home page: how many candidates
    call for a ceasefire, how many constituencies are in each state, and the map's
    hexagons. Public figures only (the same as /where-they-stand/ shows)."""
    summary = overview()
    return {
        "election": summary.election,
        "ceasefire_candidates": summary.candidates.get(StanceState.CEASEFIRE, 0),
        "constituency_counts": [
            (state, summary.constituencies.get(state, 0)) for state in ConstituencyState
        ],
        "constituencies": sum(summary.constituencies.values()),
        "map": hex_map(summary),
    }


def _public_entries(relation, audience: Audience) -> list:
    """Signatories or hosts the audience may see: groups, and people who agreed to
    a public profile (the visibility policy decides)."""
    return [
        entry
        for entry in relation.select_related("person", "group")
        .prefetch_related("person__roles__area", "person__roles__group")
        .order_by("sort_order")
        if entry.group_id or may_see_person(entry.person, audience)
    ]


def public_signatories(*, page: StatementPage) -> list:
    return _public_entries(page.signatories.all(), Audience.PUBLIC)


def public_hosts(*, page: EventPage) -> list:
    return _public_entries(page.hosts.all(), Audience.PUBLIC)


@dataclass(frozen=True)
class RegistrationCounts:
    confirmed: int
    waiting: int
    cancelled: int
    attended: int
    with_access_needs: int


def registration_counts(*, event: EventPage) -> RegistrationCounts:
    """One query: how many registrations of each kind an event has."""
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        attended=Count("pk", filter=Q(attended=True)),
        with_access_needs=Count(
            "pk",
            filter=~Q(access_needs="") & ~Q(status=RegistrationStatus.CANCELLED),
        ),
    )
    return RegistrationCounts(**counts)


def event_is_full(*, event: EventPage) -> bool:
    if event.capacity is None:
        return False
    taken = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).count()
    return taken >= event.capacity


def search_words(query: str) -> str:
    """The words of a visitor's query: letters, digits and combining marks, with
    everything else a space between words. Punctuation is syntax to the search
    engines (on SQLite's FTS5 a lone ``"`` is an error, ``*``, ``:``, ``(`` and
    ``^`` operators), and PostgreSQL cannot take a NUL; neither is ever part of a
    word the index holds."""
    kept = (char if unicodedata.category(char)[0] in "LNM" else " " for char in query)
    return " ".join("".join(kept).split())


def search_pages(*, query: str, site) -> "QuerySet[Page]":
    """Live, public pages of ``site`` matching the words of ``query`` (Wagtail
    search: PostgreSQL full-text search on PostgreSQL, SQLite's FTS5 on SQLite)."""
    words = search_words(query)
    if not words:
        return Page.objects.none()
    return Page.objects.live().public().in_site(site).search(words)


def specific_pages(pages) -> list[Page]:
    """The specific page objects for a page of results, in order, in a few queries."""
    ids = [page.pk for page in pages]
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class DirectoryResult:
    title: str
    description: str
    url: str


def _role_line(role) -> str:
    where = f" for {role.area.name}" if role.area_id else ""
    party = f" ({role.party.name})" if role.party_id else ""
    return f"{role.get_kind_display()}{where}{party}"


def search_directory(*, query: str, audience: Audience) -> dict[str, list]:
    """Constituencies, people and other areas matching ``query``, for the site's
    search: at most a few of each, in a constant number of queries. People are
    only those the audience may know about (``network.visibility``)."""
    words = search_words(query)
    if not words:
        return {"constituencies": [], "people": [], "areas": []}
    constituencies = [
        DirectoryResult(
            area.name,
            f"Westminster constituency in {(area.region or area.nation).name}"
            if (area.region_id or area.nation_id)
            else "Westminster constituency",
            reverse("stances:constituency", args=[area.slug]),
        )
        for area in search_constituencies(words)
    ]
    people = []
    for person in search_people(words, audience=audience):
        roles = list(person.roles.all())
        if audience >= Audience.NETWORK:
            url = reverse("members:person", args=[person.slug])
        else:
            seat = next(
                (
                    r.area
                    for r in roles
                    if r.kind == "candidate"
                    and r.area_id
                    and r.area.area_type == AreaType.CONSTITUENCY
                ),
                None,
            )
            url = reverse("stances:constituency", args=[seat.slug]) if seat else ""
        people.append(
            DirectoryResult(person.name, "; ".join(_role_line(r) for r in roles), url)
        )
    areas = []
    for area in search_areas(words):
        where = area.parent or area.region or area.nation
        description = area.get_area_type_display()
        if where is not None:
            description += f" in {where.name}"
        areas.append(DirectoryResult(area.name, description, ""))
    return {"constituencies": constituencies, "people": people, "areas": areas}
