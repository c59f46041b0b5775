"""The sign-up page and the sign-up block."""

import json
import re

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from updates import consent
from updates.models import ConsentEvent, SignupBlock, SignupPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def signup_page():
    parent = Site.objects.get(is_default_site=True).root_page
    page = SignupPage(title="Stay in touch", slug="stay-in-touch", intro="<p>Hi.</p>")
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_signup_page_is_one_page_at_updates_signup(client, signup_page):
    # The sign-up page's own address leads, permanently, to the one sign-up page,
    # which shows the title and intro editors gave it.
    response = client.get(signup_page.url)
    assert response.status_code == 301
    assert response["Location"] == "/updates/signup/"
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Stay in touch</h1>" in html
    assert "<p>Hi.</p>" in html
    assert "<title>Stay in touch | No Ceasefire No Vote</title>" in html
    assert 'action="/updates/signup/"' in html
    assert consent.wording(consent.CURRENT_VERSION) in html


def test_without_a_signup_page_the_signup_page_keeps_its_own_words(client):
    html = client.get("/updates/signup/").content.decode()
    assert "<h1>Get updates</h1>" in html
    assert '<meta name="description" content="News from the network' in html
    assert 'action="/updates/signup/"' in html


def test_the_sitemap_lists_the_one_signup_page(client, signup_page):
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert [loc for loc in locations if loc.endswith("/updates/signup/")]
    assert not [loc for loc in locations if loc.endswith(signup_page.url)]


def test_the_editors_preview_shows_the_signup_page(client, admin_user, signup_page):
    from tests.conftest import enrol_mfa, sign_in_with_mfa

    enrol_mfa(admin_user)
    sign_in_with_mfa(client, admin_user)
    response = client.get(f"/admin/pages/{signup_page.pk}/view_draft/")
    assert response.status_code == 200
    assert b"<h1>Stay in touch</h1>" in response.content


def test_pages_with_the_form_stay_in_the_public_page_cache(client, settings):
    from django.core.cache import cache

    from cms.demo import seed_home

    home = seed_home()
    home.body = json.dumps(
        [{"type": "signup", "value": {"heading": "Hear from us", "text": "",
                                      "button_label": "Sign up"}}]
    )  # fmt: skip
    home.save_revision().publish()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    first = client.get(home.url)
    second = client.get(home.url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert 'action="/updates/signup/"' in second.content.decode()
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_signup_needs_no_csrf_token(signup_page, django_capture_on_commit_callbacks):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            "/updates/signup/", {"email": "cached@example.org", "consent": "on"}
        )
    assert response.status_code == 302
    assert ConsentEvent.objects.filter(subscriber__email="cached@example.org").exists()


def test_signup_from_the_page_records_it_as_the_source(
    client, signup_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/updates/signup/",
            {"email": "x@example.org", "consent": "on", "source_page": signup_page.pk},
        )
    assert ConsentEvent.objects.get().source == signup_page.url


def test_only_one_signup_page_and_it_has_no_children(signup_page):
    assert not SignupPage.can_create_at(
        Page.objects.get(pk=signup_page.get_parent().pk)
    )
    assert SignupPage.allowed_subpage_models() == []


def test_signup_block_renders_the_form_with_its_labels():
    block = SignupBlock()
    value = block.to_python(
        {"heading": "Hear from us", "text": "Monthly at most.", "button_label": "Join"}
    )
    request = RequestFactory().get("/")
    html = block.render(value, context={"request": request, "page": None})
    assert "<h2" in html and "Hear from us" in html and "Monthly at most." in html
    assert '<button type="submit" class="button">Join</button>' in html
    assert 'action="/updates/signup/"' in html
    assert 'name="email"' in html and 'name="website"' in html
    assert "{#" not in html and "views.signup" not in html  # no template comment shows


def test_deploy_checks_want_https_links_and_a_background_worker(settings):
    from django.core.checks import run_checks

    settings.SITE_URL = "http://plain.example.org"
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert {"updates.W001", "updates.W002"} <= ids
    settings.SITE_URL = "https://site.example.org"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert not {"updates.W001", "updates.W002"} & ids


def check_the_demo_updates_list():
    """What the demo seed builds of the updates list: checked on the one seed of
    tests/network/test_seed_demo.py (test_the_demo)."""
    from updates.models import Mailing, Subscriber

    assert SignupPage.objects.count() == 1
    assert Subscriber.objects.count() >= 5 and Mailing.objects.count() == 2
    # Every demo subscriber has the evidence a real one would.
    for subscriber in Subscriber.objects.all():
        assert subscriber.consent_events.filter(action="requested").exists()
    assert Subscriber.objects.exclude(constituency=None).exists()
    page = SignupPage.objects.get()
    assert page.live and page.get_parent().specific.__class__.__name__ == "HomePage"
    # A second seed adds none of these: tests/network/test_seed_demo.py seeds twice.
