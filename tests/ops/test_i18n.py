"""The site in five languages: addresses, Accept-Language on arrival, the
language switcher, <html lang dir>, hreflang alternates, the sitemap and the
page cache (ops/i18n.py, config/urls.py)."""

import re
from xml.etree import ElementTree

import pytest
from django.conf import settings

from cms.services import page_translation_publish

pytestmark = pytest.mark.django_db

URDU = "ur-PK,ur;q=0.9,en;q=0.5"


@pytest.fixture
def translated(site_pages):
    """The home page and the statement in Urdu (Welsh for the home page only)."""
    page_translation_publish(
        page=site_pages.home, language="ur", fields={"title": "ہوم"}
    )
    page_translation_publish(
        page=site_pages.home, language="cy", fields={"title": "Hafan"}
    )
    statement = page_translation_publish(
        page=site_pages.statement,
        language="ur",
        fields={"title": "ہمارا پہلا بیان", "summary": "جانچ کے لیے ایک بیان۔"},
    )
    return site_pages, statement


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_english_keeps_its_addresses_and_urdu_pages_read_right_to_left(
    client, translated
):
    pages, statement = translated
    english = client.get("/")
    assert english.status_code == 200
    assert html_tag(english) == '<html lang="en-GB" dir="ltr">'

    urdu = client.get("/ur/")
    assert urdu.status_code == 200
    assert html_tag(urdu) == '<html lang="ur" dir="rtl">'
    assert statement.url == "/ur/statements/our-first-statement/"
    page = client.get(statement.url)
    assert 'dir="rtl"' in html_tag(page)
    assert "ہمارا پہلا بیان" in page.content.decode()
    welsh = client.get("/cy/")
    assert html_tag(welsh) == '<html lang="cy" dir="ltr">'
    # Views outside the page tree exist in every language.
    assert html_tag(client.get("/bn/where-they-stand/")) == '<html lang="bn" dir="ltr">'
    assert client.get("/pa/updates/signup/").status_code == 200


def test_the_browsers_language_picks_the_first_page(client, translated):
    pages, statement = translated
    arrival = client.get("/", HTTP_ACCEPT_LANGUAGE=URDU)
    assert arrival.status_code == 302
    assert arrival["Location"] == "/ur/"
    assert "Accept-Language" in arrival["Vary"]
    assert (
        client.get(pages.statement.url, HTTP_ACCEPT_LANGUAGE=URDU)["Location"]
        == statement.url
    )
    bengali = client.get("/where-they-stand/", HTTP_ACCEPT_LANGUAGE="bn")
    assert bengali["Location"] == "/bn/where-they-stand/"
    # A page with no Urdu translation is shown in English rather than missing.
    assert client.get(pages.event.url, HTTP_ACCEPT_LANGUAGE=URDU).status_code == 200
    # English first, or a language the site does not have: English.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,ur;q=0.5").status_code == 200
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR").status_code == 200
    # Following a link within the site is never redirected.
    within = client.get(
        "/", HTTP_ACCEPT_LANGUAGE=URDU, HTTP_REFERER="http://testserver/ur/"
    )
    assert within.status_code == 200
    # The API, the admin and the feeds have one address.
    assert client.get("/events.ics", HTTP_ACCEPT_LANGUAGE=URDU).status_code == 200
    assert client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE=URDU).status_code != 302
    assert client.get("/ur/api/v1/").status_code == 404


def test_the_switcher_names_each_language_in_itself_and_remembers_the_choice(
    client, translated
):
    pages, statement = translated
    html = client.get(statement.url).content.decode()
    switcher = re.search(
        r'<nav class="wrap language-switcher".*?</nav>', html, re.DOTALL
    ).group(0)
    for name in ("English", "Cymraeg", "اردو", "বাংলা", "ਪੰਜਾਬੀ"):
        assert f">{name}</a>" in switcher
    assert 'lang="ur" hreflang="ur" dir="rtl" aria-current="true">اردو' in switcher
    # English leads to the statement's English address, Welsh (no translation)
    # to the Welsh home page.
    assert "/language/en-gb/?next=/statements/our-first-statement/" in switcher
    assert "/language/cy/?next=/cy/" in switcher

    chosen = client.get("/language/en-gb/", {"next": pages.statement.url})
    assert chosen.status_code == 302
    assert chosen["Location"] == pages.statement.url
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    # Having chosen English, an Urdu browser stays in English.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=URDU).status_code == 200
    # Having chosen Urdu, an English address leads to Urdu.
    client.get("/language/ur/", {"next": "/ur/"})
    assert client.get("/")["Location"] == "/ur/"
    # The switcher sends nobody to another site.
    away = client.get("/language/cy/", {"next": "https://example.com/"})
    assert away["Location"] == "/"


def test_hreflang_alternates_name_every_translation(client, translated):
    pages, statement = translated
    html = client.get(pages.statement.url).content.decode()
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    )
    assert alternates == {
        "en-GB": "https://updates.example.org/statements/our-first-statement/",
        "x-default": "https://updates.example.org/statements/our-first-statement/",
        "ur": "https://updates.example.org/ur/statements/our-first-statement/",
    }
    home = client.get("/cy/").content.decode()
    assert 'hreflang="cy" href="https://updates.example.org/cy/"' in home
    assert 'hreflang="ur" href="https://updates.example.org/ur/"' in home
    # Views outside the page tree have every language.
    search = client.get("/search/").content.decode()
    assert 'hreflang="pa" href="https://updates.example.org/pa/search/"' in search


def test_the_sitemap_lists_translations_with_their_alternates(client, translated):
    pages, statement = translated
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own answer
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    entries = {
        url.find("s:loc", ns).text: {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    # The sitemap names the site by its public address (SITE_URL).
    urdu = "https://updates.example.org/ur/statements/our-first-statement/"
    english = "https://updates.example.org/statements/our-first-statement/"
    assert (
        entries[urdu]
        == entries[english]
        == {
            "en-GB": english,
            "ur": urdu,
            "x-default": english,
        }
    )
    assert "https://updates.example.org/cy/" in entries
    # An untranslated page names only itself.
    assert entries["https://updates.example.org/events/"] == {
        "en-GB": "https://updates.example.org/events/",
        "x-default": "https://updates.example.org/events/",
    }


def test_the_page_cache_keeps_one_copy_per_language(client, translated, page_cache):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/ur/")["X-Page-Cache"] == "miss"
    english = client.get("/")
    urdu = client.get("/ur/")
    assert english["X-Page-Cache"] == urdu["X-Page-Cache"] == "hit"
    assert 'lang="en-GB"' in html_tag(english)
    assert 'lang="ur"' in html_tag(urdu)
    # Someone who chose a language still gets cached pages at its addresses.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    assert client.get("/ur/")["X-Page-Cache"] == "hit"
    # ... and an arrival is redirected before the cache could answer in English.
    assert client.get("/").status_code == 302


def test_the_robots_file_keeps_search_pages_out_in_every_language(client):
    text = client.get("/robots.txt").content.decode()
    for code in ("cy", "ur", "bn", "pa"):
        assert f"Disallow: /{code}/search/" in text
