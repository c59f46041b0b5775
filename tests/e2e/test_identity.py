"""The site as a new visitor meets it, in a real browser: the header folds away on a
phone and opens without JavaScript, tables reflow instead of scrolling sideways,
the home page leads with the postcode box and the national picture, forms put
their errors in a summary that takes focus, the join form's area is a search, and
the icons and manifest are the site's own. axe-core checks each page."""

import json
import re

import pytest

from network.models import Area, JoinRequest
from tests.e2e.conftest import BROWSER_TEST, ensure_wagtail_roots
from tests.factories import build_site_pages

pytestmark = BROWSER_TEST

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def new_tab(browser, live_server):
    """``new_tab(viewport, javascript=True)``: a tab in a fresh browser context."""
    ensure_wagtail_roots()
    contexts = []

    def make(viewport, *, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def page_width(tab) -> int:
    return tab.evaluate("() => document.documentElement.scrollWidth")


def test_the_header_folds_on_a_phone_and_opens_without_javascript(new_tab):
    build_site_pages()
    tab = new_tab(PHONE, javascript=False)
    tab.goto("/")
    header = tab.locator(".site-header")
    menu_link = tab.get_by_role("link", name="Where they stand")
    toggle = tab.locator(".menu-toggle summary")
    # Folded: the logo, a Menu button and the language switcher (kept outside
    # the menu so a reader finds their language at once), nothing else.
    assert header.bounding_box()["height"] <= 112
    assert toggle.is_visible() and toggle.inner_text().strip() == "Menu"
    assert not menu_link.is_visible()
    assert not tab.get_by_role("searchbox", name="Search the site").is_visible()
    # The keyboard reaches the button (after the skip link, the logo and the
    # language switcher) and opens the menu with Enter; Tab then moves into it.
    for _ in range(10):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
    assert tab.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    tab.keyboard.press("Enter")
    assert menu_link.is_visible()
    assert tab.get_by_role("link", name="Get updates").first.is_visible()
    assert tab.get_by_role("searchbox", name="Search the site").is_visible()
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => document.activeElement.textContent") == (
        "Where they stand"
    )
    assert page_width(tab) <= PHONE["width"]
    # And closes again.
    toggle.click()
    assert not menu_link.is_visible()

    # On a wide screen there is no button: the menu is simply there.
    wide = new_tab(DESKTOP, javascript=False)
    wide.goto("/")
    assert not wide.locator(".menu-toggle summary").is_visible()
    assert wide.get_by_role("link", name="Where they stand").is_visible()
    assert wide.get_by_role("link", name="Get updates").first.is_visible()


@pytest.mark.long
def test_phone_pages_never_scroll_sideways_and_pass_axe(
    new_tab, uk_areas, assert_no_axe_violations
):
    site = build_site_pages()
    tab = new_tab(PHONE)
    for path in [
        site.home.url,
        "/where-they-stand/",
        "/where-they-stand/blackburn/",
        site.event.url,
        "/updates/signup/",
        "/network/join/",
        "/accounts/login/",
    ]:
        tab.goto(path)
        assert page_width(tab) <= PHONE["width"], path
        assert_no_axe_violations(tab)
    # With the menu open too.
    tab.locator(".menu-toggle summary").click()
    assert_no_axe_violations(tab)


def test_tables_reflow_into_labelled_lines_on_a_phone(new_tab, uk_areas):
    tab = new_tab(PHONE)
    tab.goto("/where-they-stand/")
    table = tab.locator("table.regions")
    assert table.bounding_box()["width"] <= PHONE["width"]
    first_row = table.locator("tbody tr").first
    cells = first_row.locator("td")
    assert cells.count() == 4
    # Each number carries its column's name in front of it, from data-label.
    labels = cells.evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == [
        '"A candidate calls for a ceasefire"',
        '"All refuse, are unclear or silent"',
        '"Nobody asked yet"',
        '"All"',
    ]
    # The cells stack: each starts below the one before.
    tops = [cells.nth(i).bounding_box()["y"] for i in range(4)]
    assert tops == sorted(tops) and len(set(tops)) == 4
    # On a wide screen it is an ordinary table again.
    wide = new_tab(DESKTOP)
    wide.goto("/where-they-stand/")
    cells = wide.locator("table.regions tbody tr").first.locator("td")
    tops = {round(cells.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1


def test_the_home_page_leads_with_the_postcode_box_and_the_national_picture(
    new_tab, uk_areas, assert_no_axe_violations
):
    site = build_site_pages()
    tab = new_tab(PHONE)
    tab.goto(site.home.url)
    first_form = tab.locator("main form").first
    assert first_form.get_attribute("action") == "/where-they-stand/"
    postcode = tab.get_by_label("Your postcode")
    # In the first screenful of a phone, with the figures straight after.
    assert postcode.bounding_box()["y"] + 40 < PHONE["height"]
    national = tab.locator("section.national")
    assert "The picture across the UK" in national.inner_text()
    # The stance figures and the pledge count.
    assert national.locator(".counter").count() == 5
    assert national.locator("svg a[data-gss]").count() == 650
    order = tab.evaluate(
        """() => [...document.querySelectorAll('main > section, main > div')]
                 .map(e => e.className)"""
    )
    assert (
        order.index("hero") < order.index("national") < order.index("wrap home-columns")
    )
    assert_no_axe_violations(tab)
    postcode.fill("bb1 2ab")
    tab.get_by_role("button", name="Find my candidates").click()
    # The constituency page, with the visitor's ward for their local elections.
    tab.wait_for_url(re.compile(r"/where-they-stand/blackburn/(\?ward=\w+)?$"))


def test_an_error_summary_takes_focus_and_leads_to_each_field(
    page, assert_no_axe_violations
):
    refusals = []
    page.on(
        "console",
        lambda m: refusals.append(m.text) if "Content Security" in m.text else None,
    )
    page.goto("/updates/signup/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Sign up").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    # The summary has focus (site.js, a file the policy allows, moved it there).
    assert page.evaluate("() => document.activeElement.matches('.error-summary')")
    summary.get_by_role("link", name=re.compile("Tick the box")).click()
    assert page.evaluate("() => document.activeElement.id") == "id_consent"
    summary.get_by_role("link", name=re.compile("Enter an email address")).click()
    assert page.evaluate("() => document.activeElement.id") == "id_email"
    assert_no_axe_violations(page)
    assert refusals == []


def test_the_join_forms_area_is_a_search_with_or_without_javascript(
    new_tab, uk_areas, assert_no_axe_violations
):
    def fill_the_rest(tab, name):
        tab.get_by_label("Your name").fill(name)
        tab.get_by_label("Email").fill(f"{name.split()[0].lower()}@example.org")
        tab.get_by_label("Organiser").check()
        tab.get_by_label("Why you want to join").fill("I organise the local vigil.")

    # Without JavaScript: the server matches the name and asks which one.
    tab = new_tab(DESKTOP, javascript=False)
    tab.goto("/network/join/")
    fill_the_rest(tab, "Nadia Nojs")
    tab.get_by_label("Your council or constituency (optional)").fill("bristol")
    tab.get_by_role("button", name="Send my request").click()
    question = tab.get_by_role("group", name="Which one do you mean?")
    # count() does not wait: the answer page must have arrived first.
    question.wait_for()
    assert question.get_by_role("radio").count() == 6
    question.get_by_label("Bristol East (constituency)").check()
    tab.get_by_role("button", name="Send my request").click()
    tab.wait_for_url(re.compile(r"/network/join/thanks/$"))
    request = JoinRequest.objects.get(email="nadia@example.org")
    assert request.area == Area.objects.get(
        name="Bristol East", area_type="constituency"
    )

    # With JavaScript: names are suggested while typing.
    tab = new_tab(DESKTOP)
    tab.goto("/network/join/")
    assert_no_axe_violations(tab)
    fill_the_rest(tab, "Jo Script")
    area = tab.get_by_label("Your council or constituency (optional)")
    area.press_sequentially("blackb", delay=30)
    options = tab.locator("#join-area-suggestions option")
    options.first.wait_for(state="attached")
    suggested = options.evaluate_all("os => os.map(o => o.value)")
    assert "Blackburn (constituency)" in suggested
    assert "Blackburn with Darwen (council)" in suggested
    area.fill("Blackburn with Darwen (council)")
    tab.get_by_role("button", name="Send my request").click()
    tab.wait_for_url(re.compile(r"/network/join/thanks/$"))
    assert JoinRequest.objects.get(email="jo@example.org").area.gss_code == (
        "E06000008"
    )


def test_the_icons_and_manifest_are_served_by_the_site(page, live_server):
    build_site_pages()
    page.goto("/")
    links = page.locator(
        "link[rel~='icon'], link[rel='apple-touch-icon'], link[rel='manifest']"
    )
    hrefs = links.evaluate_all("ls => ls.map(l => l.href)")
    assert len(hrefs) == 4
    for href in hrefs:
        assert href.startswith(live_server.url), href
        assert page.request.get(href).status == 200, href
    manifest_url = page.locator("link[rel='manifest']").evaluate("l => l.href")
    manifest = json.loads(page.request.get(manifest_url).text())
    for icon in manifest["icons"]:
        url = manifest_url.rsplit("/", 1)[0] + "/" + icon["src"]
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.headers["content-type"] == icon["type"], url
    favicon = page.request.get("/favicon.ico")
    assert favicon.status == 200
    assert favicon.headers["content-type"] == "image/x-icon"
    # The logo in the header is the site's own file, drawn (not a broken image).
    logo = page.locator(".site-header .brand img")
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
