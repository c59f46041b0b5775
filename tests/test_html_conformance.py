"""The main page types as the Nu HTML Checker (vnu, the W3C's validator) reads
them: no errors. And headings that never skip a level, which vnu does not check
but screen reader users navigate by.

vnu comes from npm (`make vnu`, which `make test` and CI run when npm is present)
and needs Java. Locally the test skips, printing why, when either is missing; in
CI (CI=true) it fails instead."""

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.cms.test_site import site_settings  # noqa: F401 - a fixture
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    StanceEventFactory,
    give_photo,
)

pytestmark = pytest.mark.django_db

VNU_JAR = (
    Path(settings.BASE_DIR) / ".vnu" / "node_modules" / "vnu-jar" / "build" / "dist"
) / "vnu.jar"
JAVA = shutil.which("java") or "/usr/bin/java"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _vnu_missing() -> str:
    if not Path(JAVA).exists():
        return "Java not found (apt-get install -y default-jre-headless)"
    if not VNU_JAR.exists():
        if not shutil.which("npm"):
            return (
                "the Nu HTML Checker is not installed and npm is missing: run "
                "`apt-get install -y npm`, then `make test` installs it"
            )
        return f"the Nu HTML Checker is not at {VNU_JAR} (run `make vnu`)"
    return ""


@pytest.fixture
def pages(client, uk_areas, site_pages, site_settings):  # noqa: F811
    """The HTML of each main page type, by name."""
    # A candidate with a public profile and a photo: the card's <img> is checked.
    candidacy = CandidacyFactory(
        person__public_profile=True,
        person__public_profile_agreed_at=datetime(2024, 1, 15, tzinfo=UTC),
    )
    give_photo(candidacy.person)
    ContactFactory(person=candidacy.person)
    StanceEventFactory(candidacy=candidacy)
    CandidacyFactory(area=candidacy.area)  # a second candidate, never asked
    event = site_pages.event
    event.access_information = "<p>Step-free.</p><ul><li>A lift.</li></ul>"
    event.save_revision().publish()

    def get(url, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == 200, url
        return response.content.decode()

    def post(url, data):
        response = client.post(url, data)
        assert response.status_code in (200, 400), url
        return response.content.decode()

    constituency = get(f"/where-they-stand/{candidacy.area.slug}/")
    assert "candidate__photo" in constituency
    return {
        "home": get(site_pages.home.url),
        "statement index": get(site_pages.statements.url),
        "statement": get(site_pages.statement.url),
        "event": get(event.url),
        "standard page": get(site_pages.standard.url),
        "where they stand": get("/where-they-stand/"),
        "constituency": constituency,
        "sign-up": get("/updates/signup/"),
        "sign-up with errors": post(
            "/updates/signup/", {"email": "not an address", "name": "X"}
        ),
        "event registration with errors": post(
            event.registration_url(), {"name": "", "email": "nope"}
        ),
        "sign-in": get("/accounts/login/"),
        "search": get("/search/?q=statement"),
    }


def test_main_pages_have_no_nu_html_checker_errors(pages, tmp_path):
    reason = _vnu_missing()
    if reason:
        if IN_CI:
            pytest.fail(f"The HTML check cannot run in CI: {reason}")
        print(f"\nSkipping the HTML check: {reason}")  # noqa: T201 - the reason
        pytest.skip(reason)
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(tmp_path / name) for name in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]

    def page_of(message) -> str:
        return files.get(message.get("url", "").rsplit("/", 1)[-1], "?")

    errors = [
        f"{page_of(m)}, line {m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors)


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def test_headings_start_at_one_and_never_skip_a_level(pages):
    for name, html in pages.items():
        parser = _Headings()
        parser.feed(html)
        levels = parser.levels
        assert levels and levels[0] == 1, (name, levels)
        assert levels.count(1) == 1, (name, levels)
        skips = [
            (before, after)
            for before, after in zip(levels, levels[1:], strict=False)
            if after > before + 1
        ]
        assert not skips, (name, levels)
