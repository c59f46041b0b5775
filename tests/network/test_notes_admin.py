"""Coordination notes in the admin (network/notes_admin.py): the listing in the
Directory menu, adding a note, the notes on a person's page, my follow-ups."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone

from network.models import CoordinationNote, NoteVisibility
from network.services import note_add
from network.visibility import MEMBER_GROUP
from tests.conftest import sign_in_with_mfa
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_notes_listing_refuses_people_without_permission(client, make_staff):
    sign_in_with_mfa(client, make_staff(username="nobody"))
    for name in ("list", "add"):
        url = reverse(f"wagtailsnippets_network_coordinationnote:{name}")
        assert client.get(url).status_code in (302, 403)


def test_my_open_follow_ups_come_overdue_first(client, superuser, django_user_model):
    other = django_user_model.objects.create_superuser(username="other", password="x")
    today = timezone.localdate()
    person = PersonFactory()
    later = note_add(author=superuser, person=person, text="Later",
                     follow_up_on=today + timedelta(days=5))  # fmt: skip
    overdue = note_add(author=superuser, person=person, text="Overdue",
                       follow_up_on=today - timedelta(days=2))  # fmt: skip
    note_add(author=superuser, person=person, text="No date")
    note_add(author=other, person=person, text="Someone else's",
             follow_up_on=today)  # fmt: skip
    done = note_add(author=superuser, person=person, text="Finished",
                    follow_up_on=today - timedelta(days=9))  # fmt: skip
    CoordinationNote.objects.filter(pk=done.pk).update(done=True)

    sign_in_with_mfa(client, superuser)
    url = reverse("wagtailsnippets_network_coordinationnote:list")
    page = client.get(url, {"follow_ups": "mine"}).content.decode()
    assert page.index("Overdue") < page.index("Later")
    for absent in ("No date", "Someone else", "Finished"):
        assert absent not in page
    assert "(overdue)" in page
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "My open follow-ups" in home
    assert home.index(overdue.excerpt) < home.index(later.excerpt)


def test_adding_a_note_sets_the_author_and_sanitises(client, superuser):
    person = PersonFactory()
    sign_in_with_mfa(client, superuser)
    add = reverse("wagtailsnippets_network_coordinationnote:add")
    assert client.get(add, {"person": person.pk}).status_code == 200
    response = client.post(add, {
        "person": person.pk, "area": "", "group": "", "visibility": "coordinators",
        "text": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Ring her",'
                ' "depth": 0, "inlineStyleRanges": [], "entityRanges": []}],'
                ' "entityMap": {}}',
        "follow_up_on": "", "done": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    note = CoordinationNote.objects.get()
    assert note.author == superuser
    assert "Ring her" in note.text
    assert note.revisions.count() == 1


def test_notes_show_on_the_persons_admin_page_for_coordinators_only(
    client, superuser, make_staff
):
    person = PersonFactory()
    note_add(author=superuser, person=person, text="<p>Prefers phone calls</p>")
    sign_in_with_mfa(client, superuser)
    edit = reverse("wagtailsnippets_network_person:edit", args=[person.pk])
    page = client.get(edit).content.decode()
    assert "Prefers phone calls" in page
    assert "Add a note" in page
    # Staff who may edit people but are not coordinators see no notes.
    editor = make_staff("change_person", "view_person", username="editor")
    editor.groups.add(AuthGroup.objects.get_or_create(name=MEMBER_GROUP)[0])
    sign_in_with_mfa(client, editor)
    assert "Prefers phone calls" not in client.get(edit).content.decode()


def test_notes_listing_is_narrowed_by_the_visibility_policy(client, make_staff):
    note_add(author=None, person=PersonFactory(), text="Coordinators' eyes only",
             visibility=NoteVisibility.COORDINATORS)  # fmt: skip
    staff = make_staff("view_coordinationnote", username="viewer")
    sign_in_with_mfa(client, staff)
    url = reverse("wagtailsnippets_network_coordinationnote:list")
    response = client.get(url)
    assert response.status_code == 200
    assert "eyes only" not in response.content.decode()
