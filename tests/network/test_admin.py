"""The Directory in the Wagtail admin: who may list, edit, export; who is refused."""

import pytest
from django.urls import reverse

from network.models import Area, Person, Visibility
from tests.conftest import sign_in_with_mfa
from tests.factories import ContactFactory, ElectionFactory, GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

LISTINGS = ["person", "group", "area", "election", "party"]


def url(model, view="list", *args):
    return reverse(f"wagtailsnippets_network_{model}:{view}", args=args)


@pytest.mark.parametrize("model", LISTINGS)
def test_superuser_sees_every_directory_listing(client, superuser, uk_areas, model):
    PersonFactory(name="Listed Person")
    sign_in_with_mfa(client, superuser)
    response = client.get(url(model))
    assert response.status_code == 200


def test_directory_menu_shows_for_permitted_staff_only(client, make_staff):
    sign_in_with_mfa(client, make_staff("view_person", username="viewer"))
    assert b"Directory" in client.get(reverse("wagtailadmin_home")).content
    sign_in_with_mfa(client, make_staff(username="nobody"))
    assert b"Directory" not in client.get(reverse("wagtailadmin_home")).content


def test_people_listing_searches_and_filters(client, superuser, uk_areas):
    from tests.factories import RoleFactory

    RoleFactory(person=PersonFactory(name="Findable Councillor"))
    PersonFactory(name="Someone Else")
    sign_in_with_mfa(client, superuser)
    found = client.get(url("person"), {"q": "findable"})
    assert b"Findable Councillor" in found.content
    assert b"Someone Else" not in found.content
    by_council = client.get(
        url("person"), {"council": Area.objects.get(gss_code="E06000008").pk}
    )
    assert b"Findable Councillor" in by_council.content
    assert b"Someone Else" not in by_council.content
    # A county takes in its districts' wards, as the directory and the API do.
    pendle_ward = Area.objects.filter(parent__gss_code="E07000122").first()
    RoleFactory(person=PersonFactory(name="Pendle Councillor"), area=pendle_ward)
    lancashire = Area.objects.get(gss_code="E10000017")
    by_county = client.get(url("person"), {"council": lancashire.pk})
    assert b"Pendle Councillor" in by_county.content
    assert b"Findable Councillor" not in by_county.content


def test_areas_listing_filters_by_type_and_council(client, superuser, uk_areas):
    sign_in_with_mfa(client, superuser)
    blackburn = Area.objects.get(gss_code="E06000008")
    response = client.get(url("area"), {"area_type": "ward", "council": blackburn.pk})
    assert response.status_code == 200
    assert b"Darwen South" in response.content
    assert b"Burn Valley" not in response.content  # a Hartlepool ward


def test_people_export_as_spreadsheet(client, superuser):
    PersonFactory(name="Exported Person")
    sign_in_with_mfa(client, superuser)
    response = client.get(url("person"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "Exported Person" in body
    assert body.splitlines()[0].startswith("Name")
    xlsx = client.get(url("person"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]


def test_person_edit_view_shows_inline_contacts(client, superuser):
    contact = ContactFactory(visibility=Visibility.COORDINATORS)
    sign_in_with_mfa(client, superuser)
    response = client.get(url("person", "edit", contact.person.pk))
    assert response.status_code == 200
    assert contact.value.encode() in response.content


def test_saving_a_person_with_a_new_contact_keeps_a_revision(client, superuser):
    person = PersonFactory(name="Revised Person")
    sign_in_with_mfa(client, superuser)
    form = {
        "name": "Revised Person",
        "slug": person.slug,
        "pronouns": "they/them",
        "bio": "",
        "status": "active",
        "network_status": "member",
        "public_profile_agreed_at": "",
        "photo": "",
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000",
        "affiliations-TOTAL_FORMS": "0", "affiliations-INITIAL_FORMS": "0",
        "affiliations-MIN_NUM_FORMS": "0", "affiliations-MAX_NUM_FORMS": "1000",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-kind": "phone", "contacts-0-value": "01254 585585",
        "contacts-0-visibility": "network", "contacts-0-label": "",
        "contacts-0-ORDER": "1", "contacts-0-id": "", "contacts-0-DELETE": "",
    }  # fmt: skip
    response = client.post(url("person", "edit", person.pk), form)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.pronouns == "they/them"
    assert person.contacts.get().value == "+441254585585"
    assert person.revisions.count() == 1
    history = client.get(url("person", "history", person.pk))
    assert history.status_code == 200


def test_invalid_contact_is_shown_as_a_field_error_and_nothing_saved(client, superuser):
    person = PersonFactory(name="Careful Person")
    sign_in_with_mfa(client, superuser)
    form = {
        "name": "Careful Person", "slug": person.slug, "status": "active",
        "network_status": "member",
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
        "affiliations-TOTAL_FORMS": "0", "affiliations-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-0-kind": "email", "contacts-0-value": "not an email",
        "contacts-0-visibility": "public", "contacts-0-ORDER": "1",
    }  # fmt: skip
    response = client.post(url("person", "edit", person.pk), form)
    assert response.status_code == 200
    assert b"Enter a valid email address." in response.content
    assert not person.contacts.exists()


def test_staff_with_view_permission_can_list_but_not_edit(client, make_staff):
    person = PersonFactory()
    sign_in_with_mfa(client, make_staff("view_person"))
    assert client.get(url("person")).status_code == 200
    response = client.get(url("person", "edit", person.pk))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url != url(
        "person", "edit", person.pk
    )


def test_editors_cannot_change_areas_even_with_change_permission(
    client, make_staff, uk_areas
):
    area = Area.objects.get(gss_code="E05011515")
    user = make_staff("view_area", "change_area", "add_area", "delete_area")
    sign_in_with_mfa(client, user)
    assert client.get(url("area")).status_code == 200
    assert client.get(url("area", "inspect", area.pk)).status_code == 200
    assert client.get(url("area", "edit", area.pk)).status_code in (302, 403)
    response = client.post(url("area", "edit", area.pk), {"name": "Hijacked"})
    assert response.status_code in (302, 403)
    area.refresh_from_db()
    assert area.name == "Darwen South"
    assert client.get(url("area", "add")).status_code in (302, 403)


@pytest.mark.parametrize("model", LISTINGS)
def test_anonymous_is_sent_to_login(client, model):
    response = client.get(url(model))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url


@pytest.mark.parametrize("model", LISTINGS)
def test_staff_without_directory_permissions_is_refused(client, make_staff, model):
    sign_in_with_mfa(client, make_staff())
    response = client.get(url(model))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def test_edit_views_for_each_model(client, superuser, uk_areas):
    sign_in_with_mfa(client, superuser)
    for model, obj in [
        ("person", PersonFactory()),
        ("group", GroupFactory()),
        ("election", ElectionFactory()),
    ]:
        assert client.get(url(model, "edit", obj.pk)).status_code == 200
    assert Person.objects.exists()


def test_people_listing_queries_do_not_grow_with_rows(
    client, superuser, uk_areas, django_assert_max_num_queries
):
    from tests.factories import RoleFactory

    sign_in_with_mfa(client, superuser)
    RoleFactory()
    with django_assert_max_num_queries(40) as few:
        client.get(url("person"))
    for _ in range(15):
        RoleFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("person"))
    assert b"Councillor, Darwen South" in response.content
