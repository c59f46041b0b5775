"""iCalendar (.ics) files for events: one event, or the feed of upcoming events.

Times are written in Europe/London with the matching VTIMEZONE, so a calendar shows
the right hour on both sides of a clock change."""

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar, Event

from ops.siteurl import site_domain

LONDON = ZoneInfo("Europe/London")
PRODID = "-//No Ceasefire No Vote//Campaign site//EN"


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
        description += "\n\nAccess: " + strip_tags(page.access_information)
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
    for page in pages:
        calendar.add_component(_event_component(page, request=request))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_for_event(page, *, request=None) -> bytes:
    return calendar_for_events([page], request=request, name=page.title)
