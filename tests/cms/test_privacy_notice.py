"""The privacy notice: every processing the site does, with its purpose, lawful
basis, article 9 condition, retention and recipients; the data controller from the
site settings; the rights and how to use them; the ICO. And every form that takes
personal data links to it."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

from cms.demo import PRIVACY_POLICY
from cms.models import SiteSettings
from tests.factories import build_site_pages

pytestmark = pytest.mark.django_db

PRIVACY_URL = "/privacy/"
PROCESSINGS = {
    "Signing up for updates",
    "Making the pledge",
    "Asking your candidates where they stand",
    "Registering for an event",
    "Members' profiles in the directory",
    "Coordination notes",
    "Sharing with partner organisations",
    "Where candidates and public figures stand",
}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the forms' rate limits count in the cache
    yield
    cache.clear()


@pytest.fixture
def notice(uk_areas):
    from cms.demo import seed_site

    seed_site()
    return Page.objects.get(slug="privacy").specific


def sections(html: str) -> dict[str, dict[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for section in soup.select("main section.processing"):
        terms = {
            dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(
                " ", strip=True
            )
            for dt in section.find_all("dt")
        }
        found[section.find("h3").get_text(strip=True)] = terms
    return found


def test_every_processing_is_set_out_in_full(client, notice):
    html = client.get(PRIVACY_URL).content.decode()
    found = sections(html)
    assert set(found) == PROCESSINGS
    for title, terms in found.items():
        for term in (
            "What we hold",
            "Why",
            "Lawful basis",
            "How long we keep it",
            "Who receives it",
        ):
            assert len(terms.get(term, "")) > 20, (title, term)
        assert "article 6" in terms["Lawful basis"], title
    # Access needs are health data: their article 9 condition is named.
    events = found["Registering for an event"]
    condition = events["Special category data (UK GDPR article 9)"]
    assert "health" in condition and "9(2)(a)" in condition
    # Political opinions everywhere else they arise.
    for title in PROCESSINGS - {"Registering for an event"}:
        assert "9(2)" in found[title]["Special category data (UK GDPR article 9)"]


def test_controller_comes_from_the_site_settings(client, notice):
    settings = SiteSettings.objects.get()
    settings.data_controller = "Ceasefire Network Ltd"
    settings.data_controller_address = "1 Example Street, Sampletown"
    settings.data_protection_email = "dpo@example.org"
    settings.ico_registration = "ZB123456"
    settings.save()
    soup = BeautifulSoup(client.get(PRIVACY_URL).content, "html.parser")
    controller = soup.select_one("main .data-controller").get_text(" ", strip=True)
    assert "Ceasefire Network Ltd" in controller
    assert "1 Example Street" in controller and "ZB123456" in controller
    assert soup.select_one('main .data-controller a[href="mailto:dpo@example.org"]')


def test_rights_how_to_use_them_and_the_ico(client, notice):
    soup = BeautifulSoup(client.get(PRIVACY_URL).content, "html.parser")
    text = soup.find("main").get_text(" ", strip=True)
    for right in ("see what we hold", "corrected", "deleted", "object", "withdraw"):
        assert right in text
    main = soup.find("main")
    # The routes to use them: the member's data download and erasure, which work.
    for route in ("/network/my-data/", "/network/delete-account/"):
        assert main.find("a", href=route)
        assert route in _routes()
    assert main.find("a", href="https://ico.org.uk/make-a-complaint/")
    assert "Information Commissioner" in text


def test_seed_is_the_demo_notice():
    kinds = [kind for kind, _ in PRIVACY_POLICY]
    assert kinds.count("processing") == len(PROCESSINGS)
    assert "data_controller" in kinds


# ------------------------------------------------------------------ every form

# Fields that take personal data: a form with any of them must link the notice.
PERSONAL = (
    "name", "email", "postcode", "organisation", "access_needs", "statement",
    "bio", "pronouns", "photo", "value", "public_profile",
)  # fmt: skip
SKIP_PREFIXES = ("/admin", "/api", "/documents", "/_util", "/media", "/accounts")


def _routes():
    """The site's own addresses that take no parameters."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route:
                if "^" not in route and "(" not in route:
                    yield "/" + route

    return set(walk(get_resolver().url_patterns))


def personal_forms(html: str) -> list:
    main = BeautifulSoup(html, "html.parser").find("main")
    forms = [] if main is None else main.find_all("form")
    found = []
    for form in forms:
        if (form.get("method") or "get").lower() != "post":
            continue
        names = [
            c.get("name") or ""
            for c in form.select("input, textarea, select")
            if (c.get("type") or "text") not in ("hidden", "submit", "password")
            and not c.find_parent(class_="hp")
        ]
        if any(any(p in name for p in PERSONAL) for name in names):
            found.append(form)
    return found


def test_every_form_taking_personal_data_links_the_notice(client, make_member):
    site = build_site_pages()
    site.home.body = '[{"type": "signup", "value": {"heading": "Hear from us"}}]'
    site.home.save_revision().publish()
    member = make_member(name="Pat Member", email="pat@example.org")
    pages = [p.url for p in Page.objects.live().specific() if p.url]
    paths = sorted(
        {p for p in _routes() if not p.startswith(SKIP_PREFIXES)} | set(pages)
    )
    member_paths = [f"/network/people/{member.person.slug}/edit/"]
    seen = []
    for who, urls in (("visitor", paths), ("member", paths + member_paths)):
        if who == "member":
            client.force_login(member)
        for path in urls:
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get(
                "Content-Type", ""
            ):
                continue
            for form in personal_forms(response.content.decode()):
                seen.append((who, path))
                assert form.find("a", href=PRIVACY_URL), (
                    f"a form on {path} ({who}) takes personal data without "
                    "linking the privacy notice"
                )
    # The walk reached the forms it must: sign-up, event registration, joining
    # and the member's profile.
    reached = {path for _, path in seen}
    for path in ("/updates/signup/", site.event.url, "/network/join/"):
        assert path in reached, path
    assert member_paths[0] in reached
