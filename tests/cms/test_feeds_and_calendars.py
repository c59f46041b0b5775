"""The statements feed, the sitemap and the calendars, read by tools nobody here
wrote: feedparser and an RFC 4287 RELAX NG schema (lxml) for the Atom feed; the
icalendar and vobject parsers for the calendars."""

from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
import pytest
import vobject
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from lxml import etree

from network.models import Area
from tests.factories import CandidacyFactory, StanceEventFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "atom.rng"
LONDON = ZoneInfo("Europe/London")


# ------------------------------------------------------------------ Atom


def test_the_feed_is_valid_atom_with_the_organisation_as_author(client, site_pages):
    response = client.get(site_pages.statements.url + "feed/")
    assert response.status_code == 200

    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log

    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # RFC 4287 4.1.1: the feed names an author (and here every entry does too).
    assert parsed.feed.author_detail.name == settings.WAGTAIL_SITE_NAME
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.author_detail.name == settings.WAGTAIL_SITE_NAME
    assert parsed.feed.links[-1].rel == "self"
    assert parsed.feed.links[-1].href == (
        settings.SITE_URL + site_pages.statements.url + "feed/"
    )


# ------------------------------------------------------------------ sitemap


def test_the_sitemap_lists_where_they_stand_and_each_constituency_with_candidates(
    client, uk_areas, site_pages
):
    candidacy = CandidacyFactory()  # Blackburn
    StanceEventFactory(candidacy=candidacy)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod")
        for url in ElementTree.fromstring(response.content).iter(f"{SITEMAP}url")  # noqa: S314 - our own output
    }
    base = settings.SITE_URL
    blackburn = Area.objects.get(gss_code="E14001102")
    assert f"{base}/where-they-stand/" in urls
    assert f"{base}/where-they-stand/{blackburn.slug}/" in urls
    today = timezone.localdate().isoformat()
    assert urls[f"{base}/where-they-stand/{blackburn.slug}/"].text == today
    assert urls[f"{base}/where-they-stand/"].text == today
    # Constituencies with nobody standing have nothing to show.
    constituency_pages = [u for u in urls if u.startswith(f"{base}/where-they-stand/")]
    assert len(constituency_pages) == 2
    assert f"{base}{site_pages.statement.url}" in urls
    assert all(url.startswith(base + "/") for url in urls)


# ------------------------------------------------------------------ calendars


@pytest.fixture
def event_with_access_notes(site_pages):
    event = site_pages.event
    event.access_information = (
        "<p>Step-free entrance on the side street.</p>"
        "<ul><li>Lift to every room.</li><li>Accessible toilets.</li></ul>"
    )
    event.summary = "A day of talks."
    event.save_revision().publish()
    return event


def test_calendars_are_utf8_and_keep_list_items_apart(client, event_with_access_notes):
    event = event_with_access_notes
    for address in ("/events.ics", event.ics_url()):
        response = client.get(address)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
        lines = str(vevent["description"]).splitlines()
        assert "- Lift to every room." in lines
        assert "- Accessible toilets." in lines
        assert "Step-free entrance on the side street." in lines
        assert str(vevent["uid"]) == f"event-{event.pk}@updates.example.org"


def test_calendars_give_the_right_hour_after_2038(client, site_pages):
    event = site_pages.event
    # A summer and a winter event long after 2038: BST, then GMT.
    for start, utc_hour in (
        (datetime(2045, 7, 1, 10, tzinfo=LONDON), 9),
        (datetime(2045, 12, 1, 10, tzinfo=LONDON), 10),
    ):
        event.start, event.end = start, start + timedelta(hours=2)
        event.save_revision().publish()
        body = client.get(event.ics_url()).content.decode()
        parsed = vobject.readOne(body)
        dtstart = parsed.vevent.dtstart.value
        assert dtstart.astimezone(ZoneInfo("UTC")).hour == utc_hour, body
        (tz,) = Calendar.from_ical(body).walk("VTIMEZONE")
        for rule in tz.walk("DAYLIGHT") + tz.walk("STANDARD"):
            assert "UNTIL" not in rule["RRULE"]  # the rules hold for ever


def test_vobject_and_icalendar_read_the_feed_of_events(client, site_pages):
    body = client.get("/events.ics").content.decode()
    parsed = vobject.readOne(body)
    assert [e.summary.value for e in parsed.vevent_list] == [site_pages.event.title]
    assert parsed.vevent.url.value == site_pages.event.get_full_url()
    (vevent,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == site_pages.event.title
