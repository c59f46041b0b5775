"""A visitor finds their candidates: postcode -> constituency page, in a real
browser, with axe-core's WCAG 2.2 AA checks on both pages."""

import re
from datetime import date

import pytest

from campaign.services import stance_record
from network.models import Area, ContactDetail, Visibility
from tests.e2e.conftest import BROWSER_TEST
from tests.factories import CandidacyFactory

pytestmark = BROWSER_TEST
# Stricter than the site-wide check: these pages pass with no violation at all.
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


@pytest.mark.long
def test_from_a_postcode_to_the_candidates(page, uk_areas, assert_no_axe_violations):
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    backer = CandidacyFactory(area=blackburn, person__name="Bea Backer")
    ContactDetail.objects.create(person=backer.person, kind="email",
                                 value="bea@example.org",
                                 visibility=Visibility.PUBLIC)  # fmt: skip
    stance_record(candidacy=backer, kind="replied", occurred_on=date(2024, 6, 12),
                  position="ceasefire", quote="A ceasefire now.",
                  evidence_url="https://example.org/evidence", actor=None)  # fmt: skip
    silent = CandidacyFactory(area=blackburn, person__name="Sid Silent")
    stance_record(candidacy=silent, kind="asked", method="email",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip

    page.goto("/where-they-stand/")
    assert page.locator("h1").inner_text() == "Where they stand"
    assert page.locator("svg a[data-gss]").count() == 650
    assert_no_axe_violations(page, impacts=EVERY_IMPACT)

    page.get_by_label("Your postcode").fill("zz9 9zz")
    page.get_by_role("button", name="Find my constituency").click()
    assert "couldn't find the postcode ZZ9 9ZZ" in page.locator("main").inner_text()
    assert_no_axe_violations(page, impacts=EVERY_IMPACT)

    page.get_by_label("Your postcode").fill("bb1 2ab")
    page.get_by_role("button", name="Find my constituency").click()
    # The postcode's ward goes along, for the local elections held in it.
    page.wait_for_url(re.compile(r"/where-they-stand/blackburn/(\?ward=\w+)?$"))
    assert page.locator("h1").inner_text() == "Blackburn"
    main = page.locator("main").inner_text()
    assert "A ceasefire now." in main
    assert "Asked 1 time, last on 1 June 2024, no reply." in main
    ask = page.get_by_role("link", name="Write to Bea Backer")
    assert re.fullmatch(r"/ask/\d+/", ask.get_attribute("href"))
    assert_no_axe_violations(page, impacts=EVERY_IMPACT)

    # The map's hexagons are links a keyboard reaches, each named.
    page.goto("/where-they-stand/")
    hexagon = page.get_by_role(
        "link", name="Blackburn: A candidate calls for a ceasefire"
    )
    hexagon.click()
    page.wait_for_url(re.compile(r"/where-they-stand/blackburn/$"))
