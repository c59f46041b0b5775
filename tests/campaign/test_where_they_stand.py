"""The public /where-they-stand/ pages: search, counts, the hex map, constituency
pages, and that nothing private ever reaches them."""

import re
from datetime import UTC, date
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import reset_queries
from django.urls import reverse

from campaign.hexmap import load_layout
from campaign.services import stance_record
from network.models import Area, ContactDetail, Visibility
from network.services import note_add
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    PersonFactory,
    give_photo,
)

pytestmark = pytest.mark.django_db

INDEX = "/where-they-stand/"
EVIDENCE = "https://example.org/evidence/reply"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # postcode throttle and slug map


def seat(name):
    return Area.objects.get(area_type="constituency", name=name)


def reply(candidacy, position, quote="My words.", on=date(2024, 6, 10)):
    return stance_record(candidacy=candidacy, kind="replied", occurred_on=on,
                         position=position, quote=quote, evidence_url=EVIDENCE,
                         actor=None)  # fmt: skip


def ask(candidacy, on=date(2024, 6, 1), kind="asked", **extra):
    return stance_record(candidacy=candidacy, kind=kind, method="email",
                         occurred_on=on, actor=None, **extra)  # fmt: skip


class HexCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hexes = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-gss" in attrs:
            self.hexes.append(attrs)


def hexes_on(page: str) -> list[dict]:
    collector = HexCollector()
    collector.feed(page)
    return collector.hexes


# ------------------------------------------------------------------ the map


def test_hex_map_has_650_linked_hexes_in_the_right_states(client, uk_areas):
    backer = CandidacyFactory(area=seat("Blackburn"))
    reply(backer, "ceasefire")
    CandidacyFactory(area=seat("Blackburn"))  # silent, but Blackburn has a backer
    refuser = CandidacyFactory(area=seat("Burnley"))
    reply(refuser, "refuses")
    asked_only = CandidacyFactory(area=seat("Pendle and Clitheroe"))
    ask(asked_only)
    CandidacyFactory(area=seat("Preston"))  # standing, nobody asked

    response = client.get(INDEX)
    assert response.status_code == 200
    hexes = hexes_on(response.content.decode())
    assert len(hexes) == 650
    assert len({h["data-gss"] for h in hexes}) == 650
    slugs = dict(Area.objects.filter(area_type="constituency").values_list(
        "gss_code", "slug"))  # fmt: skip
    expected = {
        seat("Blackburn").gss_code: "supporter",
        seat("Burnley").gss_code: "no_supporter",
        seat("Pendle and Clitheroe").gss_code: "no_supporter",
    }
    for h in hexes:
        assert h["href"] == f"/where-they-stand/{slugs[h['data-gss']]}/"
        assert h["data-state"] == expected.get(h["data-gss"], "not_asked")
        assert h["aria-label"].endswith(
            {"supporter": "A candidate calls for a ceasefire",
             "no_supporter": "All refuse, are unclear or silent",
             "not_asked": "Nobody asked yet"}[h["data-state"]]
        )  # fmt: skip
    page = response.content.decode()
    assert "<title>Blackburn: A candidate calls for a ceasefire</title>" in page


def test_counts_nationally_and_by_region(client, uk_areas):
    reply(CandidacyFactory(area=seat("Blackburn")), "ceasefire")
    reply(CandidacyFactory(area=seat("Glasgow East")), "refuses")
    response = client.get(INDEX)
    counts = response.context["constituency_counts"]
    assert [n for _, n in counts] == [1, 1, 648]
    regions = {r["area"].name: r for r in response.context["regions"]}
    assert regions["North West"]["counts"] == [1, 0, 72]
    assert regions["Scotland"]["counts"] == [0, 1, 56]
    assert sum(r["total"] for r in regions.values()) == 650


def test_hex_layout_covers_every_constituency_once(uk_areas):
    layout = load_layout()
    codes = {cell.gss_code for cell in layout.cells}
    assert codes == set(
        Area.objects.filter(area_type="constituency").values_list("gss_code", flat=True)
    )
    positions = {(cell.x, cell.y) for cell in layout.cells}
    assert len(positions) == 650  # no two hexes on top of each other


def test_the_index_costs_the_same_queries_with_more_candidates(
    client, uk_areas, django_assert_max_num_queries
):
    CandidacyFactory(area=seat("Blackburn"))
    client.get(INDEX)  # warm the slug cache
    with django_assert_max_num_queries(8) as few:
        client.get(INDEX)
    for name in ("Burnley", "Preston", "Hyndburn", "Bradford West"):
        reply(CandidacyFactory(area=seat(name)), "unclear")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INDEX)


# ------------------------------------------------------------------ searching


def test_a_postcode_leads_to_its_constituency(client, uk_areas):
    response = client.get(INDEX, {"postcode": "bb1 2ab"})
    assert response.status_code == 302
    # With the ward, for the local elections held in it.
    assert response.url == "/where-they-stand/blackburn/?ward=E05011508"


@pytest.mark.parametrize(
    "postcode, message",
    [("hello", "doesn&#x27;t look like a UK postcode"),
     ("ZZ9 9ZZ", "We couldn&#x27;t find the postcode ZZ9 9ZZ")],
)  # fmt: skip
def test_a_bad_postcode_gets_a_clear_message(client, uk_areas, postcode, message):
    response = client.get(INDEX, {"postcode": postcode})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page


def test_when_the_lookup_is_down_the_page_says_so_and_name_search_works(
    client, uk_areas, settings
):
    settings.POSTCODE_LOOKUP_BACKEND = "postcodes.io"
    settings.POSTCODES_IO_URL = "http://127.0.0.1:9"  # nothing listens there
    response = client.get(INDEX, {"postcode": "BB1 2AB"})
    assert response.status_code == 503
    assert "The postcode lookup isn&#x27;t answering" in response.content.decode()
    assert len(hexes_on(response.content.decode())) == 650
    found = client.get(INDEX, {"q": "blackburn"})
    assert found.status_code == 302 and found.url == "/where-they-stand/blackburn/"


def test_name_search_lists_several_and_says_when_none(client, uk_areas):
    page = client.get(INDEX, {"q": "oldham"}).content.decode()
    assert "Oldham East and Saddleworth" in page
    assert "Oldham West, Chadderton and Royton" in page
    assert (
        "No constituency has that in its name"
        in client.get(INDEX, {"q": "atlantis"}).content.decode()
    )


def test_postcode_lookups_are_rate_limited(client, uk_areas, settings):
    settings.POSTCODE_LOOKUPS_PER_MINUTE = 2
    for _ in range(2):
        assert client.get(INDEX, {"postcode": "BB1 2AB"}).status_code == 302
    response = client.get(INDEX, {"postcode": "BB1 2AB"})
    assert response.status_code == 429
    assert "looked up a lot of postcodes" in response.content.decode()


# ------------------------------------------------------------------ a constituency


def test_constituency_page_shows_each_candidate_and_the_evidence(client, uk_areas):
    blackburn = seat("Blackburn")
    backer = CandidacyFactory(area=blackburn, person__name="Bea Backer")
    ContactFactory(person=backer.person, value="bea@example.org")
    ask(backer, on=date(2024, 6, 1))
    reply(backer, "ceasefire", quote="A ceasefire now.", on=date(2024, 6, 12))
    silent = CandidacyFactory(area=blackburn, person__name="Sid Silent")
    ask(silent, on=date(2024, 6, 1))
    ask(silent, on=date(2024, 6, 15), kind="chased")
    CandidacyFactory(area=blackburn, person__name="Nia Notasked")

    response = client.get(reverse("stances:constituency", args=["blackburn"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A candidate calls for a ceasefire" in page
    assert "Bea Backer" in page and "Independent" in page
    assert "A ceasefire now." in page
    assert f'href="{EVIDENCE}"' in page
    assert "Replied on 12 June 2024" in page
    assert "Asked 1 time, last on 1 June 2024." in page
    assert "Asked 2 times, last on 15 June 2024, no reply." in page
    assert "Not asked yet" in page
    # Asking goes through the site (confirmed by email, counted), not mailto.
    assert f'href="/ask/{backer.pk}/"' in page
    assert "mailto:bea@example.org" not in page
    assert "Sid Silent has not published an email address yet." in page
    assert '<meta property="og:title"' in page
    assert (
        'property="og:url" content="https://updates.example.org/where-they-stand/blackburn/"'
        in (page)
    )
    assert "https://wa.me/?text=" in page


def test_a_correction_is_shown_as_the_candidates_right_of_reply(client, uk_areas):
    candidacy = CandidacyFactory(area=seat("Burnley"))
    reply(candidacy, "refuses", quote="Not now.", on=date(2024, 6, 2))
    stance_record(candidacy=candidacy, kind="correction", occurred_on=date(2024, 6, 3),
                  quote="I was quoted out of context.", actor=None)  # fmt: skip
    page = client.get("/where-they-stand/burnley/").content.decode()
    assert "I was quoted out of context." in page
    assert "The candidate's correction, 3 June 2024" in page
    assert "Refuses to call for a ceasefire" in page


def test_unknown_constituencies_and_other_areas_are_404(client, uk_areas):
    assert client.get("/where-they-stand/atlantis/").status_code == 404
    ward = Area.objects.get(gss_code="E05011515")
    assert client.get(f"/where-they-stand/{ward.slug}/").status_code == 404


def test_constituency_page_queries_do_not_grow_with_candidates(
    client, uk_areas, django_assert_max_num_queries, settings, tmp_path
):
    """One candidate or many, with photos or without: the same queries. Each
    photo's renditions are made on the first view that shows it (a write, once
    per photo ever), so each count is taken on a second view. The query log is
    emptied before each count: a request empties it as it starts, so a count
    taken after an earlier request would read nothing. The cache is emptied too,
    so that Wagtail's rendition cache hides no query."""
    settings.MEDIA_ROOT = tmp_path / "media"
    url = "/where-they-stand/blackburn/"
    first = CandidacyFactory(area=seat("Blackburn"), person=public_person())
    give_photo(first.person)
    reply(first, "unclear")
    client.get(url)
    cache.clear()
    reset_queries()
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    baseline = len(few.captured_queries)  # read now: the next request empties it
    assert baseline > 5
    for n in range(5):
        public = n % 2 == 0
        candidacy = CandidacyFactory(
            area=seat("Blackburn"), person=public_person(public=public)
        )
        ContactFactory(person=candidacy.person)
        give_photo(candidacy.person)
        ask(candidacy)
    page = client.get(url).content.decode()
    assert page.count("candidate__photo") == 4  # the three public ones and the first
    cache.clear()
    reset_queries()
    with django_assert_max_num_queries(baseline):
        client.get(url)


def public_person(public=True):
    from datetime import datetime

    return PersonFactory(
        public_profile=public,
        public_profile_agreed_at=datetime(2024, 1, 15, tzinfo=UTC),
    )


# ------------------------------------------------------------------ privacy


def private_strings() -> set[str]:
    """Everything private in the database: contacts not marked public, who asked,
    and every coordination note's text."""
    strings = set(
        ContactDetail.objects.exclude(visibility=Visibility.PUBLIC).values_list(
            "value", flat=True
        )
    )
    strings |= {"Local ceasefire group (demo)", "SECRET-ASKER-7731"}
    strings |= {"SECRET-NOTE-5512", "SECRET-NETWORK-NOTE-8840"}
    # Multi-line addresses are matched line by line, as a page would break them.
    return {line for s in strings for line in s.splitlines() if len(line) > 6}


def check_public_pages_show_no_private_data(client, superuser):
    """On the seeded demo, with private data added to it: checked on the one seed
    of tests/network/test_seed_demo.py (test_the_demo)."""
    cache.clear()  # postcode throttle and slug map
    blackburn = seat("Blackburn")
    candidacy = CandidacyFactory(area=blackburn, person__name="Pri Vate")
    ContactFactory(person=candidacy.person, value="pri.home@example.net",
                   visibility=Visibility.NETWORK)  # fmt: skip
    ContactFactory(person=candidacy.person, value="pri.secret@example.net",
                   visibility=Visibility.COORDINATORS)  # fmt: skip
    ask(candidacy, asked_by="SECRET-ASKER-7731")
    note_add(author=superuser, person=candidacy.person, text="SECRET-NOTE-5512")
    note_add(author=superuser, area=blackburn, text="SECRET-NETWORK-NOTE-8840",
             visibility="network")  # fmt: skip
    secrets = private_strings()
    assert "pri.secret@example.net" in secrets

    urls = [INDEX, f"{INDEX}?q=oldham", f"{INDEX}?postcode=ZZ9+9ZZ"]
    urls += [
        f"{INDEX}{slug}/"
        for slug in Area.objects.filter(
            area_type="constituency", roles__kind="candidate"
        )
        .values_list("slug", flat=True)
        .distinct()
    ]
    assert len(urls) > 30
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        leaked = [s for s in secrets if s in page]
        assert not leaked, f"{url} shows {leaked}"
    # And the partner API, as anyone may call it (every page of each list).
    api_urls = ["/api/v1/stances/?page_size=500", "/api/v1/roles/?page_size=500",
                "/api/v1/people/?page_size=500", "/api/v1/people/pri-vate/",
                f"/api/v1/areas/{blackburn.gss_code}/people/"]  # fmt: skip
    for url in api_urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{url} shows {leaked}"
    stances = client.get("/api/v1/stances/?page_size=500").json()
    assert stances["count"] >= 100  # the demo's candidacies were all there
    # The pages did show the public side of things.
    page = client.get(f"{INDEX}blackburn/").content.decode()
    assert "Pri Vate" in page
    assert re.search(r"Asked \d+ times?", page)


def test_every_page_header_links_to_where_they_stand(client, uk_areas):
    link = 'class="header-link" href="/where-they-stand/"'
    assert link in client.get("/no-such-page/").content.decode()
    page = client.get(INDEX).content.decode()
    assert f'{link} aria-current="page"' in page
    assert page.count('property="og:title"') == 1  # the site's tags, once
    assert "<title>Where they stand | " in page
