"""The Content-Security-Policy in a real browser: the public site and the API
documentation work under the strict policy, the Wagtail admin's editors under its
looser one, and nothing on any of them is refused (a refusal would mean a broken
feature, or a policy looser than the page needs)."""

import pytest
from django.conf import settings
from django.test import Client

from network.models import Area, AreaType, Person
from tests.conftest import sign_in_with_mfa
from tests.e2e.conftest import BROWSER_TEST
from tests.factories import build_site_pages

pytestmark = BROWSER_TEST


def watch_for_refusals(page) -> list[str]:
    """Every refusal the browser reports, with the address of the frame whose
    policy refused it (not the page's address when the message arrives, which
    may already be the next page's)."""
    refusals = []

    def note(message):
        if "Content Security Policy" in message.text:
            where = message.location.get("url") or page.url
            refusals.append(f"{where}: {message.text}")

    page.on("console", note)
    return refusals


def visit(page, path) -> str:
    response = page.goto(path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    return response.headers["content-security-policy"]


@pytest.mark.long
def test_site_api_docs_and_admin_load_fully_under_their_policies(
    page, live_server, superuser, uk_areas
):
    site = build_site_pages()
    seat = Area.objects.filter(area_type=AreaType.CONSTITUENCY).first()
    person = Person.objects.create(name="Rhiannon Example", slug="rhiannon-example")
    refusals = watch_for_refusals(page)

    # The public site and the API documentation: the strict policy.
    for path in [
        site.home.url,
        site.statement.url,
        site.event.url,
        "/where-they-stand/",
        f"/where-they-stand/{seat.slug}/",
        "/api/v1/docs/",
    ]:
        policy = visit(page, path)
        assert "'unsafe-inline'" not in policy, path
    # The API documentation really rendered (its script ran and read the schema).
    page.locator(".swagger-ui .info .title").wait_for()
    assert refusals == []

    # The admin, signed in: its own policy, still nothing from another host.
    client = Client()
    sign_in_with_mfa(client, superuser)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    for path in [
        "/admin/",
        f"/admin/snippets/network/person/edit/{person.pk}/",
        "/admin/images/",
        f"/admin/pages/{site.home.pk}/edit/",
    ]:
        policy = visit(page, path)
        assert "frame-ancestors 'self'" in policy, path
        assert "'unsafe-eval'" not in policy, path
    # The page editor's scripts ran: the preview panel opens and loads the page.
    # Wait until the preview frame has loaded and its own requests have settled (a
    # refused frame loads an error page instead), so any refusal has been
    # reported before the check, and the check is that the page itself is in the
    # frame. The frame's requests are what the check needs: waiting for the whole
    # editor to go quiet took 9 s more, until its editing-session ping (every 10
    # seconds) had come and gone.
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.locator("iframe[title='Preview'][src*='/edit/preview/']")
    preview.wait_for(state="attached")
    frame = preview.element_handle().content_frame()
    frame.wait_for_load_state("load")
    frame.wait_for_load_state("networkidle")
    assert refusals == []
    assert frame.url.startswith(f"{live_server.url}/admin/pages/{site.home.pk}/")
    assert frame.locator("h1").first.inner_text() == site.home.headline

    # A public page seen by a signed-in editor, with Wagtail's user bar.
    visit(page, site.home.url)
    assert refusals == []
