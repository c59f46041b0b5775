"""Registrations in the admin: who may see them, counts and waiting list per event,
the spreadsheet export, and marking attendance."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cms import services
from cms.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(site_pages):
    event = site_pages.event  # two places
    for name, needs in [
        ("Ada One", "Step-free access"),
        ("Ben Two", ""),
        ("Cy Three", ""),
    ]:
        services.registration_create(
            event=event,
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            access_needs=needs,
        )
    return {r.name: r for r in Registration.objects.filter(event=event)}


def test_staff_without_the_permission_see_no_registrations(
    make_staff, admin_client_for, site_pages, registrations
):
    client = admin_client_for(make_staff(username="editor"))
    event = site_pages.event
    # The admin turns a refusal into a redirect to its dashboard.
    for url in (
        reverse("registrations:index"),
        reverse("cms_attendance", args=[event.pk]),
        reverse("cms_attendance_index"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Attendance" not in home
    assert "Ada One" not in home


def test_event_page_shows_counts_waiting_list_and_access_needs(
    admin_client_for, superuser, site_pages, registrations
):
    client = admin_client_for(superuser)
    response = client.get(reverse("cms_attendance", args=[site_pages.event.pk]))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts.confirmed, counts.waiting, counts.with_access_needs) == (2, 1, 1)
    assert [r.name for r in response.context["waiting"]] == ["Cy Three"]
    html = response.content.decode()
    assert "Step-free access" in html
    overview = client.get(reverse("cms_attendance_index"))
    (event,) = overview.context["events"]
    assert (event.confirmed, event.waiting) == (2, 1)


def test_marking_attendance_on_the_day(
    admin_client_for, make_staff, site_pages, registrations
):
    staff = make_staff("view_registration", "change_registration", username="door")
    client = admin_client_for(staff)
    url = reverse("cms_attendance", args=[site_pages.event.pk])
    ada = registrations["Ada One"]
    response = client.post(url, {"attended": [str(ada.pk)]})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.attended and ada.attended_at is not None
    assert not Registration.objects.get(name="Ben Two").attended
    # Unticking takes it back.
    client.post(url, {})
    ada.refresh_from_db()
    assert not ada.attended and ada.attended_at is None


def test_view_only_staff_cannot_mark_attendance(
    admin_client_for, make_staff, site_pages, registrations
):
    client = admin_client_for(make_staff("view_registration", username="viewer"))
    url = reverse("cms_attendance", args=[site_pages.event.pk])
    assert client.get(url).status_code == 200
    ada = registrations["Ada One"]
    refused = client.post(url, {"attended": [str(ada.pk)]})
    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_home")
    ada.refresh_from_db()
    assert not ada.attended


def test_registrations_export_as_a_spreadsheet_per_event(
    admin_client_for, superuser, site_pages, registrations
):
    client = admin_client_for(superuser)
    url = reverse("registrations:index")
    xlsx = client.get(url, {"event": site_pages.event.pk, "export": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.values)
    header = rows[0]
    assert "Email" in header and "Access needs" in header and "Status" in header
    names = {row[header.index("Name")] for row in rows[1:]}
    assert names == {"Ada One", "Ben Two", "Cy Three"}
    csv_response = client.get(url, {"event": site_pages.event.pk, "export": "csv"})
    text = b"".join(csv_response.streaming_content).decode()
    statuses = [row["Status"] for row in csv.DictReader(io.StringIO(text))]
    assert sorted(statuses) == ["Place confirmed", "Place confirmed", "Waiting list"]


def test_the_listing_filters_by_status(
    admin_client_for, superuser, site_pages, registrations
):
    client = admin_client_for(superuser)
    response = client.get(
        reverse("registrations:index"), {"status": RegistrationStatus.WAITING}
    )
    html = response.content.decode()
    assert "Cy Three" in html and "Ada One" not in html


def test_event_pages_link_to_their_registrations_in_the_page_listing(
    admin_client_for, superuser, site_pages
):
    client = admin_client_for(superuser)
    response = client.get(reverse("wagtailadmin_explore", args=[site_pages.events.pk]))
    assert (
        reverse("cms_attendance", args=[site_pages.event.pk])
        in response.content.decode()
    )


def test_giving_a_place_from_the_waiting_list_emails_the_person(
    admin_client_for, make_staff, site_pages, registrations, mailoutbox
):
    from django.core import mail

    client = admin_client_for(
        make_staff("view_registration", "change_registration", username="organiser")
    )
    waiting = registrations["Cy Three"]
    assert waiting.status == RegistrationStatus.WAITING
    page = client.get(reverse("cms_attendance", args=[site_pages.event.pk]))
    promote = reverse(
        "cms_registration_promote", args=[site_pages.event.pk, waiting.pk]
    )
    assert promote in page.content.decode()
    mail.outbox.clear()
    response = client.post(promote)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    (message,) = mail.outbox
    assert message.to == ["cy@example.org"]
    assert message.subject == "A place for you at Test conference"
    assert "Your place is confirmed" in message.body
    # Only the waiting list can be promoted; a second press changes nothing.
    client.post(promote)
    assert len(mail.outbox) == 1


def test_view_only_staff_cannot_give_places(
    admin_client_for, make_staff, site_pages, registrations
):
    client = admin_client_for(make_staff("view_registration", username="looker"))
    waiting = registrations["Cy Three"]
    client.post(
        reverse("cms_registration_promote", args=[site_pages.event.pk, waiting.pk])
    )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITING
