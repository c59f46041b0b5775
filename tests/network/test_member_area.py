"""The member area: who may open what, the directory through the visibility
policy, editing one's own profile (history, stale-edit conflicts, photos)."""

import io

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from network.members import services
from network.models import (
    ChangeSource,
    ContactDetail,
    Person,
    ProfileChange,
    RoleKind,
    Visibility,
)
from network.roles import COORDINATOR_GROUP
from tests.conftest import sign_in_as_staff, sign_in_with_mfa
from tests.factories import ContactFactory, GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db


def image_upload(name="me.jpg", size=(1200, 900), fmt="JPEG", mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def edit_data(person, **overrides):
    """The edit form as a browser would post it, with the person's contacts."""
    data = {
        "version": services.person_version(person),
        "pronouns": person.pronouns,
        "bio": person.bio,
        "public_profile": "on" if person.public_profile else "",
    }
    contacts = list(person.contacts.order_by("sort_order", "pk"))
    for i, c in enumerate(contacts):
        data.update(
            {
                f"contacts-{i}-id": c.pk,
                f"contacts-{i}-kind": c.kind,
                f"contacts-{i}-value": c.value,
                f"contacts-{i}-label": c.label,
                f"contacts-{i}-visibility": c.visibility,
            }
        )
    data.update(
        {
            "contacts-TOTAL_FORMS": len(contacts),
            "contacts-INITIAL_FORMS": len(contacts),
            "contacts-MIN_NUM_FORMS": 0,
            "contacts-MAX_NUM_FORMS": 30,
        }
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


# ------------------------------------------------------------------ permission matrix


@pytest.fixture
def people(make_member, uk_areas):
    me = make_member(name="Ama Member")
    other = make_member(name="Bo Othermember")
    hidden = PersonFactory(name="Cy Private", public_profile=False)
    return me, other, hidden


VIEWS = ["dashboard", "directory", "own_person", "other_person", "own_edit",
         "other_edit", "my_data", "delete_account"]  # fmt: skip


def url_for(view, me, other):
    return {
        "dashboard": reverse("members:dashboard"),
        "directory": reverse("members:directory"),
        "own_person": reverse("members:person", args=[me.person.slug]),
        "other_person": reverse("members:person", args=[other.person.slug]),
        "own_edit": reverse("members:person_edit", args=[me.person.slug]),
        "other_edit": reverse("members:person_edit", args=[other.person.slug]),
        "my_data": reverse("members:my_data"),
        "delete_account": reverse("members:delete_account"),
    }[view]


# What each kind of visitor gets from each view.
MATRIX = {
    "anonymous": dict.fromkeys(VIEWS, 302),
    "member": {
        "dashboard": 200, "directory": 200, "own_person": 200, "other_person": 200,
        "own_edit": 200, "other_edit": 403, "my_data": 200, "delete_account": 200,
    },
    # Signed in but in no network group (e.g. an editor): their own account pages
    # only, never the directory.
    "outsider": {
        "dashboard": 200, "directory": 403, "own_person": 403, "other_person": 403,
        "own_edit": 403, "other_edit": 403, "my_data": 200, "delete_account": 200,
    },
}  # fmt: skip


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("view", VIEWS)
def test_permission_matrix(client, people, django_user_model, who, view):
    me, other, _ = people
    if who == "member":
        client.force_login(me)
    elif who == "outsider":
        client.force_login(
            django_user_model.objects.create_user(
                username="outsider", email="out@example.org", password="x"
            )
        )
    response = client.get(url_for(view, me, other))
    assert response.status_code == MATRIX[who][view]
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_login"))


def test_unknown_people_are_404_and_edits_of_others_change_nothing(client, people):
    me, other, hidden = people
    client.force_login(me)
    assert client.get(reverse("members:person", args=["nobody"])).status_code == 404
    assert (
        client.get(reverse("members:person_edit", args=["nobody"])).status_code == 404
    )
    response = client.post(
        reverse("members:person_edit", args=[other.person.slug]),
        edit_data(other.person, bio="Hijacked"),
    )
    assert response.status_code == 403
    other.person.refresh_from_db()
    assert other.person.bio == ""


# ------------------------------------------------------------------ directory


def test_directory_shows_what_the_policy_lets_a_member_see(
    client, people, django_assert_max_num_queries
):
    me, other, hidden = people
    ContactFactory(person=other.person, value="bo-public@example.org")
    ContactFactory(
        person=other.person,
        value="bo-network@example.org",
        visibility=Visibility.NETWORK,
    )
    ContactFactory(
        person=other.person,
        value="bo-coord@example.org",
        visibility=Visibility.COORDINATORS,
    )
    client.force_login(me)
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("members:directory"))
    body = response.content.decode()
    assert "Bo Othermember" in body and "Cy Private" in body
    assert "bo-public@example.org" in body and "bo-network@example.org" in body
    assert "bo-coord@example.org" not in body
    for n in range(12):
        person = PersonFactory(name=f"Extra Person{n}")
        RoleFactory(person=person)
        ContactFactory(person=person, visibility=Visibility.NETWORK)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("members:directory"))

    page = client.get(reverse("members:person", args=[other.person.slug]))
    assert b"bo-network@example.org" in page.content
    assert b"bo-coord@example.org" not in page.content

    me.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
    sign_in_as_staff(client, me)  # a fresh request recomputes the audience
    page = client.get(reverse("members:person", args=[other.person.slug]))
    assert b"bo-coord@example.org" in page.content


def test_directory_filters_by_name_area_role_and_group(client, people):
    from network.models import Area

    me, other, hidden = people
    RoleFactory(person=other.person)  # councillor for a ward in Blackburn
    group = GroupFactory(name="North West Independents")
    group.memberships.create(person=hidden)
    group.save()
    ward = other.person.roles.get().area
    client.force_login(me)

    def names(**params):
        response = client.get(reverse("members:directory"), params)
        return {p.name for p in response.context["page"]}

    assert names(q="othermember") == {"Bo Othermember"}
    assert names(area=ward.parent_id) == {"Bo Othermember"}
    assert names(area=Area.objects.get(gss_code=ward.region.gss_code).pk) == {
        "Bo Othermember"
    }
    assert names(role=RoleKind.COUNCILLOR) == {"Bo Othermember"}
    assert names(role=RoleKind.CANDIDATE) == set()
    assert names(group=group.pk) == {"Cy Private"}

    # A county takes in its districts' wards, as the API's ?area= does.
    pendle_ward = Area.objects.filter(parent__gss_code="E07000122").first()
    RoleFactory(person=hidden, area=pendle_ward)
    lancashire = Area.objects.get(gss_code="E10000017")
    assert pendle_ward.parent.parent == lancashire
    assert names(area=lancashire.pk) == {"Cy Private"}


# ------------------------------------------------------------------ editing


def test_member_edits_own_profile_and_the_change_is_recorded(client, people):
    me, _, _ = people
    client.force_login(me)
    url = reverse("members:person_edit", args=[me.person.slug])
    assert client.get(url).status_code == 200
    data = edit_data(
        me.person,
        bio="Councillor for a ward, school governor.",
        pronouns="she/her",
        **{
            "contacts-TOTAL_FORMS": 1,
            "contacts-0-kind": "phone",
            "contacts-0-value": "0161 496 0123",
            "contacts-0-visibility": Visibility.NETWORK,
        },
    )
    response = client.post(url, data, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    me.person.refresh_from_db()
    assert me.person.bio.startswith("Councillor")
    contact = me.person.contacts.get()
    assert (contact.value, contact.visibility) == ("+441614960123", "network")
    change = ProfileChange.objects.get(person=me.person)
    assert change.actor == me
    assert change.source == ChangeSource.MEMBER
    assert change.channel == "web"
    assert change.fields == ["bio", "contacts", "pronouns"]


def test_saving_nothing_new_records_nothing(client, people):
    me, _, _ = people
    client.force_login(me)
    url = reverse("members:person_edit", args=[me.person.slug])
    client.post(url, edit_data(me.person))
    assert not ProfileChange.objects.exists()


def test_bad_contact_values_are_field_errors(client, people):
    me, _, _ = people
    client.force_login(me)
    url = reverse("members:person_edit", args=[me.person.slug])
    data = edit_data(
        me.person,
        **{
            "contacts-TOTAL_FORMS": 1,
            "contacts-0-kind": "email",
            "contacts-0-value": "not an address",
            "contacts-0-visibility": "public",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["value"]
    assert not ContactDetail.objects.filter(person=me.person).exists()


def test_stale_edit_shows_a_conflict_and_keeps_the_members_text(client, people):
    me, _, _ = people
    client.force_login(me)
    url = reverse("members:person_edit", args=[me.person.slug])
    opened = edit_data(me.person)  # the form as first loaded
    # Meanwhile a coordinator saves the person in the admin.
    services.profile_update(
        person=me.person,
        data={"pronouns": "they/them"},
        actor=None,
        expected_version=None,
        source=ChangeSource.COORDINATOR,
        channel="admin",
    )
    response = client.post(url, {**opened, "bio": "My carefully written bio."})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved your profile" in body
    assert "My carefully written bio." in body  # nothing lost
    assert "they/them" in body  # the current state shown
    assert "pronouns" in response.context["conflict"].changed_fields
    me.person.refresh_from_db()
    assert me.person.bio == ""
    # Saving again from the conflict page is deliberate and goes through.
    again = dict(response.context["form"].data.items())
    response = client.post(url, again)
    assert response.status_code == 302
    me.person.refresh_from_db()
    assert me.person.bio == "My carefully written bio."


def test_roles_cannot_be_changed_by_the_member(people):
    me, _, _ = people
    with pytest.raises(Exception) as error:
        services.profile_update(
            person=me.person,
            data={"roles": []},
            actor=me,
            expected_version=services.person_version(me.person),
        )
    assert "roles" in error.value.message_dict


def test_coordinator_saves_in_the_admin_are_recorded(client, superuser, uk_areas):
    person = PersonFactory(name="Admin Edited")
    sign_in_with_mfa(client, superuser)
    url = reverse("wagtailsnippets_network_person:edit", args=[person.pk])
    response = client.get(url)
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = value
    for formset in form.formsets.values():
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    data["bio"] = "Edited by a coordinator."
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    change = ProfileChange.objects.get(person=person)
    assert change.source == ChangeSource.COORDINATOR
    assert change.channel == "admin"
    assert "bio" in change.fields
    assert change.actor == superuser
    # Coordinators see the history on the person's page.
    page = client.get(reverse("members:person", args=[person.slug]))
    assert b"A coordinator" in page.content


# ------------------------------------------------------------------ photos


def test_photo_is_checked_resized_and_stripped(client, people):
    me, _, _ = people
    client.force_login(me)
    url = reverse("members:person_edit", args=[me.person.slug])
    data = edit_data(me.person)
    data["photo"] = image_upload(size=(2400, 1800))
    assert client.post(url, data).status_code == 302
    me.person.refresh_from_db()
    assert me.person.photo is not None
    with Image.open(me.person.photo.file) as stored:
        assert max(stored.size) == 800
        assert stored.format == "JPEG"
        assert not stored.getexif()
    assert ProfileChange.objects.filter(person=me.person, fields=["photo"]).exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("me.jpg", b"this is not an image at all"),
            "not an image",
        ),
        (image_upload(name="me.gif"), "JPEG, PNG or WebP"),
        (image_upload(name="me.png", fmt="JPEG"), "is a JPEG"),
        (
            SimpleUploadedFile("me.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1)),
            "too large",
        ),
    ],
    ids=["not-an-image", "wrong-extension", "extension-mismatch", "too-large"],
)
def test_bad_photos_are_refused(client, people, upload, message):
    me, _, _ = people
    client.force_login(me)
    url = reverse("members:person_edit", args=[me.person.slug])
    data = edit_data(me.person)
    data["photo"] = upload
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["photo"])
    me.person.refresh_from_db()
    assert me.person.photo is None


def test_too_many_pixels_is_refused(settings, people):
    me, _, _ = people
    settings.PROFILE_PHOTO_MAX_PIXELS = 1000 * 1000
    with pytest.raises(Exception) as error:
        services.profile_update(
            person=me.person,
            data={"photo": image_upload(size=(1200, 1000), fmt="PNG", name="a.png")},
            actor=me,
            expected_version=None,
        )
    assert "too many pixels" in str(error.value.message_dict["photo"])


def test_the_person_edit_view_for_a_person_without_account_is_403(client, people):
    me, _, hidden = people
    client.force_login(me)
    response = client.get(reverse("members:person_edit", args=[hidden.slug]))
    assert response.status_code == 403
    assert Person.objects.filter(pk=hidden.pk, bio="").exists()


def test_imports_are_recorded_in_the_history(uk_areas):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    sample = (
        Path(__file__).parent.parent / "fixtures" / "candidates_sample_fictional.csv"
    )
    call_command("import_candidates", str(sample), stdout=StringIO())
    change = ProfileChange.objects.filter(source=ChangeSource.IMPORT).first()
    assert change is not None
    assert change.channel == "candidates"
    assert change.actor is None
    assert {"name", "roles"} <= {
        name
        for entry in ProfileChange.objects.filter(person=change.person)
        for name in entry.fields
    }


def test_profile_changes_drop_cached_public_pages(
    people, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from ops.pagecache import GENERATION_KEY

    me, _, _ = people
    cache.set(GENERATION_KEY, "before")
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_update(
            person=me.person, data={"bio": "New"}, actor=me, expected_version=None
        )
    assert cache.get(GENERATION_KEY) != "before"
