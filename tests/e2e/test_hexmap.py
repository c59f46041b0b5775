"""The hex map in a real browser: a region's hexagons are big enough to tap on a
390 px phone without the page scrolling sideways, the keyboard moves through the
map with the arrow keys and Enter opens a constituency, and without JavaScript
every hexagon is still a link in the Tab order. axe-core checks each view."""

import re
from datetime import date

import pytest

from campaign.services import stance_record
from network.models import Area
from tests.e2e.conftest import BROWSER_TEST, ensure_wagtail_roots
from tests.factories import CandidacyFactory

pytestmark = BROWSER_TEST

PHONE = {"width": 390, "height": 844}
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


@pytest.fixture
def tab_with(browser, live_server):
    ensure_wagtail_roots()
    contexts = []

    def make(viewport, *, javascript=True):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def focused_hex(page) -> dict | None:
    return page.evaluate(
        """() => {
          const a = document.activeElement.closest("a.hex");
          if (!a) return null;
          const use = a.querySelector("use");
          return {name: a.getAttribute("aria-label"), href: a.getAttribute("href"),
                  x: +use.getAttribute("x"), y: +use.getAttribute("y")};
        }"""
    )


def test_on_a_phone_a_region_is_large_and_tappable(
    tab_with, uk_areas, assert_no_axe_violations
):
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    stance_record(candidacy=CandidacyFactory(area=blackburn), kind="replied",
                  occurred_on=date(2024, 6, 12), position="ceasefire",
                  quote="Now.", evidence_url="https://example.org/e",
                  actor=None)  # fmt: skip
    tab = tab_with(PHONE)
    tab.goto("/where-they-stand/")
    # The region picker, without waiting for any script: a GET form.
    tab.get_by_label("Region or nation").select_option(label="North West")
    tab.get_by_role("button", name="Show on the map").click()
    tab.wait_for_url(re.compile(r"region=north-west"))
    hexes = tab.locator(".hexmap__frame a.hex")
    assert hexes.count() == 73
    sizes = [hexes.nth(i).bounding_box() for i in range(0, 73, 8)]
    assert min(box["width"] for box in sizes) >= 24  # WCAG 2.2 target size
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_no_axe_violations(tab, impacts=EVERY_IMPACT)

    # A wide region pans inside its frame; the page itself still does not scroll.
    tab.goto("/where-they-stand/?region=south-east#map")
    frame = tab.locator(".hexmap__frame")
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert tab.locator(".hexmap__frame a.hex").first.bounding_box()["width"] >= 24

    # A tap on a hexagon opens its constituency.
    tab.goto("/where-they-stand/?region=north-west&mode=pledges#map")
    tab.get_by_role("link", name="Blackburn: No pledges yet").click()
    tab.wait_for_url(re.compile(r"/where-they-stand/blackburn/$"))
    assert tab.locator("h1").inner_text() == "Blackburn"


def test_the_keyboard_moves_through_the_map_and_opens_a_constituency(
    page, uk_areas, assert_no_axe_violations
):
    page.goto("/where-they-stand/?region=london")
    hexes = page.locator(".hexmap__frame a.hex")
    # One Tab stop for the whole map (a roving tabindex), the first hexagon.
    assert page.locator('.hexmap__frame a.hex[tabindex="0"]').count() == 1
    assert page.locator('.hexmap__frame a.hex[tabindex="-1"]').count() == 74
    assert "arrow keys" in page.locator("#hexmap-keys").inner_text()
    page.locator(".skip-map").focus()
    page.keyboard.press("Tab")
    first = focused_hex(page)
    assert first is not None
    page.keyboard.press("ArrowRight")
    right = focused_hex(page)
    assert right["y"] == first["y"] and right["x"] > first["x"]
    page.keyboard.press("ArrowDown")
    down = focused_hex(page)
    assert down["y"] > right["y"] and abs(down["x"] - right["x"]) < 10
    page.keyboard.press("ArrowUp")
    assert focused_hex(page)["y"] < down["y"]
    page.keyboard.press("End")
    last = focused_hex(page)
    assert last["name"] == hexes.last.get_attribute("aria-label")
    # Tab leaves the map in one step, and Shift+Tab comes back to the same hexagon.
    page.keyboard.press("Tab")
    assert focused_hex(page) is None
    page.keyboard.press("Shift+Tab")
    assert focused_hex(page) == last
    assert_no_axe_violations(page, impacts=EVERY_IMPACT)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(last["href"]) + "$"))


def test_without_javascript_every_hexagon_is_a_link_in_the_tab_order(
    tab_with, uk_areas
):
    tab = tab_with({"width": 1280, "height": 900}, javascript=False)
    tab.goto("/where-they-stand/?region=wales")
    assert tab.locator(".hexmap__frame a.hex[tabindex]").count() == 0
    tab.locator(".skip-map").focus()
    tab.keyboard.press("Tab")
    first = focused_hex(tab)
    tab.keyboard.press("Tab")
    second = focused_hex(tab)
    assert first and second and first != second
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(re.escape(second["href"]) + "$"))
