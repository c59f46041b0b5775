"""seed_demo builds the campaign site: pages, two conference sessions, settings."""

import re
from datetime import date

import pytest
from wagtail.models import Locale

from cms.demo import next_occurrence
from cms.models import EventPage, SiteSettings, StandardPage, StatementPage

pytestmark = pytest.mark.django_db


# Seeding takes seconds: these promises about the site the demo builds are checked
# on the one seed of tests/network/test_seed_demo.py (test_the_demo), a subtest
# each, so a failure still names what broke. That a second seed builds no page or
# pledge wording twice is checked there too.


def check_the_demo_site(client, subtests):
    with subtests.test("the home page carries the campaign's call"):
        response = client.get("/")
        assert response.status_code == 200
        assert b"No ceasefire, no vote" in response.content
    with subtests.test("every page of the site answers"):
        check_the_site(client)
    with subtests.test("two conference sessions, London and Blackburn"):
        check_two_conference_sessions()
    with subtests.test("the privacy notice describes what is stored"):
        check_privacy_notice()
    with subtests.test("the home page and the statement in every language"):
        check_every_language(client)
    with subtests.test("the pledge's words in every language"):
        check_the_pledge_in_every_language(client)


def check_the_pledge_in_every_language(client):
    english = client.get("/pledge/").content.decode()
    for language in ("cy", "ur", "bn", "pa"):
        html = client.get(f"/{language}/pledge/").content.decode()
        h1 = re.search(r"<h1([^>]*)>([^<]*)</h1>", html)
        assert h1.group(2) != "No ceasefire, no vote", language
        assert "lang=" not in h1.group(1), language  # its own language, not English
    assert "<h1>No ceasefire, no vote</h1>" in english


def check_the_site(client):
    urls = [
        "/",
        "/statements/",
        "/statements/why-we-are-organising/",
        "/events/",
        "/events/london-conference-session/",
        "/events/blackburn-conference-session/",
        "/privacy/",
        "/about/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    statement = StatementPage.objects.get(
        slug="why-we-are-organising", locale__language_code="en-gb"
    )
    assert statement.signatories.count() >= 3
    assert "Promoted by" in client.get("/").content.decode()
    settings = SiteSettings.objects.get()
    assert len(settings.main_menu) == 4


def check_two_conference_sessions():
    london = EventPage.objects.get(slug="london-conference-session")
    blackburn = EventPage.objects.get(slug="blackburn-conference-session")
    assert (london.start.month, london.start.day) == (3, 2)
    assert (blackburn.start.month, blackburn.start.day) == (4, 13)
    assert "London" in london.venue_address
    hosts = [host.person for host in blackburn.hosts.all()]
    councils = {
        role.area.parent.name
        for person in hosts
        for role in person.roles.all()
        if role.kind == "councillor"
    }
    assert councils == {"Blackburn with Darwen", "Burnley", "Pendle"}
    assert all(person.public_profile for person in hosts)


def check_privacy_notice():
    text = str(StandardPage.objects.get(slug="privacy").body).lower()
    for stored in ("access needs", "email address", "consent", "public profile"):
        assert stored in text


def test_demo_events_stay_upcoming():
    assert next_occurrence(3, 2, today=date(2026, 11, 24)) == date(2027, 3, 2)
    assert next_occurrence(3, 2, today=date(2027, 1, 5)) == date(2027, 3, 2)
    assert next_occurrence(3, 2, today=date(2027, 3, 2)) == date(2028, 3, 2)


def check_every_language(client):
    headlines = {
        "cy": "Dim cadoediad, dim pleidlais",
        "ur": "جنگ بندی نہیں، تو ووٹ نہیں",
        "bn": "যুদ্ধবিরতি নেই, ভোটও নেই",
        "pa": "ਜੰਗਬੰਦੀ ਨਹੀਂ, ਤਾਂ ਵੋਟ ਨਹੀਂ",
    }
    statement = StatementPage.objects.get(
        slug="why-we-are-organising", locale__language_code="en-gb"
    )
    for language, headline in headlines.items():
        home = client.get(f"/{language}/")
        assert home.status_code == 200, language
        assert headline in home.content.decode()
        translated = statement.get_translation(
            Locale.objects.get_for_language(language)
        )
        assert translated.live
        page = client.get(translated.url)
        assert page.status_code == 200
        assert translated.title in page.content.decode()
        assert translated.title != statement.title
