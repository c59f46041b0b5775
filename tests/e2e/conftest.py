"""Browser tests: Playwright drives Debian's Chromium against pytest-django's
live server, and axe-core checks each page against WCAG 2.2 AA.

Fixtures for any browser test:

- ``browser``: one headless Chromium for the whole run;
- ``page``: a fresh browser tab whose relative URLs go to ``live_server``;
- ``assert_no_axe_violations(page)``: runs axe-core in the page and fails on
  serious or critical WCAG 2.2 A/AA violations, listing each with its elements.

Locally the browser tests skip, saying why, when Chromium, Playwright or axe-core
(``make axe``) is missing. In CI (``CI=true``) they fail instead.
"""

import functools
import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
)
AXE_JS = Path(settings.BASE_DIR) / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Marks for a browser test module: ``pytestmark = BROWSER_TEST``. The live server
# answers from another thread, so the test's data must be committed
# (transaction=True), and the database is emptied after each test; the ``page``
# fixture puts back Wagtail's root page and root collection first.
BROWSER_TEST = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make test installs it)"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if not AXE_JS.exists():
        if not shutil.which("npm"):
            return (
                "axe-core is not installed and npm is missing: run "
                "`apt-get install -y npm`, then `make test` installs axe-core"
            )
        return f"axe-core not found at {AXE_JS} (run `make axe`)"
    return ""


def _skip_or_fail(reason: str):
    if IN_CI:
        pytest.fail(f"Browser tests cannot run in CI: {reason}")
    print(f"\nSkipping browser tests: {reason}")  # noqa: T201 - the printed reason
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        _skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and Django refuses
    # database calls from a thread with a running loop unless told it is safe. Set
    # only while the browser runs (browser tests run last): `check --deploy`, which
    # other tests run in a subprocess, rightly rejects it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Containers and CI run as root, where Chromium's sandbox cannot start.
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def ensure_wagtail_roots():
    """Wagtail's migrations create a root page, a locale and a root collection; the
    live server's flush removes them. Put them back when they are missing."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    if Page.get_first_root_node() is None:
        locale, _ = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
                locale=locale,
            )
        )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def page(browser, live_server):
    """A browser tab whose relative URLs go to the live server."""
    ensure_wagtail_roots()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1100, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """The axe-core violations of the given impacts on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than added as a <script>:
        # the site's Content-Security-Policy (rightly) refuses inline scripts.
        page.evaluate(axe_source())
    # Only the violations come back: the passes list every element checked (650
    # links on the map alone), which took longer to carry out of the browser
    # than axe took to check them.
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']}).then(result => result.violations)",
        WCAG_22_AA,
    )
    return [v for v in violations if v["impact"] in impacts]


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text() + "\n;undefined"


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ],
        indent=2,
    )


@pytest.fixture
def assert_no_axe_violations():
    def check(page, *, impacts=("serious", "critical")):
        violations = axe_violations(page, impacts=impacts)
        assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"

    return check
