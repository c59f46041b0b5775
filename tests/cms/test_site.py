"""What every public page shares (imprint, menu, meta tags, no other hosts) and the
site-wide files: feeds, calendars, sitemap, robots.txt, search, error pages."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import RequestFactory
from django.utils import timezone
from icalendar import Calendar

from cms.demo import _stream
from cms.models import EventPage, SiteSettings
from tests.factories import PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def public_urls(pages):
    return [
        pages.home.url,
        pages.statements.url,
        pages.statement.url,
        pages.events.url,
        pages.event.url,
        pages.standard.url,
        "/search/?q=peace",
        "/no-such-page/",
    ]


@pytest.fixture
def site_settings(site_pages):
    settings = SiteSettings.for_site(site_pages.home.get_site())
    settings.imprint_promoter = "Jo Promoter"
    settings.imprint_promoter_address = "1 Example Street, Demotown DT1 1AA"
    settings.imprint_on_behalf_of = "The Test Network"
    settings.contact_email = "hello@example.org"
    settings.main_menu = _stream(
        ("item", {"label": "", "page": site_pages.events.pk, "url": ""}),
        ("item", {"label": "Read", "page": site_pages.statements.pk, "url": ""}),
    )
    settings.save()
    return settings


def test_every_page_shows_the_imprint_and_the_main_menu(
    client, site_settings, site_pages
):
    imprint = (
        "Promoted by Jo Promoter, 1 Example Street, Demotown DT1 1AA, "
        "on behalf of The Test Network."
    )
    for url in public_urls(site_pages):
        html = client.get(url).content.decode()
        assert imprint in html, url
        assert '<nav class="main-menu" aria-label="Main">' in html, url
        assert '<a href="/events/"' in html, url
        assert ">Read</a>" in html, url
        assert "hello@example.org" in html, url


def test_the_current_page_is_marked_in_the_menu(client, site_settings, site_pages):
    html = client.get(site_pages.events.url).content.decode()
    assert '<a href="/events/" aria-current="page">Events</a>' in html


def test_no_page_loads_anything_from_another_host(client, site_settings, site_pages):
    for url in public_urls(site_pages):
        html = client.get(url).content.decode()
        sources = re.findall(
            r'<(?:script|img|iframe|link|source)[^>]+(?:src|href)="([^"]+)"', html
        )
        loaded = [
            s
            for s in sources
            if s.startswith(("http:", "https:", "//"))
            and not s.startswith(
                (
                    "http://localhost/",
                    "http://testserver/",
                    "https://updates.example.org/",
                )
            )
        ]
        assert loaded == [], url


def test_meta_tags_for_sharing(client, site_pages):
    page = site_pages.statement
    page.seo_title = "Statement title for sharing"
    page.search_description = "What the statement says, briefly."
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<title>Statement title for sharing | No Ceasefire No Vote</title>" in html
    assert (
        '<meta name="description" content="What the statement says, briefly.">' in html
    )
    # On the public address (SITE_URL), not the host the request came in on.
    canonical = "https://updates.example.org/statements/our-first-statement/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:title" content="Statement title for sharing">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_statements_feed_parses(client, site_pages):
    response = client.get(site_pages.statements.url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Our first statement"]
    link = entries[0].find(f"{ATOM}link").attrib["href"]
    assert link == "https://updates.example.org/statements/our-first-statement/"
    index_html = client.get(site_pages.statements.url).content.decode()
    assert 'type="application/atom+xml"' in index_html


def test_events_calendar_feed_lists_upcoming_events_only(client, site_pages):
    past = EventPage(
        title="Last year's meeting",
        slug="last-year",
        start=timezone.now() - timedelta(days=300),
        end=timezone.now() - timedelta(days=300) + timedelta(hours=2),
        venue_name="Old Hall",
        venue_address="2 Example Road",
    )
    site_pages.events.add_child(instance=past)
    past.save_revision().publish()
    response = client.get("/events.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Test conference"]
    # The index lists them apart.
    html = client.get(site_pages.events.url).content.decode()
    upcoming, past_part = html.split('id="past"')
    assert "Test conference" in upcoming and "Last year" not in upcoming
    assert "Last year&#x27;s meeting" in past_part


def test_each_event_offers_its_own_calendar_file(client, site_pages):
    event = site_pages.event
    assert (
        'href="/events/test-conference/calendar/"'
        in client.get(event.url).content.decode()
    )
    response = client.get(event.url + "calendar/")
    assert (
        response["Content-Disposition"] == 'attachment; filename="test-conference.ics"'
    )
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert vevent.decoded("dtstart") == event.start
    assert str(vevent["url"]) == "https://updates.example.org/events/test-conference/"


def test_summer_time_is_written_as_uk_local_time(site_pages):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cms.calendar import calendar_for_event

    event = site_pages.event
    event.start = datetime(2027, 4, 13, 11, tzinfo=ZoneInfo("Europe/London"))
    event.end = event.start + timedelta(hours=5)
    ics = calendar_for_event(event).decode()
    assert "DTSTART;TZID=Europe/London:20270413T110000" in ics
    assert "TZOFFSETTO:+0100" in ics  # British Summer Time is described


def test_sitemap_lists_the_live_pages(client, site_pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for page in (
        site_pages.home,
        site_pages.statement,
        site_pages.event,
        site_pages.standard,
    ):
        assert f"<loc>https://updates.example.org{page.url}</loc>" in body


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: https://updates.example.org/sitemap.xml" in lines


def test_search_finds_pages_by_their_body_text(client, site_pages):
    response = client.get("/search/", {"q": "lasting peace"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/statements/our-first-statement/"' in html
    assert '<meta name="robots" content="noindex">' in html
    nothing = client.get("/search/", {"q": "zzzxqy"}).content.decode()
    assert "No results for" in nothing
    # An empty or huge query is no error.
    assert client.get("/search/", {"q": ""}).status_code == 200
    assert client.get("/search/", {"q": "a" * 5000, "page": "x"}).status_code == 200


def test_pages_render_in_a_constant_number_of_queries(
    client, site_settings, site_pages, uk_areas
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.models import EventHost, StatementSignatory

    def count(url):
        client.get(url)  # warm the site and settings caches
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    statement, event = site_pages.statement, site_pages.event

    def add_signer_and_host(n):
        person = PersonFactory(name=f"Signer {n}", public_profile=True)
        RoleFactory(person=person)
        StatementSignatory.objects.create(page=statement, person=person)
        EventHost.objects.create(page=event, person=person)

    add_signer_and_host(0)
    few = {url: count(url) for url in public_urls(site_pages)}
    for n in range(1, 13):
        add_signer_and_host(n)
    many = {url: count(url) for url in public_urls(site_pages)}
    assert many == few
    assert max(many.values()) <= 25, many


def test_the_calendar_feed_costs_the_same_queries_with_more_events(client, site_pages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from icalendar import Calendar

    def count():
        client.get("/events.ics")  # warm the site caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/events.ics")
        return len(queries), len(Calendar.from_ical(response.content).walk("VEVENT"))

    few = count()
    for n in range(5):
        site_pages.event.copy(
            update_attrs={"slug": f"another-session-{n}", "title": f"Session {n}"}
        )
    many = count()
    assert (few[1], many[1]) == (1, 6)
    assert many[0] == few[0]


def test_a_statement_names_only_signatories_with_a_public_profile(client, site_pages):
    from cms.models import StatementSignatory

    statement = site_pages.statement
    StatementSignatory.objects.create(
        page=statement, person=PersonFactory(name="Open Signer", public_profile=True)
    )
    # Consent withdrawn after signing: the page stops naming them.
    StatementSignatory.objects.create(
        page=statement,
        person=PersonFactory(name="Withdrawn Signer", public_profile=False),
    )
    html = client.get(statement.url).content.decode()
    assert "Open Signer" in html
    assert "Withdrawn Signer" not in html


def test_missing_pages_get_the_site_styled_404(client, site_pages):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "/static/css/site.css" in html
    assert 'class="site-header"' in html


def test_server_errors_get_the_site_styled_500():
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "/static/css/site.css" in html
