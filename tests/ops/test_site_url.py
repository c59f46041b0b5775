"""One public address: with SITE_URL set, every absolute link the site writes
outside a page (emails, the Atom feed, the sitemap, calendars) starts with it,
whatever host or port the request or the Wagtail site record says."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from icalendar import Calendar

from cms.services import registration_create, site_sync_with_public_address
from network.members import services as member_services
from tests.campaign.conftest import wording  # noqa: F401 - a fixture
from tests.campaign.test_pledge import form as pledge_form
from tests.factories import PersonFactory
from tests.updates.factories import MailingFactory, SubscriberFactory
from tests.updates.test_signup import form_data
from updates import services as update_services
from updates.models import SubscriberStatus

pytestmark = pytest.mark.django_db

SITE = "http://example.test:8765"
URL = re.compile(r"""https?://[^\s"'<>()\\]+""")
# XML namespaces and schema names are identifiers, not links.
NAMESPACES = ("http://www.w3.org/", "http://www.sitemaps.org/schemas/")


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = SITE
    return SITE


def links(text: str) -> list[str]:
    return [url for url in URL.findall(text) if not url.startswith(NAMESPACES)]


def texts_of(message) -> list[str]:
    parts = [message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    for _name, content, _type in message.attachments:
        parts.append(content.decode() if isinstance(content, bytes) else content)
    return parts


def assert_on_site(found: list[str], where: str):
    assert found, f"no links in {where}"
    stray = [url for url in found if not url.startswith(SITE + "/")]
    assert not stray, f"{where}: {stray}"


def test_every_link_in_every_email_starts_with_the_site_url(
    public_address,
    site_pages,
    superuser,
    uk_areas,
    wording,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # A request on another host and port than the public one.
    client = Client(HTTP_HOST="127.0.0.1:8000")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/updates/signup/", form_data(email="signs.up@example.org"))
    SubscriberFactory(email="reader@example.org", status=SubscriberStatus.CONFIRMED)
    mailing = MailingFactory(
        body='<p>See <a href="/where-they-stand/">where they stand</a>.</p>'
    )
    with django_capture_on_commit_callbacks(execute=True):
        update_services.mailing_queue(mailing=mailing, actor=superuser)
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_send(
            person=PersonFactory(), email="invited@example.org", actor=superuser
        )
    registration_create(
        event=site_pages.event, name="Comes Along", email="comes@example.org"
    )
    EmailAddress.objects.update_or_create(
        user=superuser,
        email=superuser.email,
        defaults={"verified": True, "primary": True},
    )
    client.post("/accounts/password/reset/", {"email": superuser.email})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pledge/", pledge_form(email="pledges@example.org"))

    kinds = {
        "confirm": "signs.up@example.org",
        "mailing": "reader@example.org",
        "invitation": "invited@example.org",
        "registration": "comes@example.org",
        "password reset": superuser.email,
        "pledge": "pledges@example.org",
    }
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(kinds.values()) <= set(by_recipient), [m.to for m in mail.outbox]
    for kind, recipient in kinds.items():
        message = by_recipient[recipient]
        found = [url for text in texts_of(message) for url in links(text)]
        for header in ("List-Unsubscribe",):
            if header in message.extra_headers:
                found += links(message.extra_headers[header])
        assert_on_site(found, kind)
        sent = message.message()
        assert sent["Message-ID"].endswith("@example.test>"), (kind, sent["Message-ID"])
    list_id = by_recipient["reader@example.org"].message()["List-Id"]
    assert list_id.endswith("<updates.example.test>")


def test_feed_sitemap_and_calendars_use_the_site_url(public_address, site_pages):
    client = Client(HTTP_HOST="127.0.0.1:8000")
    feed = client.get(site_pages.statements.url + "feed/")
    assert feed.status_code == 200
    assert_on_site(links(feed.content.decode()), "Atom feed")

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert_on_site(links(sitemap.content.decode()), "sitemap")

    for address in ("/events.ics", site_pages.event.ics_url()):
        response = client.get(address)
        assert response.status_code == 200
        body = response.content.decode()
        assert_on_site(links(body), address)
        for event in Calendar.from_ical(body).walk("VEVENT"):
            assert str(event["UID"]).endswith("@example.test")
            assert str(event["URL"]).startswith(SITE + "/")

    page = client.get(site_pages.statement.url)
    assert f'<link rel="canonical" href="{SITE}{site_pages.statement.url}">' in (
        page.content.decode()
    )
    assert (
        client.get("/robots.txt")
        .content.decode()
        .endswith(f"Sitemap: {SITE}/sitemap.xml\n")
    )


def test_the_wagtail_site_record_follows_the_site_url(public_address, site_pages):
    site = site_sync_with_public_address()
    assert (site.hostname, site.port) == ("example.test", 8765)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("example.test", 8765)
