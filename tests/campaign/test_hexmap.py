"""The hex map's views without JavaScript: one region drawn large, the pledge mode,
and the map's text alternative, all chosen with plain links and a GET form."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from campaign import selectors
from campaign.selectors import CURRENT_MPS, hex_map, overview, pledge_band
from network.models import Area
from tests.campaign.test_where_they_stand import ask, hexes_on, reply, seat
from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db

INDEX = "/where-they-stand/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


class MapParts(HTMLParser):
    """The map's SVG attributes, its list (the text alternative) and its links."""

    def __init__(self):
        super().__init__()
        self.svg = None
        self.links = []
        self.list_items = []
        self._in_list = False
        self._item = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and self.svg is None and "viewbox" in attrs:
            self.svg = attrs
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag == "details" and "hexmap__list" in attrs.get("class", ""):
            self._in_list = True
        if self._in_list and tag == "li":
            self._item = {"text": "", "href": ""}
        if self._item is not None and tag == "a":
            self._item["href"] = attrs["href"]

    def handle_data(self, data):
        if self._item is not None:
            self._item["text"] += data

    def handle_endtag(self, tag):
        if tag == "li" and self._item is not None:
            self.list_items.append(self._item)
            self._item = None
        if tag == "details":
            self._in_list = False


def parts(response) -> MapParts:
    parser = MapParts()
    parser.feed(response.content.decode())
    return parser


def test_a_region_is_drawn_alone_and_large_enough_to_tap(client, uk_areas):
    reply(CandidacyFactory(area=seat("Hackney South and Shoreditch")), "ceasefire")
    response = client.get(INDEX, {"region": "london"})
    assert response.status_code == 200
    hexes = hexes_on(response.content.decode())
    assert len(hexes) == 75  # London's constituencies, and no others
    region = seat("Hackney South and Shoreditch").region
    assert {h["data-gss"] for h in hexes} == set(
        Area.objects.filter(area_type="constituency", region=region).values_list(
            "gss_code", flat=True
        )
    )
    svg = parts(response).svg
    x, y, width, height = (float(n) for n in svg["viewbox"].split())
    # The box is cut to London: far narrower than the UK's.
    assert width < hex_map(overview()).view_box.width / 2
    # Each hexagon drawn about 30 CSS pixels across: above WCAG 2.2's 24 px target.
    assert int(svg["width"]) / width * selectors.HEX_WIDTH >= 29.5
    # The text alternative lists each constituency with its state, linked.
    items = parts(response).list_items
    assert len(items) == 75
    hackney = next(i for i in items if i["text"].startswith("Hackney South"))
    assert hackney["text"].endswith("A candidate calls for a ceasefire")
    assert hackney["href"] == "/where-they-stand/hackney-south-and-shoreditch/"
    assert [i["text"] for i in items] == sorted(i["text"] for i in items)
    assert "Back to the whole UK" in response.content.decode()


def test_an_unknown_region_shows_the_whole_uk(client, uk_areas):
    response = client.get(INDEX, {"region": "atlantis", "mode": "colour"})
    assert response.status_code == 200
    assert len(hexes_on(response.content.decode())) == 650
    assert response.context["map"].mode == "stances"
    assert response.context["map"].region is None
    assert parts(response).svg.get("width") is None  # the whole UK fits the page


def test_the_whole_uk_lists_each_region_with_its_figures(client, uk_areas):
    reply(CandidacyFactory(area=seat("Blackburn")), "ceasefire")
    ask(CandidacyFactory(area=seat("Burnley")))
    response = client.get(INDEX)
    items = {i["text"].split(":")[0]: i for i in parts(response).list_items}
    assert len(items) == 12  # nine English regions and three nations
    assert items["North West"]["text"] == (
        "North West: 1 of 73 have a candidate calling for a ceasefire"
    )
    assert items["North West"]["href"] == (
        "/where-they-stand/?mode=stances&region=north-west#map"
    )
    # Each region's view is one link away, and its map shows just that region.
    hexes = hexes_on(client.get(INDEX, {"region": "north-west"}).content.decode())
    assert len(hexes) == 73


def test_the_modes_and_region_picker_work_without_javascript(client, uk_areas):
    page = client.get(INDEX, {"region": "wales"}).content.decode()
    # Mode links keep the region; the region form keeps the mode.
    assert 'href="/where-they-stand/?mode=pledges&amp;region=wales#map"' in page
    assert re.search(
        r'<form class="hexmap__region" method="get" action="/where-they-stand/#map">'
        r'\s*<input type="hidden" name="mode" value="stances">',
        page,
    )
    assert '<option value="wales" selected>Wales</option>' in page
    assert re.search(r'<a class="hexmap__mode" [^>]*aria-current="true">Stances', page)
    # What the map shows (?map=, the sitting MPs here) is kept by every map link.
    page = client.get(INDEX, {"region": "wales", "map": CURRENT_MPS}).content.decode()
    assert (
        f'href="/where-they-stand/?mode=pledges&amp;region=wales&amp;map={CURRENT_MPS}#map"'
    ) in page
    assert f'<input type="hidden" name="map" value="{CURRENT_MPS}">' in page


def test_the_pledge_mode_shows_none_until_counts_exist(client, uk_areas):
    response = client.get(INDEX, {"mode": "pledges"})
    hexes = hexes_on(response.content.decode())
    assert len(hexes) == 650
    assert {h["class"] for h in hexes} == {"hex hex--pledges-none"}
    assert {h["aria-label"].split(": ")[1] for h in hexes} == {"No pledges yet"}
    items = parts(response).list_items
    assert all(i["text"].endswith(": No pledges yet") for i in items)


def test_the_pledge_mode_reads_each_hexagons_count(client, uk_areas, monkeypatch):
    counts = {seat("Blackburn").gss_code: 12, seat("Burnley").gss_code: 1,
              seat("Preston").gss_code: 250}  # fmt: skip
    drawn = selectors.constituency_map

    def with_pledges(summary):
        return [
            {**h, "pledges": counts.get(h["cell"].gss_code, 0)} for h in drawn(summary)
        ]

    monkeypatch.setattr(selectors, "constituency_map", with_pledges)
    response = client.get(INDEX, {"mode": "pledges", "region": "north-west"})
    hexes = {h["data-gss"]: h for h in hexes_on(response.content.decode())}
    blackburn = hexes[seat("Blackburn").gss_code]
    assert blackburn["class"] == "hex hex--pledges-many"
    assert blackburn["aria-label"] == "Blackburn: 12 pledges"
    assert hexes[seat("Burnley").gss_code]["aria-label"] == "Burnley: 1 pledge"
    assert hexes[seat("Preston").gss_code]["class"] == "hex hex--pledges-most"
    assert hexes[seat("Hyndburn").gss_code]["class"] == "hex hex--pledges-none"
    page = response.content.decode()
    assert "100 pledges or more" in page  # the legend follows the mode
    the_map = page.split('id="map"')[1].split("</figure>")[0]
    assert "Calls for a ceasefire" not in the_map
    # Across the UK the list adds the region's pledges up.
    uk = client.get(INDEX, {"mode": "pledges"})
    items = {i["text"].split(":")[0]: i["text"] for i in parts(uk).list_items}
    assert items["North West"] == "North West: 263 pledges"
    assert items["Wales"] == "Wales: No pledges yet"


@pytest.mark.parametrize(
    ("count", "key"),
    [(0, "pledges-none"), (1, "pledges-some"), (9, "pledges-some"),
     (10, "pledges-many"), (99, "pledges-many"), (100, "pledges-most")],
)  # fmt: skip
def test_pledge_bands(count, key):
    assert pledge_band(count)[0] == key


def test_the_home_page_map_leads_to_the_region_views(client, uk_areas):
    from tests.factories import build_site_pages

    build_site_pages()
    page = client.get("/").content.decode()
    assert len(hexes_on(page)) == 650
    assert 'action="/where-they-stand/#map"' in page
    assert 'href="/where-they-stand/?mode=pledges#map"' in page
    assert 'href="/where-they-stand/?mode=stances&amp;region=scotland#map"' in page


def test_a_region_view_costs_no_more_queries_than_the_whole_map(
    client, uk_areas, django_assert_max_num_queries
):
    CandidacyFactory(area=seat("Blackburn"))
    client.get(INDEX)  # warm the slug cache
    with django_assert_max_num_queries(8) as whole:
        client.get(INDEX)
    with django_assert_max_num_queries(len(whole.captured_queries)):
        client.get(INDEX, {"region": "north-west", "mode": "pledges"})
