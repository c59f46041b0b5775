"""Views of the campaign site: what its pages show beyond their own fields (the
listings, signatories and hosts, registered per page class in
``cms.page_handlers``), the event page's form and thank-you step, calendars, the
statements feed, search, robots.txt, /favicon.ico."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe
from wagtail.models import Site

from campaign.selectors import pledge_total
from cms import page_handlers, selectors, services
from cms.calendar import CONTENT_TYPE as CALENDAR_TYPE
from cms.calendar import calendar_for_event, calendar_for_events
from cms.feeds import StatementFeed
from cms.forms import RegistrationForm
from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    RegistrationState,
    StatementIndexPage,
    StatementPage,
)
from network.visibility import audience_for_user
from ops import throttle
from ops.i18n import request_language
from ops.siteurl import absolute_url

SEARCH_QUERY_MAX = 200
SEARCH_PAGE_SIZE = 10


# ------------------------------------------------------------------ pages' contexts


@page_handlers.context(HomePage)
def home_page_context(request, page) -> dict:
    return {
        "latest_statements": selectors.statement_list(root=page)[:3],
        "national": selectors.national_picture(),
        # People who confirmed the pledge, across the UK (from the counters).
        "pledge_total": pledge_total(),
        "upcoming_events": selectors.event_list_upcoming(root=page)[:3],
    }


@page_handlers.context(StatementIndexPage)
def statement_index_context(request, page) -> dict:
    tag = request.GET.get("tag", "").strip()[:100]
    statements = selectors.statement_list(root=page)
    if tag:
        statements = statements.filter(tags__slug=tag)
    return {"statements": statements, "tag": tag}


@page_handlers.context(StatementPage)
def statement_context(request, page) -> dict:
    return {"signatories": selectors.public_signatories(page=page)}


@page_handlers.context(EventIndexPage)
def event_index_context(request, page) -> dict:
    return {
        "upcoming_events": selectors.event_list_upcoming(root=page),
        "past_events": selectors.event_list_past(root=page)[:20],
    }


@page_handlers.route(StatementIndexPage, "feed")
def statement_feed(request, page):
    return StatementFeed(page)(request)


# ------------------------------------------------------------------ event pages


def _session_key(page) -> str:
    return f"cms_registered_{page.pk}"


@page_handlers.route(EventPage, "index")
def event_page_serve(request, page):
    """Show the event; on POST, register while registration is open."""
    state = page.registration_state()
    form = None
    status = 200
    if state == RegistrationState.OPEN:
        if request.method == "POST":
            form = RegistrationForm(request.POST)
            if not throttle.allow_rate(
                request, scope="registration", rate=settings.CMS_REGISTRATION_RATE
            ):
                form.is_valid()
                form.add_error(
                    None, _("Too many registrations from your connection. Try later.")
                )
                status = 429
            elif form.is_valid():
                try:
                    result = services.registration_create(
                        event=page,
                        language=request_language(request),
                        **form.cleaned_data,
                    )
                except services.RegistrationClosedError as closed:
                    state = closed.state
                    form = None
                else:
                    request.session[_session_key(page)] = {
                        "email": result.registration.email,
                        "waiting": result.event_was_full,
                    }
                    return redirect(page.url + page.reverse_subpage("thank_you"))
        else:
            form = RegistrationForm()
    context = {
        "registration_state": state,
        "registration_open": state == RegistrationState.OPEN,
        "form": form,
        "hosts": selectors.public_hosts(page=page),
        "event_full": selectors.event_is_full(event=page),
        # The form's errors are shown at the registration address: the page's own
        # address stays the one to share.
        "canonical_url": page.get_full_url(request),
    }
    response = page.render(request, context_overrides=context)
    response.status_code = status
    if request.method == "GET":
        _expire_when_registration_changes(response, page)
    return response


def _expire_when_registration_changes(response, page):
    """Let caches keep the page only until registration opens, closes or the event
    ends, so nobody is shown a form that no longer takes registrations."""
    change = page.next_registration_change()
    if change is None:
        return
    seconds = int((change - timezone.now()).total_seconds()) + 1
    if seconds < settings.PUBLIC_PAGE_CACHE_SECONDS:
        patch_cache_control(response, max_age=max(seconds, 0))


# No CSRF token: the form is the same for every visitor, so the event page can be
# kept by the page cache (the page most shared before a conference). A forged
# registration gains nothing a direct one would not: the form acts for no
# signed-in account, the address gets the confirmation email, registering it
# again changes nothing, and the per-IP limit still applies.
@csrf_exempt
@require_POST
def event_register(request, page_id):
    """Where the event page's registration form posts. Answers as the page does:
    the thank-you step, or the page again with the form's errors."""
    page = get_object_or_404(EventPage.objects.live().public(), pk=page_id)
    return event_page_serve(request, page)


@page_handlers.route(EventPage, "thank_you")
def event_thank_you(request, page):
    """After registering: where to look for the confirmation. Shows only what a new
    registration at that moment would have been told, never the stored record."""
    registered = request.session.get(_session_key(page))
    if not registered:
        return redirect(page.url)
    return TemplateResponse(
        request,
        "cms/event_thank_you.html",
        {"page": page, "self": page, "registered": registered},
    )


@page_handlers.route(EventPage, "ics")
def event_ics(request, page):
    response = HttpResponse(
        calendar_for_event(page, request=request), content_type=CALENDAR_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.ics"'
    return response


# ------------------------------------------------------------------ other addresses


@require_GET
def events_ics(request):
    """The calendar feed of upcoming events: /events.ics."""
    site = Site.find_for_request(request)
    events = selectors.event_list_upcoming(root=site.root_page) if site else []
    body = calendar_for_events(
        events, request=request, name=f"{settings.WAGTAIL_SITE_NAME} events"
    )
    return HttpResponse(body, content_type=CALENDAR_TYPE)


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX]
    results = None
    directory = None
    if query and request.GET.get("page") in (None, "", "1"):
        directory = selectors.search_directory(
            query=query, audience=audience_for_user(request.user)
        )
    if query:
        site = Site.find_for_request(request)
        paginator = Paginator(
            selectors.search_pages(query=query, site=site), SEARCH_PAGE_SIZE
        )
        results = paginator.get_page(request.GET.get("page"))
        results.object_list = selectors.specific_pages(results.object_list)
    return TemplateResponse(
        request,
        "cms/search.html",
        {
            "query": query,
            "results": results,
            "directory": directory,
            "directory_found": bool(directory and any(directory.values())),
            "meta_title": _("Search: %(query)s") % {"query": query}
            if query
            else _("Search"),
            "meta_description": _(
                "Search the constituencies, people, areas, statements, events and "
                "pages of the site."
            ),
            "noindex": True,
        },
    )


@require_GET
def robots_txt(request):
    sitemap = absolute_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        # The search page in the other languages (/ur/search/, ...).
        *(
            f"Disallow: /{code}/search/"
            for code, _name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        ),
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# Browsers ask for /favicon.ico on their own, whatever the page links to.
FAVICON = "icons/favicon.ico"


@cache
def _favicon_bytes() -> bytes:
    return Path(finders.find(FAVICON)).read_bytes()


@require_safe
def favicon(request):
    """The site's icon at the address browsers and feed readers try first."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
