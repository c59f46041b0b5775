"""A visitor in a real browser: every public page type, registering for an event,
and axe-core's WCAG 2.2 AA checks on each."""

import re

import pytest
from django.core import mail

from cms.models import Registration
from tests.e2e.conftest import BROWSER_TEST
from tests.factories import build_site_pages

pytestmark = BROWSER_TEST


@pytest.mark.long
def test_visitor_reads_every_page_type_and_registers(page, assert_no_axe_violations):
    site = build_site_pages()
    for url, heading in [
        (site.home.url, "No ceasefire, no vote"),
        (site.statements.url, "Statements"),
        (site.statement.url, "Our first statement"),
        (site.events.url, "Events"),
        (site.standard.url, "Privacy policy"),
        ("/search/?q=peace", "Search"),
        ("/no-such-page/", "Page not found"),
        (site.event.url, "Test conference"),
    ]:
        page.goto(url)
        assert page.locator("h1").first.inner_text() == heading, url
        assert_no_axe_violations(page)

    # Register on the event page (the last one visited), with the keyboard-free
    # path a screen-reader user takes: labelled fields, then the button.
    page.get_by_label("Name", exact=True).fill("Ada Example")
    page.get_by_label("Email", exact=True).fill("ada@example.org")
    page.get_by_label("Access needs (optional)").fill("A seat near the door")
    page.get_by_label(re.compile("The organisers may email me")).check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/thank-you/"))
    assert page.locator("h1").inner_text() == "Thank you for registering"
    assert "ada@example.org" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    registration = Registration.objects.get()
    assert registration.access_needs == "A seat near the door"
    assert registration.consent_to_contact
    assert mail.outbox[-1].to == ["ada@example.org"]


def test_registration_errors_are_shown_and_accessible(page, assert_no_axe_violations):
    site = build_site_pages()
    page.goto(site.event.url)
    page.get_by_label("Email", exact=True).fill("not an address")
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".error-summary")
    assert "Enter your name" in summary.inner_text()
    assert "Enter an email address like name@example.org" in summary.inner_text()
    assert (
        page.get_by_label("Email", exact=True).get_attribute("aria-invalid") == "true"
    )
    assert_no_axe_violations(page)
    assert not Registration.objects.exists()


def test_pages_work_on_a_phone_screen(page, assert_no_axe_violations):
    site = build_site_pages()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site.event.url)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scrolling
    assert_no_axe_violations(page)
