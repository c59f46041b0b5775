"""Reads for the campaign's pages, admin and API: where candidates stand.

A candidate's stance is derived from their ``StanceEvent``s, never stored:

- the current position is the position of the latest event carrying one (a reply,
  a change, or the candidate's own correction);
- "asked N times, last on ..." counts the asking events (asked and chased);
- with no position yet, the state is "asked, no reply" or, never asked, "not asked".

The same rule exists twice, once as SQL annotations for listings and filters
(``candidacies_with_stance``) and once in Python over events already fetched
(``derive_stance``); a test holds them to the same answers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from campaign.hexmap import HEX_WIDTH, load_layout, view_box
from campaign.models import ASKING_KINDS, Position, StanceEvent
from network.models import (
    Area,
    AreaType,
    ContactDetail,
    ContactKind,
    Election,
    ElectionKind,
    Role,
    RoleKind,
)
from network.visibility import (
    Audience,
    shows_photo,
    stance_event_fields,
    visible_candidacies,
    visible_contacts,
)


class StanceState(models.TextChoices):
    """A candidate's current state: their position, or why there is none."""

    CEASEFIRE = Position.CEASEFIRE.value, _("Calls for a ceasefire")
    REFUSES = Position.REFUSES.value, _("Refuses to call for a ceasefire")
    UNCLEAR = Position.UNCLEAR.value, _("Unclear")
    NO_REPLY = "no_reply", _("Asked, no reply")
    NOT_ASKED = "not_asked", _("Not asked yet")


class ConstituencyState(models.TextChoices):
    """What the map shows for a constituency."""

    SUPPORTER = "supporter", _("A candidate calls for a ceasefire")
    NO_SUPPORTER = "no_supporter", _("All refuse, are unclear or silent")
    NOT_ASKED = "not_asked", _("Nobody asked yet")


def state_for(position: str, asked_count: int) -> StanceState:
    if position:
        return StanceState(position)
    return StanceState.NO_REPLY if asked_count else StanceState.NOT_ASKED


def constituency_state(states) -> ConstituencyState:
    states = list(states)
    if StanceState.CEASEFIRE in states:
        return ConstituencyState.SUPPORTER
    if any(state != StanceState.NOT_ASKED for state in states):
        return ConstituencyState.NO_SUPPORTER
    return ConstituencyState.NOT_ASKED


# ------------------------------------------------------------------ derived, in SQL


def candidacies_with_stance(queryset=None):
    """Candidacies annotated with ``asked_count``, ``last_asked_on``,
    ``current_position`` (empty when none) and the event that set it:
    ``position_on``, ``position_event_id``, ``position_kind``, ``position_quote``,
    ``position_evidence_url``. One query however many rows."""
    queryset = (
        queryset
        if queryset is not None
        else Role.objects.filter(kind=RoleKind.CANDIDATE)
    )
    latest_position = (
        StanceEvent.objects.filter(candidacy=OuterRef("pk"))
        .exclude(position="")
        .order_by("-occurred_on", "-pk")
    )
    asking = (
        StanceEvent.objects.filter(candidacy=OuterRef("pk"), kind__in=ASKING_KINDS)
        .order_by()
        .values("candidacy")
    )
    return queryset.annotate(
        asked_count=Coalesce(
            Subquery(asking.annotate(n=Count("pk")).values("n"), IntegerField()),
            0,
        ),
        last_asked_on=Subquery(asking.annotate(last=Max("occurred_on")).values("last")),
        current_position=Coalesce(
            Subquery(latest_position.values("position")[:1]), models.Value("")
        ),
        position_on=Subquery(latest_position.values("occurred_on")[:1]),
        position_event_id=Subquery(latest_position.values("pk")[:1]),
        position_kind=Subquery(latest_position.values("kind")[:1]),
        position_quote=Subquery(latest_position.values("quote")[:1]),
        position_evidence_url=Subquery(latest_position.values("evidence_url")[:1]),
    )


def filter_by_state(queryset, state: str):
    """Narrow an annotated candidacy queryset to one StanceState."""
    if state in Position.values:
        return queryset.filter(current_position=state)
    if state == StanceState.NO_REPLY:
        return queryset.filter(current_position="", asked_count__gt=0)
    if state == StanceState.NOT_ASKED:
        return queryset.filter(current_position="", asked_count=0)
    return queryset.none()


# ------------------------------------------------------------------ derived, in Python


@dataclass
class Stance:
    state: StanceState
    asked_count: int = 0
    last_asked_on: date | None = None
    position_event: StanceEvent | None = None
    events: list = field(default_factory=list)

    @property
    def position(self) -> str:
        return self.position_event.position if self.position_event else ""

    @property
    def corrections(self) -> list:
        return [e for e in self.events if e.kind == "correction"]


def derive_stance(events) -> Stance:
    events = sorted(events, key=lambda e: (e.occurred_on, e.pk or 0))
    asking = [e for e in events if e.kind in ASKING_KINDS]
    positioned = [e for e in events if e.position]
    position_event = positioned[-1] if positioned else None
    return Stance(
        state=state_for(position_event.position if position_event else "", len(asking)),
        asked_count=len(asking),
        last_asked_on=asking[-1].occurred_on if asking else None,
        position_event=position_event,
        events=events,
    )


# ------------------------------------------------------------------ the public pages


def stances_election() -> Election | None:
    """The election /where-they-stand/ shows unless the visitor picks another:
    STANCES_ELECTION_ID, else the latest UK Parliament general election (not a
    by-election, which covers one seat) that has candidates."""
    if settings.STANCES_ELECTION_ID:
        return Election.objects.filter(election_id=settings.STANCES_ELECTION_ID).first()
    return (
        Election.objects.filter(
            kind=ElectionKind.PARLIAMENTARY,
            election_id__regex=GENERAL_ELECTION_ID,
            roles__kind=RoleKind.CANDIDATE,
        )
        .order_by("-date")
        .first()
    )


# A general election's id names no seat: parl.2024-07-04.
GENERAL_ELECTION_ID = r"^parl\.[0-9]{4}-[0-9]{2}-[0-9]{2}$"


# The national map's choice that shows the sitting MPs instead of an election.
CURRENT_MPS = "mps"


def current_roles_q() -> models.Q:
    today = timezone.localdate()
    return models.Q(end_date__isnull=True) | models.Q(end_date__gte=today)


@dataclass(frozen=True)
class MapChoice:
    """What the national page maps: one election's candidates, or (election
    None) the sitting MPs."""

    key: str
    label: str
    election: Election | None = None

    @property
    def mps(self) -> bool:
        return self.election is None


def map_choices() -> list[MapChoice]:
    """The sitting MPs, then every UK Parliament election (general or
    by-election) the directory holds candidates for, newest first. One query."""
    elections = (
        Election.objects.filter(
            kind=ElectionKind.PARLIAMENTARY, roles__kind=RoleKind.CANDIDATE
        )
        .distinct()
        .order_by("-date", "name")
    )
    return [MapChoice(CURRENT_MPS, "Current MPs")] + [
        MapChoice(e.election_id, e.name, e) for e in elections
    ]


def map_choice(key: str | None = None) -> tuple[MapChoice, list[MapChoice]]:
    """The choice named by ``key``; without one (or an unknown one), the default
    election (``stances_election``), else the sitting MPs. Returns the choices
    too, for the page's picker. Two queries."""
    choices = map_choices()
    by_key = {choice.key: choice for choice in choices}
    if key in by_key:
        return by_key[key], choices
    default = stances_election()
    if default is not None:
        return by_key.get(
            default.election_id, MapChoice(default.election_id, default.name, default)
        ), choices
    return choices[0], choices


def _election_candidacies(election):
    return candidacies_with_stance(
        Role.objects.filter(kind=RoleKind.CANDIDATE, election=election)
    )


def _mapped_roles(election, *, mps: bool = False):
    """The candidacies at the election, or with ``mps`` the sitting MPs' seats,
    each with its derived stance."""
    if mps:
        return candidacies_with_stance(
            Role.objects.filter(current_roles_q(), kind=RoleKind.MP)
        )
    return _election_candidacies(election)


def constituency_states(election, *, mps: bool = False) -> dict[int, ConstituencyState]:
    """Every constituency's state at the election (or, with ``mps``, of its
    sitting MP), by area id (one query)."""
    per_area = defaultdict(list)
    if election is not None or mps:
        rows = _mapped_roles(election, mps=mps).values_list(
            "area_id", "current_position", "asked_count"
        )
        for area_id, position, asked in rows:
            per_area[area_id].append(state_for(position, asked))
    return {area_id: constituency_state(states) for area_id, states in per_area.items()}


def constituency_pages(election) -> list[tuple[str, object]]:
    """The constituencies with candidates at the election, as (slug, when its page
    last changed: a candidacy or a stance event), in slug order. One query."""
    if election is None:
        return []
    rows = (
        Area.objects.filter(
            area_type=AreaType.CONSTITUENCY,
            roles__kind=RoleKind.CANDIDATE,
            roles__election=election,
        )
        .annotate(
            role_changed=Max("roles__updated_at"),
            stance_changed=Max("roles__stance_events__updated_at"),
        )
        .order_by("slug")
        .values_list("slug", "role_changed", "stance_changed")
    )
    return [
        (slug, max(when for when in (role, stance) if when is not None))
        for slug, role, stance in rows
    ]


@dataclass
class Overview:
    election: Election | None
    candidates: Counter  # StanceState -> candidates (or MPs)
    constituencies: Counter  # ConstituencyState -> constituencies
    regions: list  # [(region Area, Counter of ConstituencyState)]
    states_by_gss: dict  # gss_code -> ConstituencyState
    mps: bool = False  # the sitting MPs, not an election's candidates


def overview(election=None, *, mps: bool = False) -> Overview:
    """National and regional counts plus each constituency's state, for the
    election's candidates or, with ``mps``, the sitting MPs. Three queries."""
    if not mps:
        election = election if election is not None else stances_election()
    candidates = Counter()
    if election is not None or mps:
        rows = _mapped_roles(election, mps=mps).values_list(
            "current_position", "asked_count"
        )
        candidates.update(state_for(p, n) for p, n in rows)
    by_area = constituency_states(election, mps=mps)
    constituencies = Counter()
    regions = defaultdict(Counter)
    states_by_gss = {}
    seats = Area.objects.filter(area_type=AreaType.CONSTITUENCY).select_related(
        "region"
    )
    for seat in seats:
        state = by_area.get(seat.pk, ConstituencyState.NOT_ASKED)
        constituencies[state] += 1
        regions[seat.region][state] += 1
        states_by_gss[seat.gss_code] = state
    return Overview(
        election=None if mps else election,
        candidates=candidates,
        constituencies=constituencies,
        regions=sorted(regions.items(), key=lambda item: item[0].name),
        states_by_gss=states_by_gss,
        mps=mps,
    )


def constituency_map(summary: Overview) -> list[dict]:
    """Each hexagon of the map (``campaign.hexmap``) with its constituency's state,
    counted pledges (``pledges``, for the map's pledge mode) and page address,
    for the where-they-stand page and the home page. Until the areas are loaded
    (``load_areas``) there are none."""
    slugs = _slugs_by_gss()  # once: one cache read, not one per hex
    # The pledge map mode colours each hexagon by its counted pledges.
    pledges = pledge_counts_by_gss()
    hexes = []
    for cell in load_layout().cells:
        if cell.gss_code not in slugs:
            continue
        state = ConstituencyState(summary.states_by_gss.get(cell.gss_code, "not_asked"))
        hexes.append(
            {
                "cell": cell,
                "state": state.value,
                "label": state.label,
                "url": reverse("stances:constituency", args=[slugs[cell.gss_code]]),
                "pledges": pledges.get(cell.gss_code, 0),
            }
        )
    return hexes


def _slugs_by_gss() -> dict[str, str]:
    slugs = cache.get("constituency-slugs")
    if not slugs:  # none yet, or none before the areas were loaded
        slugs = dict(
            Area.objects.filter(area_type=AreaType.CONSTITUENCY).values_list(
                "gss_code", "slug"
            )
        )
        cache.set("constituency-slugs", slugs, 3600)
    return slugs


class MapMode(models.TextChoices):
    """What the hex map colours the constituencies by."""

    STANCES = "stances", _("Stances")
    PLEDGES = "pledges", _("Pledges")


# The pledge mode's bands: (fewest pledges in the band, key, label), highest last.
PLEDGE_BANDS = (
    (0, "pledges-none", _("No pledges yet")),
    (1, "pledges-some", _("1 to 9 pledges")),
    (10, "pledges-many", _("10 to 99 pledges")),
    (100, "pledges-most", _("100 pledges or more")),
)


# A region's hexagons are drawn 30 CSS pixels wide or more: above the 24 px
# minimum target size of WCAG 2.2 (2.5.8).
TAP_PX_PER_UNIT = 30 / HEX_WIDTH


def pledge_band(count: int) -> tuple[str, str]:
    """The (key, label) of the band a constituency's pledge count falls in."""
    band = PLEDGE_BANDS[0]
    for candidate in PLEDGE_BANDS:
        if count >= candidate[0]:
            band = candidate
    return band[1], band[2]


def _pledges_text(count: int) -> str:
    if not count:
        return gettext("No pledges yet")
    return ngettext("%(count)d pledge", "%(count)d pledges", count) % {"count": count}


@dataclass
class HexMap:
    """The hex map as a page draws it: one mode, the whole UK or one region.

    ``hexes`` are the hexagons to draw (``key`` names the colour, ``label`` what
    it means); ``rows`` are the same facts as a list, the map's text alternative:
    each region with its figures for the whole UK, each constituency for a region.
    """

    mode: str
    modes: list
    region: Area | None
    regions: list  # region and nation Areas, by name
    view_box: object  # campaign.hexmap.ViewBox
    hexes: list
    legend: list  # [(key, label)]
    rows: list  # [{"name", "slug" or "url", "text"}]
    points: str  # one hexagon's corners, for <polygon points>
    # A region is drawn at least this wide (CSS pixels), so that each hexagon is a
    # target a finger can hit on a phone; the frame around it pans when it is wider
    # than the screen. The whole UK fits the page instead.
    width_px: int | None = None


def hex_map(summary: Overview, *, mode: str = "", region: str = "") -> HexMap:
    """The map for a mode (``MapMode``; stances unless told) and a region's slug
    (the whole UK when empty or unknown). Pledge counts are read from each
    hexagon's ``pledges`` (``constituency_map``): none counts as 0. No query
    beyond ``constituency_map``'s."""
    mode = mode if mode in MapMode.values else MapMode.STANCES
    layout = load_layout()
    regions = [area for area, _counts in summary.regions]
    chosen = next((area for area in regions if region and area.slug == region), None)
    hexes = []
    for hex_ in constituency_map(summary):
        cell = hex_["cell"]
        if chosen is not None and cell.region != chosen.gss_code:
            continue
        pledges = hex_.get("pledges") or 0
        if mode == MapMode.PLEDGES:
            key, _band = pledge_band(pledges)
            label = _pledges_text(pledges)
        else:
            key, label = hex_["state"], hex_["label"]
        hexes.append({**hex_, "key": key, "label": label, "pledges": pledges})
    if mode == MapMode.PLEDGES:
        legend = [(key, label) for _low, key, label in PLEDGE_BANDS]
    else:
        legend = [(state.value, state.label) for state in ConstituencyState]

    box = view_box([h["cell"] for h in hexes] if chosen is not None else [], layout)
    if chosen is not None:
        rows = [
            {"name": h["cell"].name, "url": h["url"], "text": h["label"]}
            for h in sorted(hexes, key=lambda h: h["cell"].name)
        ]
    else:
        by_region = defaultdict(list)
        for h in hexes:
            by_region[h["cell"].region].append(h)
        rows = []
        for area in regions:
            seats = by_region.get(area.gss_code, [])
            if mode == MapMode.PLEDGES:
                text = _pledges_text(sum(h["pledges"] for h in seats))
            else:
                supporters = sum(
                    1 for h in seats if h["state"] == ConstituencyState.SUPPORTER
                )
                text = gettext(
                    "%(supporters)d of %(seats)d have a candidate calling for a "
                    "ceasefire"
                ) % {"supporters": supporters, "seats": len(seats)}
            rows.append({"name": area.name, "slug": area.slug, "text": text})
    return HexMap(
        mode=mode,
        modes=list(MapMode),
        region=chosen,
        regions=regions,
        view_box=box,
        hexes=hexes,
        legend=legend,
        rows=rows,
        points=layout.points,
        width_px=(round(box.width * TAP_PX_PER_UNIT) if chosen is not None else None),
    )


def constituency_search(query: str, *, limit: int = 20):
    query = (query or "").strip()
    if not query:
        return Area.objects.none()
    return Area.objects.filter(
        area_type=AreaType.CONSTITUENCY, name__icontains=query
    ).order_by("name")[:limit]


@dataclass
class CandidateStance:
    """A candidate on a public page: their stance, and each event reduced to the
    fields the audience may see (``visibility.stance_event_fields``)."""

    candidacy: Role
    stance: Stance
    events: list = field(default_factory=list)
    position_event: dict | None = None
    corrections: list = field(default_factory=list)
    public_email: str = ""
    # The person's photo when the audience may see it (``visibility.shows_photo``),
    # else None: the card asks nothing else.
    photo: object = None


# The renditions a candidate card shows: 80 CSS pixels square, and twice that for
# screens with two device pixels to one (templates/campaign/_candidate.html asks
# for exactly these, so the prefetch below finds them).
CARD_PHOTO_RENDITIONS = ("fill-80x80|format-webp", "fill-160x160|format-webp")


def event_view(event: StanceEvent, audience: Audience) -> dict:
    """One stance event as a dict holding only what the audience may see."""
    fields = stance_event_fields(audience)
    view = {name: getattr(event, name) for name in fields}
    view["kind_label"] = event.get_kind_display()
    view["method_label"] = event.get_method_display() if event.method else ""
    view["position_label"] = event.get_position_display() if event.position else ""
    view["pk"] = event.pk
    return view


def _with_stances(roles, audience) -> list[CandidateStance]:
    """Candidacies or seats with their derived stances and the contacts the
    audience may see: the same few queries however many there are."""
    roles = (
        visible_candidacies(roles, audience)
        .select_related("person", "party", "election", "area")
        .prefetch_related(
            models.Prefetch(
                "stance_events",
                queryset=StanceEvent.objects.order_by("occurred_on", "pk"),
            ),
            models.Prefetch(
                "person__contacts",
                queryset=visible_contacts(
                    ContactDetail.objects.filter(kind=ContactKind.EMAIL), audience
                ).order_by("sort_order", "pk"),
                to_attr="visible_emails",
            ),
            models.Prefetch(
                "person__photo",
                queryset=get_image_model().objects.prefetch_renditions(
                    *CARD_PHOTO_RENDITIONS
                ),
            ),
        )
        .order_by("person__name", "pk")
    )
    result = []
    for role in roles:
        stance = derive_stance(role.stance_events.all())
        emails = role.person.visible_emails
        position = stance.position_event
        result.append(
            CandidateStance(
                candidacy=role,
                stance=stance,
                events=[event_view(e, audience) for e in stance.events],
                position_event=event_view(position, audience) if position else None,
                corrections=[
                    event_view(e, audience)
                    for e in stance.corrections
                    if e is not position
                ],
                public_email=emails[0].value if emails else "",
                photo=role.person.photo if shows_photo(role.person, audience) else None,
            )
        )
    return result


def constituency_candidates(area, election, *, audience=Audience.PUBLIC):
    """The candidates standing in a constituency with their derived stances and
    the contacts the audience may see. A fixed number of queries."""
    if election is None:
        return []
    return _with_stances(
        Role.objects.filter(kind=RoleKind.CANDIDATE, election=election, area=area),
        audience,
    )


@dataclass
class Contest:
    """An upcoming election in one constituency or ward, with its candidates."""

    election: Election
    area: Area
    candidates: list


@dataclass
class WhereYouLive:
    """What a visitor's constituency (and ward, when their postcode gave it)
    holds: their MP's stance, every upcoming election covering it, and the
    candidates at the election the site follows by default, for the record."""

    mps: list  # CandidateStance of each sitting MP (one, bar a change of seat)
    contests: list  # Contest, soonest first
    candidates: list = field(default_factory=list)  # at ``election``, if past


def where_you_live(constituency, ward=None, *, election=None, audience=Audience.PUBLIC):
    """The sitting MP of the constituency and the candidates at every election
    from today on that covers the constituency (a general election, a
    by-election) or the ward (local elections); with ``election``, its
    candidates in the constituency too (listed as a contest when it is still to
    come). Three queries, however many elections and candidates."""
    today = timezone.localdate()
    areas = [constituency.pk] + ([ward.pk] if ward is not None else [])
    wanted = (models.Q(kind=RoleKind.MP, area=constituency) & current_roles_q()) | (
        models.Q(kind=RoleKind.CANDIDATE, area__in=areas, election__date__gte=today)
    )
    if election is not None:
        wanted |= models.Q(
            kind=RoleKind.CANDIDATE, area=constituency, election=election
        )
    mps, past, by_election = [], [], defaultdict(list)
    for candidate in _with_stances(Role.objects.filter(wanted), audience):
        role = candidate.candidacy
        if role.kind == RoleKind.MP:
            mps.append(candidate)
        elif role.election.date < today:
            past.append(candidate)
        else:
            by_election[(role.election, role.area)].append(candidate)
    contests = [
        Contest(election=election, area=area, candidates=candidates)
        for (election, area), candidates in sorted(
            by_election.items(),
            key=lambda item: (item[0][0].date, item[0][0].name, item[0][1].name),
        )
    ]
    return WhereYouLive(mps=mps, contests=contests, candidates=past)


# ------------------------------------------------------------------ pledge and asks


def pledge_count(area) -> int:
    """Counted pledges in a constituency, region or nation: the sum of its few
    counter rows (never a count of the pledges)."""
    from django.db.models import Sum

    from campaign.models import PledgeCount

    if area is None:
        return 0
    total = PledgeCount.objects.filter(area=area).aggregate(n=Sum("pledges"))["n"]
    return total or 0


def pledge_total() -> int:
    """Counted pledges across the UK: the nations' counters added up."""
    from django.db.models import Sum

    from campaign.models import PledgeCount

    return (
        PledgeCount.objects.filter(area__area_type=AreaType.NATION).aggregate(
            total=Sum("pledges")
        )["total"]
        or 0
    )


def pledge_counts(*, area_type: str | None = None):
    """Areas with pledges, each annotated with ``pledges`` (its counted pledges)
    and ``pledges_updated_at``, for the API: counts only, no person."""
    from django.db.models import Sum

    areas = (
        Area.objects.filter(pledge_counts__isnull=False)
        .annotate(
            pledges=Sum("pledge_counts__pledges"),
            pledges_updated_at=Max("pledge_counts__updated_at"),
        )
        .order_by("name", "pk")
    )
    if area_type:
        areas = areas.filter(area_type=area_type)
    return areas


def pledge_counts_by_gss() -> dict[str, int]:
    """Counted pledges per constituency GSS code, for the hex map's pledge mode."""
    from django.db.models import Sum

    from campaign.models import PledgeCount

    return dict(
        PledgeCount.objects.filter(area__area_type=AreaType.CONSTITUENCY)
        .values("area__gss_code")
        .annotate(n=Sum("pledges"))
        .values_list("area__gss_code", "n")
        .order_by()
    )


@dataclass(frozen=True)
class AskTally:
    count: int
    last_on: object  # a date, or None


def constituent_asks(candidacy_ids) -> dict[int, AskTally]:
    """Per candidacy: how many constituents asked through the site, and when
    last (confirmed asks, sent or recorded). One query; no one named."""
    from django.utils import timezone

    from campaign.models import ASK_COUNTED, ConstituentAsk

    rows = (
        ConstituentAsk.objects.filter(
            candidacy_id__in=list(candidacy_ids), status__in=ASK_COUNTED
        )
        .values("candidacy_id")
        .annotate(n=Count("pk"), last=Max("confirmed_at"))
        .order_by()
    )
    return {
        row["candidacy_id"]: AskTally(
            row["n"], timezone.localdate(row["last"]) if row["last"] else None
        )
        for row in rows
    }
