"""Lists on a translated page (statements, events, the home page's latest) show
every item: the translation where there is one, else the English page, marked
as English so screen readers and translation tools read it right."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from cms import selectors
from cms.services import page_translation_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def urdu_indexes(site_pages):
    """The home page and both indexes in Urdu; the statement and event not yet."""
    cache.clear()
    for page in (site_pages.home, site_pages.statements, site_pages.events):
        page_translation_publish(page=page, language="ur", fields={"title": "اردو"})
    return site_pages


def cards(client, path):
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    return soup.select(".card-list .card")


def test_untranslated_items_are_listed_in_english_and_marked(client, urdu_indexes):
    for path in ("/ur/statements/", "/ur/events/", "/ur/"):
        found = cards(client, path)
        assert found, path
        for card in found:
            heading = card.find(["h2", "h3"])
            assert heading["lang"] == "en-GB" and heading["dir"] == "ltr", path
            assert heading.a["href"].startswith("/") and "/ur/" not in heading.a["href"]
    titles = [c.find(["h2", "h3"]).get_text() for c in cards(client, "/ur/statements/")]
    assert titles == [urdu_indexes.statement.title]


def test_a_translated_item_replaces_its_english_original(client, urdu_indexes):
    page_translation_publish(
        page=urdu_indexes.statement, language="ur", fields={"title": "پہلا بیان"}
    )
    found = cards(client, "/ur/statements/")
    assert len(found) == 1  # the translation, not both
    heading = found[0].find("h2")
    assert heading.get_text() == "پہلا بیان"
    assert not heading.has_attr("lang")
    assert heading.a["href"].startswith("/ur/")


def test_english_lists_are_unchanged(client, urdu_indexes):
    for card in cards(client, "/statements/"):
        assert not card.find("h2").has_attr("lang")
    english_root = urdu_indexes.statements
    assert list(selectors.statement_list(root=english_root)) == [urdu_indexes.statement]


def test_the_list_takes_the_same_queries_however_many_items(urdu_indexes):
    urdu = Locale.objects.get(language_code="ur")
    root = urdu_indexes.statements.get_translation(urdu)

    def queries_for_list() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = [(s.title, s.locale.language_code) for s in statement_list(root)]
        return len(queries), len(items)

    one = queries_for_list()
    second = urdu_indexes.statement.copy(
        update_attrs={"slug": "second", "title": "Second"}, keep_live=True
    )
    page_translation_publish(page=second, language="ur", fields={"title": "دوسرا"})
    page_translation_publish(
        page=urdu_indexes.statement, language="ur", fields={"title": "پہلا"}
    )
    urdu_indexes.statement.copy(
        update_attrs={"slug": "third", "title": "Third"}, keep_live=True
    )
    three = queries_for_list()
    assert one[1] == 1 and three[1] == 3
    assert one[0] == three[0] <= 4


def statement_list(root):
    return selectors.statement_list(root=root)
