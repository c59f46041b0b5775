"""The accessibility check the browser tests rely on reports what is wrong: a
check that found nothing on any page would pass every one of them."""

import pytest

from tests.e2e.conftest import axe_violations


@pytest.mark.e2e
def test_the_check_names_each_rule_a_page_breaks(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content(
        '<!doctype html><html lang="en"><title>Broken</title><body><main>'
        '<img src="data:,"><button></button>'
        '<p style="color:#777;background:#888">Hard to read</p></main></body></html>'
    )
    found = {
        v["id"]: v
        for v in axe_violations(
            tab, impacts=("minor", "moderate", "serious", "critical")
        )
    }
    context.close()
    assert {"image-alt", "button-name", "color-contrast"} <= set(found)
    # Each comes with the elements at fault, for the failure message.
    assert found["image-alt"]["nodes"][0]["target"] == ["img"]
