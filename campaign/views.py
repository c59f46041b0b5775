"""Where they stand: national picture, hex map and postcode search, and one page
per constituency with each candidate's position and the evidence for it.

Everything here is public: what a page may show is decided by
``network.visibility`` (public contacts only, the public fields of stance events),
and reads go through ``campaign.selectors``.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from campaign import cards
from campaign.forms import ConstituencySearchForm, PostcodeForm
from campaign.selectors import (
    ConstituencyState,
    StanceState,
    constituency_search,
    constituency_state,
    constituent_asks,
    hex_map,
    map_choice,
    overview,
    pledge_count,
    stances_election,
    where_you_live,
)
from network.models import Area, AreaType
from network.postcodes import (
    EXAMPLE_POSTCODE,
    LookupUnavailable,
    PostcodeError,
    lookup_postcode,
    runs_on_offline_sample,
)
from ops import throttle
from ops.siteurl import absolute_url


def _lookups_exhausted(request) -> bool:
    """A per-address limit on postcode lookups, so the page cannot be used to
    drain the lookup service."""
    return not throttle.allow(
        request,
        scope="postcode-lookups",
        limit=settings.POSTCODE_LOOKUPS_PER_MINUTE,
        window=60,
    )


NATIONAL_CARD_ALT = (
    "How many candidates call for a ceasefire in Gaza, refuse, are unclear, "
    "did not reply or were not asked yet."
)


def index(request):
    postcode_form = PostcodeForm(request.GET if "postcode" in request.GET else None)
    search_form = ConstituencySearchForm(request.GET if "q" in request.GET else None)
    lookup_error = ""
    results = None
    status = 200

    if postcode_form.is_bound and postcode_form.is_valid():
        if _lookups_exhausted(request):
            lookup_error = _(
                "You've looked up a lot of postcodes in the last minute. Wait a "
                "moment, or search by constituency name."
            )
            status = 429
        else:
            try:
                found = lookup_postcode(postcode_form.cleaned_data["postcode"])
            except LookupUnavailable as error:
                lookup_error = str(error)
                status = 503
            except PostcodeError as error:
                postcode_form.add_error("postcode", str(error))
            else:
                if found.constituency is not None:
                    # The ward goes along, for the local elections held in it.
                    url = reverse(
                        "stances:constituency", args=[found.constituency.slug]
                    )
                    if found.ward is not None:
                        url += "?" + urlencode({"ward": found.ward.gss_code})
                    return redirect(url)
                postcode_form.add_error(
                    "postcode",
                    _("%(postcode)s is not in a Westminster constituency we hold.")
                    % {"postcode": found.postcode},
                )
    if search_form.is_bound and search_form.is_valid():
        results = list(constituency_search(search_form.cleaned_data["q"]))
        if len(results) == 1:
            return redirect("stances:constituency", slug=results[0].slug)

    choice, choices = map_choice(request.GET.get("map"))
    summary = overview(choice.election, mps=choice.mps)
    context = {
        "map_choice": choice,
        "map_choices": choices,
        "offline_sample": runs_on_offline_sample(),
        "example_postcode": EXAMPLE_POSTCODE,
        "postcode_form": postcode_form,
        "search_form": search_form,
        "lookup_error": lookup_error,
        "results": results,
        "summary": summary,
        "candidate_counts": [
            (state, summary.candidates.get(state, 0)) for state in StanceState
        ],
        "constituency_counts": [
            (state, summary.constituencies.get(state, 0)) for state in ConstituencyState
        ],
        "regions": [
            {
                "area": region,
                "counts": [counts.get(state, 0) for state in ConstituencyState],
                "total": sum(counts.values()),
            }
            for region, counts in summary.regions
        ],
        "states": list(ConstituencyState),
        # ?mode= and ?region= choose the map's colours and part: plain links, so
        # the map works without JavaScript. They keep ?map= (what the map shows).
        "map": hex_map(
            summary,
            mode=request.GET.get("mode", ""),
            region=request.GET.get("region", ""),
        ),
        "map_url": reverse("stances:index"),
        "map_key": choice.key if request.GET.get("map") == choice.key else "",
        "page_url": absolute_url(reverse("stances:index")),
        # For the site's SEO and sharing tags (templates/includes/seo.html).
        "meta_title": _("Where they stand"),
        "meta_description": _(
            "Find your constituency and see what every candidate said about a "
            "ceasefire in Gaza, and when."
        ),
        "canonical_url": absolute_url(reverse("stances:index")),
        "og_image": reverse("stances:card"),
        "og_image_alt": NATIONAL_CARD_ALT,
    }
    return render(request, "campaign/index.html", context, status=status)


def constituency(request, slug):
    area = (
        Area.objects.filter(area_type=AreaType.CONSTITUENCY, slug=slug)
        .select_related("region", "nation")
        .first()
    )
    if area is None:
        raise Http404("No constituency has that address.")
    ward = None
    if request.GET.get("ward"):
        ward = Area.objects.filter(
            area_type=AreaType.WARD, gss_code=request.GET["ward"]
        ).first()
    election = stances_election()
    here = where_you_live(area, ward, election=election)
    # The default election's candidates, unless it is still to come (then it is
    # one of the contests).
    candidates = here.candidates
    if election is not None and election.date >= timezone.localdate():
        election = None
    # "Asked by N constituents": counts only, never who.
    shown = [
        *candidates,
        *here.mps,
        *(item for contest in here.contests for item in contest.candidates),
    ]
    tallies = constituent_asks(item.candidacy.pk for item in shown)
    for item in shown:
        item.constituent_asks = tallies.get(item.candidacy.pk)
    state = constituency_state(c.stance.state for c in candidates)
    page_url = absolute_url(reverse("stances:constituency", args=[area.slug]))
    context = {
        "area": area,
        "election": election,
        "candidates": candidates,
        "ward": ward,
        "mps": here.mps,
        "contests": here.contests,
        "state": state,
        "pledges": pledge_count(area),
        "page_url": page_url,
        "share_text": _("Where do the candidates in %(area)s stand on a ceasefire?")
        % {"area": area.name},
        "meta_title": _("%(area)s: where they stand") % {"area": area.name},
        "meta_description": _(
            "%(state)s. What each candidate in %(area)s said about a "
            "ceasefire in Gaza, with the evidence."
        )
        % {"state": state.label, "area": area.name},
        "canonical_url": page_url,
        "og_image": reverse("stances:constituency_card", args=[area.slug]),
        "og_image_alt": (
            f"{area.name}: what each candidate said about a ceasefire in Gaza."
        ),
        "ask_body": _(
            "Dear candidate,\n\nI live in %(area)s. Before I decide how to "
            "vote, I would like to know: do you call for an immediate and lasting "
            "ceasefire in Gaza?\n\nThank you."
        )
        % {"area": area.name},
    }
    return render(request, "campaign/constituency.html", context)


# ------------------------------------------------------------------ social cards


def _card_response(request, card) -> HttpResponse:
    response = HttpResponse(cards.card_png(card), content_type="image/png")
    response["ETag"] = f'"{card.cache_key().rsplit(":", 1)[1]}"'
    # Sharing sites fetch the picture once per link; an hour keeps it fresh enough.
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def national_social_card(request):
    """The picture shown when the home page or where-they-stand is shared."""
    card = cards.national_card(source=absolute_url("/"))
    return _card_response(request, card)


@require_safe
def constituency_social_card(request, slug):
    """The picture shown when a constituency's page is shared."""
    area = get_object_or_404(Area, area_type=AreaType.CONSTITUENCY, slug=slug)
    source = absolute_url(reverse("stances:constituency", args=[slug]))
    return _card_response(request, cards.constituency_card(area=area, source=source))
