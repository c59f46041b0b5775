"""The site in a real browser in Urdu (right to left) and Welsh: axe-core's WCAG
checks pass, Urdu pages mirror while the map does not, and the language switcher
leads from one language to another."""

from cms.services import page_translation_publish
from tests.e2e.conftest import BROWSER_TEST
from tests.factories import build_site_pages

pytestmark = BROWSER_TEST


def translated_site():
    site = build_site_pages()
    for language, home_title, statement_title in [
        ("ur", "ہوم", "ہمارا پہلا بیان"),
        ("cy", "Hafan", "Ein datganiad cyntaf"),
    ]:
        page_translation_publish(
            page=site.home, language=language, fields={"title": home_title}
        )
        page_translation_publish(
            page=site.statement,
            language=language,
            fields={"title": statement_title},
        )
    return site


def test_urdu_pages_read_right_to_left_and_pass_axe(page, assert_no_axe_violations):
    translated_site()
    for url in ("/ur/", "/ur/statements/our-first-statement/", "/ur/updates/signup/"):
        page.goto(url)
        assert page.locator("html").get_attribute("dir") == "rtl", url
        assert page.locator("html").get_attribute("lang") == "ur", url
        assert_no_axe_violations(page)
    # The layout mirrors: a statement card's rule stands at its right edge.
    page.goto("/ur/")
    borders = page.evaluate(
        """() => {
            const style = getComputedStyle(document.querySelector(".card"));
            return [style.borderLeftWidth, style.borderRightWidth];
        }"""
    )
    assert borders == ["0px", "4px"]
    # The map keeps its own direction: it is a map.
    hexmap = page.locator("figure.hexmap")
    if hexmap.count():
        assert hexmap.get_attribute("dir") == "ltr"


def test_welsh_pages_pass_axe_and_the_switcher_leads_back_to_english(
    page, assert_no_axe_violations
):
    site = translated_site()
    page.goto("/cy/statements/our-first-statement/")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").first.inner_text() == "Ein datganiad cyntaf"
    assert_no_axe_violations(page)
    page.goto("/cy/where-they-stand/")
    assert_no_axe_violations(page)

    page.goto("/cy/statements/our-first-statement/")
    page.get_by_role("navigation", name="Iaith").get_by_role(
        "link", name="English"
    ).click()
    page.wait_for_url(f"**{site.statement.url}")
    assert page.locator("h1").first.inner_text() == "Our first statement"
    assert page.locator("html").get_attribute("lang") == "en-GB"


def test_the_urdu_sign_in_page_passes_axe_with_and_without_errors(
    page, assert_no_axe_violations
):
    """The sign-in page has one address; choosing Urdu in the switcher shows it
    in Urdu, right to left, with allauth's own words translated too."""
    translated_site()
    page.goto("/accounts/login/")
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="اردو"
    ).click()
    page.wait_for_url("**/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ur"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").first.inner_text() == "سائن ان کریں"
    assert_no_axe_violations(page)

    page.get_by_label("پاس ورڈ", exact=True).fill("not the password")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Password" not in page.locator("main").inner_text()
    assert_no_axe_violations(page)
