"""The mailing edit view for editors: testing and sending in plain sight, targeting
by a search over regions, councils and constituencies, and who wrote it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from network.models import Area, AreaType, ConstituencyCouncilOverlap
from tests.conftest import sign_in_as_staff
from tests.updates.factories import MailingFactory, SubscriberFactory
from updates import selectors
from updates.models import Mailing, MailingStatus

pytestmark = pytest.mark.django_db

# The edit form's inline for translations (none here): its management fields.
NO_TRANSLATIONS = {
    "translations-TOTAL_FORMS": "0",
    "translations-INITIAL_FORMS": "0",
    "translations-MIN_NUM_FORMS": "0",
    "translations-MAX_NUM_FORMS": "1000",
}
SHOWS_NONE = re.compile(rb">\s*None\s*<")

EDITOR_PERMS = ("add_mailing", "change_mailing", "view_mailing", "view_subscriber")
BODY = (
    '{"blocks": [{"key": "a", "type": "unstyled", "text": "Hello", "depth": 0, '
    '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'
)


def test_edit_view_shows_test_and_send_buttons_to_a_sender(client, make_staff):
    mailing = MailingFactory()
    sign_in_as_staff(client, make_staff(*EDITOR_PERMS, "send_mailing"))
    page = client.get(reverse("updates_mailing:edit", args=[mailing.pk]))
    html = page.content.decode()
    test_url = reverse("updates_mailing:send_test", args=[mailing.pk])
    send_url = reverse("updates_mailing:send", args=[mailing.pk])
    assert f'href="{test_url}"' in html and "Send a test" in html
    assert f'href="{send_url}"' in html and "Send to subscribers" in html
    # Beside the title, not inside the header's "more" dropdown.
    header = html[html.index("<header") : html.index("</header>")]
    more = header.find('data-controller="w-dropdown"')
    assert 0 <= header.index("Send to subscribers") < more or more == -1


def test_writer_without_send_permission_sees_only_the_test_button(client, make_staff):
    mailing = MailingFactory()
    sign_in_as_staff(client, make_staff(*EDITOR_PERMS, username="writer"))
    html = client.get(reverse("updates_mailing:edit", args=[mailing.pk])).content
    assert b"Send a test" in html
    assert b"Send to subscribers" not in html
    refused = client.post(reverse("updates_mailing:send", args=[mailing.pk]))
    assert refused.status_code in (302, 403)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.DRAFT


def test_send_a_test_asks_first_then_sends_to_the_editor_only(client, make_staff):
    SubscriberFactory()
    editor = make_staff(*EDITOR_PERMS, username="editor")
    mailing = MailingFactory(subject="Thursday")
    sign_in_as_staff(client, editor)
    url = reverse("updates_mailing:send_test", args=[mailing.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert editor.email in confirm.content.decode()
    assert mail.outbox == []  # asking sends nothing
    response = client.post(url)
    assert response["Location"] == reverse("updates_mailing:edit", args=[mailing.pk])
    [copy] = mail.outbox
    assert copy.to == [editor.email] and copy.subject == "[Test] Thursday"


def test_target_is_a_search_not_a_list_of_every_constituency(client, make_staff):
    sign_in_as_staff(client, make_staff(*EDITOR_PERMS))
    html = client.get(reverse("updates_mailing:add")).content.decode()
    assert "data-area-search" in html
    assert html.count("<option") < 50  # not the 650 constituencies


def test_area_search_finds_regions_councils_and_constituencies(
    client, make_staff, uk_areas
):
    sign_in_as_staff(client, make_staff(*EDITOR_PERMS))
    url = reverse("updates_mailing:area_search")
    kinds = set()
    for text in ("North West", "Leeds", "Bristol Central"):
        results = client.get(url, {"q": text}).json()["results"]
        ids = [r["id"] for r in results]
        kinds |= set(
            Area.objects.filter(pk__in=ids).values_list("area_type", flat=True)
        )
        assert results and text.lower() in results[0]["label"].lower()
    assert {AreaType.REGION, AreaType.LOCAL_AUTHORITY, AreaType.CONSTITUENCY} <= kinds
    wards = Area.objects.filter(area_type=AreaType.WARD).values_list("pk", flat=True)
    assert not {r["id"] for r in client.get(url, {"q": "a"}).json()["results"]} & set(
        wards
    )


def test_area_search_is_for_mailing_editors_only(client, make_staff):
    sign_in_as_staff(client, make_staff("view_subscriber", username="reader"))
    response = client.get(reverse("updates_mailing:area_search"), {"q": "Leeds"})
    assert response.status_code in (302, 403)


def test_mailing_aimed_at_a_council_reaches_its_constituencies(
    client, make_staff, uk_areas
):
    leeds = Area.objects.get(area_type=AreaType.LOCAL_AUTHORITY, name="Leeds")
    overlap = ConstituencyCouncilOverlap.objects.filter(council=leeds).first()
    inside = SubscriberFactory(constituency=overlap.constituency)
    outside = SubscriberFactory(
        constituency=Area.objects.filter(area_type=AreaType.CONSTITUENCY)
        .exclude(council_overlaps__council=leeds)
        .first()
    )
    editor = make_staff(*EDITOR_PERMS)
    sign_in_as_staff(client, editor)
    response = client.post(
        reverse("updates_mailing:add"),
        {
            **NO_TRANSLATIONS,
            "subject": "Leeds news",
            "body": BODY,
            "target_areas": [leeds.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    mailing = Mailing.objects.get(subject="Leeds news")
    assert list(mailing.target_areas.all()) == [leeds]
    audience = set(selectors.mailing_audience(mailing=mailing))
    assert inside in audience and outside not in audience
    # The edit form shows the chosen council as a ticked box.
    html = client.get(reverse("updates_mailing:edit", args=[mailing.pk])).content
    assert f'value="{leeds.pk}" checked'.encode() in html


def test_a_ward_cannot_be_targeted(client, make_staff, uk_areas):
    ward = Area.objects.filter(area_type=AreaType.WARD).first()
    sign_in_as_staff(client, make_staff(*EDITOR_PERMS))
    response = client.post(
        reverse("updates_mailing:add"),
        {
            **NO_TRANSLATIONS,
            "subject": "Ward news",
            "body": BODY,
            "target_areas": [ward.pk],
        },
    )
    assert response.status_code == 200
    assert "target_areas" in response.context["form"].errors
    assert not Mailing.objects.filter(subject="Ward news").exists()


def test_inspect_names_the_creator(client, make_staff):
    editor = make_staff(*EDITOR_PERMS, username="writer")
    sign_in_as_staff(client, editor)
    client.post(
        reverse("updates_mailing:add"),
        {**NO_TRANSLATIONS, "subject": "Mine", "body": BODY},
    )
    mailing = Mailing.objects.get(subject="Mine")
    assert mailing.created_by == editor
    html = client.get(reverse("updates_mailing:inspect", args=[mailing.pk])).content
    assert b"writer" in html and not SHOWS_NONE.search(html)
    unknown = MailingFactory()
    html = client.get(reverse("updates_mailing:inspect", args=[unknown.pk])).content
    assert b"Not recorded" in html and not SHOWS_NONE.search(html)
