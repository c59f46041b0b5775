"""Social cards: PNG pictures of 1200 x 630 drawn by the server for the home page
and each constituency, named in og:image on their pages, cached."""

import io
import re
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from campaign import cards
from campaign.services import stance_record
from network.models import Area
from tests.factories import CandidacyFactory, build_site_pages

pytestmark = pytest.mark.django_db
SITE = settings.SITE_URL


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def png(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(response)))
    image.load()  # a truncated or broken file fails here
    return image


def og_image(html: str) -> str:
    return re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)


def test_a_constituency_card_names_the_seat_and_what_each_candidate_said(
    client, uk_areas
):
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    backer = CandidacyFactory(area=blackburn, person__name="Bea Backer")
    stance_record(candidacy=backer, kind="replied", occurred_on=date(2024, 6, 12),
                  position="ceasefire", quote="Now.", evidence_url="https://example.org/r",
                  actor=None)  # fmt: skip
    CandidacyFactory(area=blackburn, person__name="Nia Notasked")

    page = client.get(reverse("stances:constituency", args=["blackburn"]))
    url = og_image(page.content.decode())
    assert url == SITE + "/where-they-stand/blackburn/card.png"
    assert 'property="og:image:width" content="1200"' in page.content.decode()

    image = png(client.get(url.removeprefix(SITE)))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert image.text["Title"] == "Blackburn"
    said = image.text["Description"]
    assert "Bea Backer (Independent): Calls for a ceasefire" in said
    assert "Nia Notasked" in said and "Not asked yet" in said
    assert image.text["Source"] == SITE + "/where-they-stand/blackburn/"


def test_the_home_page_card_gives_the_national_counts(client, uk_areas):
    site = build_site_pages()
    CandidacyFactory(area=Area.objects.get(area_type="constituency", name="Blackburn"))
    html = client.get(site.home.url).content.decode()
    url = og_image(html)
    assert url == SITE + "/where-they-stand/card.png"
    image = png(client.get(url.removeprefix(SITE)))
    assert image.size == (1200, 630)
    assert "1 not asked yet" in image.text["Description"]
    assert client.get("/where-they-stand/").content.decode().count(url) == 1


def test_the_pledge_count_is_on_the_card(client, uk_areas, monkeypatch):
    from campaign import selectors

    monkeypatch.setattr(selectors, "pledge_count", lambda area: 1234)
    image = png(client.get("/where-they-stand/blackburn/card.png"))
    assert "1,234 people have pledged" in image.text["Description"]


def test_cards_are_cached_until_what_they_show_changes(client, uk_areas):
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    candidacy = CandidacyFactory(area=blackburn, person__name="Cal Cached")
    url = "/where-they-stand/blackburn/card.png"
    first = client.get(url)
    assert "max-age" in first["Cache-Control"]
    drawn = []
    real_render = cards.render

    def counting_render(card):
        drawn.append(card)
        return real_render(card)

    cards.render = counting_render
    try:
        client.get(url)
        assert drawn == []  # the same card comes from the cache
        stance_record(candidacy=candidacy, kind="asked", method="email",
                      occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
        changed = png(client.get(url))
        assert len(drawn) == 1
        assert "Asked, no reply" in changed.text["Description"]
    finally:
        cards.render = real_render


def test_a_card_costs_the_same_queries_with_more_candidates(client, uk_areas):
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    CandidacyFactory(area=blackburn)
    url = "/where-they-stand/blackburn/card.png"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        CandidacyFactory(area=blackburn)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        image = png(client.get(url))
    assert "more candidates" in image.text["Description"]  # six lines fit
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_unknown_constituency_card_is_404(client, uk_areas):
    assert client.get("/where-they-stand/nowhere-at-all/card.png").status_code == 404
    assert client.get("/where-they-stand/pendle-x/card.png").status_code == 404
