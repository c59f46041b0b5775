"""Signing up for updates in a real browser: the form, its errors, confirming and
unsubscribing, with axe-core's WCAG 2.2 AA checks on every step."""

import re

from django.core import mail

from tests.e2e.conftest import BROWSER_TEST
from updates.models import Subscriber, SubscriberStatus

pytestmark = BROWSER_TEST

LINK = re.compile(r"https://updates\.example\.org(/updates/[a-z]+/[^/\s]+/)")


def test_sign_up_confirm_and_unsubscribe(page, assert_no_axe_violations):
    page.goto("/updates/signup/")
    assert page.locator("h1").inner_text() == "Get updates"
    assert_no_axe_violations(page)
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("Postcode (optional)").fill("ab11 5fd")
    page.get_by_label(re.compile("Email me updates")).check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/updates/check-your-email/"))
    assert page.locator("h1").inner_text() == "Check your email"
    assert_no_axe_violations(page)

    confirm, unsubscribe = (m.group(1) for m in LINK.finditer(mail.outbox[-1].body))
    page.goto(confirm)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Yes, send me updates").click()
    assert page.locator("h1").inner_text() == "You are signed up"
    assert_no_axe_violations(page)
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED

    page.goto(unsubscribe)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    assert_no_axe_violations(page)
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED


def test_sign_up_errors_are_shown_and_accessible(page, assert_no_axe_violations):
    page.goto("/updates/signup/")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Sign up").click()
    email = page.get_by_label("Email address")
    assert email.get_attribute("aria-invalid") == "true"
    assert (
        "Enter an email address like name@example.org"
        in page.locator("main").inner_text()
    )
    assert "Tick the box to agree" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    assert not Subscriber.objects.exists()
