"""The pledge and asking a candidate in a real browser: the forms, their errors,
the confirmation links, with axe-core's WCAG 2.2 AA checks on every step."""

import re

from django.core import mail

from campaign.models import (
    AskStatus,
    ConstituentAsk,
    Pledge,
    PledgeStatus,
    PledgeWording,
)
from network.models import Area, ContactDetail, Visibility
from tests.e2e.conftest import BROWSER_TEST
from tests.factories import CandidacyFactory

pytestmark = BROWSER_TEST


def path_in(body: str, route: str) -> str:
    return re.search(rf"https?://[^/\s]+(/{route}/confirm/\S+/)", body).group(1)


def test_pledge_errors_then_confirm(page, uk_areas, assert_no_axe_violations):
    PledgeWording.objects.create(
        version="e2e", title="No ceasefire, no vote",
        statement="I will not vote for anyone who refuses to call for a ceasefire.",
        consent="I agree that my pledge, a political opinion, is kept and counted.",
    )  # fmt: skip
    page.goto("/pledge/")
    assert page.locator("h1").inner_text() == "No ceasefire, no vote"
    assert_no_axe_violations(page)

    page.get_by_label("Your name").fill("Bri Browser")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Make the pledge").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Email address").get_attribute("aria-invalid") == "true"
    assert "Tick the box to agree" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    assert not Pledge.objects.exists()

    page.get_by_label("Email address").fill("bri.browser@example.org")
    page.get_by_label("Postcode").fill("bb1 1qr")
    page.get_by_label(re.compile("my pledge, a political opinion")).check()
    page.get_by_role("button", name="Make the pledge").click()
    page.wait_for_url(re.compile(r"/pledge/check-your-email/$"))
    assert_no_axe_violations(page)

    page.goto(path_in(mail.outbox[-1].body, "pledge"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirm my pledge").click()
    assert page.locator("h1").inner_text() == "Thank you"
    assert "1 person has pledged" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    assert Pledge.objects.get().status == PledgeStatus.CONFIRMED

    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    page.goto(f"/where-they-stand/{blackburn.slug}/")
    assert "1 person here has pledged" in page.locator(".pledge-count").inner_text()


def test_ask_a_candidate_from_the_constituency_page(
    page, uk_areas, assert_no_axe_violations
):
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    candidate = CandidacyFactory(area=blackburn, person__name="Bea Backer")
    ContactDetail.objects.create(person=candidate.person, kind="email",
                                 value="bea@example.org",
                                 visibility=Visibility.PUBLIC)  # fmt: skip
    page.goto(f"/where-they-stand/{blackburn.slug}/")
    page.get_by_role("link", name="Write to Bea Backer").click()
    page.wait_for_url(re.compile(rf"/ask/{candidate.pk}/$"))
    assert page.locator("h1").inner_text() == "Write to Bea Backer"
    assert "Bea Backer" in page.get_by_label("Your message").input_value()
    assert_no_axe_violations(page)

    page.get_by_label("Your name").fill("Ash Asker")
    page.get_by_label("Email address", exact=True).fill("ash.asker@example.org")
    page.get_by_label("Postcode").fill("bb10 1ya")  # Burnley, not Blackburn
    page.get_by_label(re.compile("Send my name, email address")).check()
    page.get_by_role("button", name="Check and send").click()
    assert "only constituents can write" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    page.get_by_label("Postcode").fill("bb1 1qr")
    page.get_by_label(re.compile("Send my name, email address")).check()
    page.get_by_role("button", name="Check and send").click()
    page.wait_for_url(re.compile(r"/ask/check-your-email/$"))
    assert not [m for m in mail.outbox if m.to == ["bea@example.org"]]

    page.goto(path_in(mail.outbox[-1].body, "ask"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send my message").click()
    assert page.locator("h1").inner_text() == "Thank you"
    assert_no_axe_violations(page)
    (sent,) = [m for m in mail.outbox if m.to == ["bea@example.org"]]
    assert sent.reply_to == ["ash.asker@example.org"]
    assert ConstituentAsk.objects.get().status == AskStatus.SENT
    page.goto(f"/where-they-stand/{blackburn.slug}/")
    assert "Asked by 1 constituent" in page.locator("main").inner_text()
    assert "Ash Asker" not in page.content()
