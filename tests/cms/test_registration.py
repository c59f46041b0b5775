"""Registering for an event: places, the waiting list, the same address twice,
closed registration, bad input, the confirmation email and its calendar file."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from cms import services
from cms.models import Registration, RegistrationState, RegistrationStatus
from network.models import Area

pytestmark = pytest.mark.django_db


def register(client, event, **fields):
    data = {
        "name": "Ada Example",
        "email": "ada@example.org",
        "organisation": "",
        "area": "",
        "access_needs": "",
        **fields,
    }
    return client.post(event.registration_url(), data)


def test_registration_takes_a_place_and_emails_a_confirmation(client, site_pages):
    event = site_pages.event
    area = Area.objects.get(gss_code="E06000008")
    response = register(
        client,
        event,
        organisation="Demotown Residents",
        area=area.pk,
        access_needs="Step-free access",
        consent_to_contact="on",
    )
    assert response.status_code == 302
    assert response["Location"] == event.url + "thank-you/"
    registration = Registration.objects.get(event=event)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.area == area
    assert registration.access_needs == "Step-free access"
    # Consent: what, when, where, which wording.
    assert registration.consent_to_contact is True
    assert registration.consent_source == services.CONSENT_SOURCE
    assert registration.consent_wording_version == services.CONSENT_WORDING_VERSION
    assert registration.consent_recorded_at is not None

    thanks = client.get(response["Location"])
    assert b"ada@example.org" in thanks.content
    assert b"places left" in thanks.content

    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your place at Test conference"
    assert "is confirmed" in message.body
    assert "Test Hall, 1 Example Street, Demotown, DT1 1AA" in message.body


def test_confirmation_ics_parses_with_the_event_in_uk_time(client, site_pages):
    event = site_pages.event
    register(client, event)
    (message,) = mail.outbox
    (name, content, mimetype) = message.attachments[0]
    assert name == "event.ics"
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Test conference"
    start = vevent.decoded("dtstart")
    assert start == event.start
    assert str(start.tzinfo) == "Europe/London"
    assert vevent.decoded("dtend") == event.end
    assert "Test Hall" in str(vevent["location"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_capacity_reached_new_registrations_join_the_waiting_list(client, site_pages):
    event = site_pages.event  # two places
    register(client, event, email="one@example.org")
    register(client, event, email="two@example.org")
    page = client.get(event.url)
    assert b"All places are taken" in page.content
    response = register(client, event, email="three@example.org", name="Third")
    assert response.status_code == 302
    third = Registration.objects.get(email="three@example.org")
    assert third.status == RegistrationStatus.WAITING
    thanks = client.get(response["Location"])
    assert b"waiting list" in thanks.content
    assert mail.outbox[-1].subject == "You are on the waiting list for Test conference"
    statuses = list(
        Registration.objects.order_by("created_at").values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "waiting"]


def test_the_same_address_twice_keeps_one_place_and_tells_only_its_owner(
    client, client_factory, site_pages
):
    event = site_pages.event
    first = register(client, event, email="Ada@Example.org")
    first_thanks = client.get(first["Location"]).content.decode()
    stranger = client_factory()
    second = register(stranger, event, email="ada@example.org", name="Someone Else")
    assert second.status_code == 302
    second_thanks = stranger.get(second["Location"]).content.decode()

    assert Registration.objects.filter(event=event).count() == 1
    kept = Registration.objects.get(event=event)
    assert kept.name == "Ada Example"
    # The stranger sees the very page a first registration sees: nothing says
    # the address was known, and nothing of the stored registration shows.
    assert second_thanks == first_thanks
    assert "Ada Example" not in second_thanks
    # The owner of the address is told, by email.
    assert [m.to for m in mail.outbox] == [["ada@example.org"], ["ada@example.org"]]
    assert mail.outbox[1].subject == "You are already registered for Test conference"
    assert "no second place was taken" in mail.outbox[1].body
    assert "your place is confirmed" in mail.outbox[1].body

    # Again and again: the owner is not told again for a while (the form takes no
    # CSRF token, so it must not become a way to flood someone's inbox).
    for _ in range(3):
        again = register(client_factory(), event, email="ada@example.org")
        assert again.status_code == 302
    assert len(mail.outbox) == 2


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


@pytest.mark.parametrize(
    ("fields", "state", "message"),
    [
        (
            {"registration_opens": timezone.now() + timedelta(days=1)},
            RegistrationState.NOT_YET_OPEN,
            b"Registration has not opened yet.",
        ),
        (
            {"registration_closes": timezone.now() - timedelta(minutes=1)},
            RegistrationState.CLOSED,
            b"Registration has closed.",
        ),
        (
            {
                "start": timezone.now() - timedelta(days=2),
                "end": timezone.now() - timedelta(days=1),
            },
            RegistrationState.PAST,
            b"This event has finished.",
        ),
        (
            {"takes_registrations": False},
            RegistrationState.NOT_TAKEN,
            b"This event does not take registrations.",
        ),
    ],
    ids=["not-yet-open", "closed", "past", "not-taken"],
)
def test_no_registration_outside_the_window(client, site_pages, fields, state, message):
    event = site_pages.event
    for name, value in fields.items():
        setattr(event, name, value)
    event.save_revision().publish()
    event.refresh_from_db()
    assert event.registration_state() == state
    page = client.get(event.url)
    assert message in page.content
    assert b'name="email"' not in page.content
    response = register(client, event)
    assert response.status_code == 200
    assert message in response.content
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_the_service_refuses_a_closed_event(site_pages):
    event = site_pages.event
    event.registration_closes = timezone.now() - timedelta(minutes=1)
    with pytest.raises(services.RegistrationClosedError) as closed:
        services.registration_create(event=event, name="A", email="a@example.org")
    assert closed.value.state == RegistrationState.CLOSED


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"name": "   "}, "name", "Enter your name"),
        ({"email": "not-an-address"}, "email", "Enter an email address like name@"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"area": "999999999"}, "area", "Select a valid choice."),
        ({"access_needs": "x" * 2001}, "access_needs", "at most 2000 characters"),
    ],
    ids=["blank-name", "bad-email", "no-email", "unknown-area", "long-access-needs"],
)
def test_invalid_input_shows_field_errors(client, site_pages, fields, field, error):
    response = register(client, site_pages.event, **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert any(error in message for message in form.errors[field])
    assert error.encode() in response.content  # shown to the person, too
    assert b'class="error-summary"' in response.content
    assert not Registration.objects.exists()


def test_too_many_registrations_from_one_client_are_refused(
    client, site_pages, settings
):
    settings.CMS_REGISTRATION_RATE = "2/hour"
    from django.core.cache import cache

    cache.clear()
    event = site_pages.event
    event.capacity = None
    event.save()
    assert register(client, event, email="a1@example.org").status_code == 302
    assert register(client, event, email="a2@example.org").status_code == 302
    refused = register(client, event, email="a3@example.org")
    assert refused.status_code == 429
    assert b"Too many registrations" in refused.content
    assert Registration.objects.count() == 2
    cache.clear()


def test_thank_you_page_without_registering_goes_back_to_the_event(client, site_pages):
    response = client.get(site_pages.event.url + "thank-you/")
    assert response.status_code == 302
    assert response["Location"] == site_pages.event.url


def test_a_failing_mail_server_keeps_the_registration(site_pages, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    result = services.registration_create(
        event=site_pages.event, name="Ada", email="ada@example.org"
    )
    assert result.outcome == services.RegistrationOutcome.CONFIRMED
    assert Registration.objects.filter(pk=result.registration.pk).exists()
    assert f"registration {result.registration.pk}" in caplog.text
    assert "ada@example.org" not in caplog.text


def test_the_form_carries_no_csrf_token_and_registers_without_one(site_pages):
    """The form is the same for every visitor, so the page can be cached; it posts
    to an address that needs no CSRF token (a stranger's browser has none)."""
    from django.test import Client

    event = site_pages.event
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(event.url)
    assert b"csrfmiddlewaretoken" not in page.content
    assert "csrftoken" not in page.cookies
    assert "Cookie" not in page.get("Vary", "")
    action = f'action="{event.registration_url()}#register"'
    assert action.encode() in page.content

    response = register(browser, event)
    assert response.status_code == 302
    assert response["Location"] == event.url + "thank-you/"
    assert Registration.objects.filter(event=event).count() == 1


def test_form_errors_point_back_to_the_event_page_address(client, site_pages):
    event = site_pages.event
    response = register(client, event, email="not-an-address")
    assert b"Enter an email address like name@example.org" in response.content
    canonical = f'<link rel="canonical" href="https://updates.example.org{event.url}">'
    assert canonical.encode() in response.content


def test_the_registration_address_takes_only_posts_for_live_public_events(
    client, site_pages
):
    event = site_pages.event
    assert client.get(event.registration_url()).status_code == 405
    from django.urls import reverse

    not_an_event = reverse("cms:event_register", args=[site_pages.statement.pk])
    assert client.post(not_an_event, {"email": "a@example.org"}).status_code == 404
    event.unpublish()
    assert register(client, event).status_code == 404
    assert not Registration.objects.exists()


def test_registration_changes_by_the_clock_bound_how_long_the_page_is_cached(
    client, site_pages, settings, django_capture_on_commit_callbacks
):
    from django.utils.cache import get_max_age

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    event = site_pages.event
    assert get_max_age(client.get(event.url)) is None  # nothing changes soon
    event.registration_closes = timezone.now() + timedelta(seconds=90)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()  # and the cached page is dropped
    max_age = get_max_age(client.get(event.url))
    assert 80 <= max_age <= 91
