"""iCalendar (.ics) files for events: one event, or the feed of upcoming events.

Times are written in Europe/London with a VTIMEZONE that states the rules (last
Sunday of March and of October) rather than listing clock changes up to some
year, so a calendar shows the right hour on both sides of every clock change,
2038 and after included. Links and UIDs are on the site's public address."""

import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone
from wagtail.rich_text import expand_db_html

from ops.siteurl import absolute_url, site_domain
from ops.text import html_to_text

LONDON = ZoneInfo("Europe/London")
PRODID = "-//No Ceasefire No Vote//Campaign site//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"

# The UK's rules since 1996 (and the EU's): summer time from 01:00 UTC on the last
# Sunday of March to 01:00 UTC on the last Sunday of October, with no end date.
LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
X-LIC-LOCATION:Europe/London
BEGIN:DAYLIGHT
TZNAME:BST
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
DTSTART:19960331T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:GMT
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
DTSTART:19961027T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

_RELATIVE_HREF = re.compile(r'href="(/[^"]*)"')


def rich_text_as_plain(html: str) -> str:
    """An editor's rich text as calendar text: paragraphs apart, list items on
    lines of their own, links followed by their full address."""
    html = expand_db_html(html or "")
    html = _RELATIVE_HREF.sub(lambda m: f'href="{absolute_url(m.group(1))}"', html)
    return html_to_text(html)


def _event_component(page, *, request=None) -> Event:
    component = Event()
    # The site's own domain keeps the UID stable whichever address served it.
    component.add("uid", f"event-{page.pk}@{site_domain()}")
    component.add("dtstamp", timezone.now())
    component.add("dtstart", page.start.astimezone(LONDON))
    component.add("dtend", page.end.astimezone(LONDON))
    component.add("summary", page.title)
    component.add("location", f"{page.venue_name}, {page.venue_address_line}")
    url = page.get_full_url(request)
    description = page.summary or page.search_description or ""
    if page.access_information:
        access = rich_text_as_plain(page.access_information)
        description += "\n\nAccess:\n" + access
    component.add("description", f"{description}\n\n{url}".strip())
    component.add("url", url)
    return component


def calendar_for_events(pages: Iterable, *, name: str, request=None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(Timezone.from_ical(LONDON_VTIMEZONE))
    for page in pages:
        calendar.add_component(_event_component(page, request=request))
    return calendar.to_ical()


def calendar_for_event(page, *, request=None) -> bytes:
    return calendar_for_events([page], request=request, name=page.title)
