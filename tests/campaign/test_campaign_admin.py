"""The Campaign menu: candidacies with their stance, recording events, notes."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone

from campaign.models import StanceEvent, StanceKind
from campaign.services import stance_record
from network.models import CoordinationNote, NoteVisibility
from network.services import note_add
from network.visibility import MEMBER_GROUP
from tests.conftest import sign_in_with_mfa
from tests.factories import CandidacyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_candidacies_listing_shows_derived_state_and_filters(
    client, superuser, uk_areas
):
    asked = CandidacyFactory(person__name="Asked Twice")
    stance_record(candidacy=asked, kind="asked", method="email",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    stance_record(candidacy=asked, kind="chased", method="phone",
                  occurred_on=date(2024, 6, 9), actor=None)  # fmt: skip
    CandidacyFactory(person__name="Never Asked")
    sign_in_with_mfa(client, superuser)
    url = reverse("candidacies:index")
    page = client.get(url).content.decode()
    assert "Asked Twice" in page and "Never Asked" in page
    assert "Asked, no reply" in page and "Not asked yet" in page
    only_asked = client.get(url, {"state": "no_reply"}).content.decode()
    assert "Asked Twice" in only_asked and "Never Asked" not in only_asked
    refused = client.get(reverse("candidacies:add"))  # edited on the person instead
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_recording_an_event_in_the_admin(client, superuser, uk_areas):
    candidacy = CandidacyFactory(person__name="Ms Reply")
    sign_in_with_mfa(client, superuser)
    add = reverse("stance_events:add")
    form = client.get(add, {"candidacy": candidacy.pk}).content.decode()
    assert "Ms Reply - Blackburn" in form
    response = client.post(add, {
        "candidacy": candidacy.pk, "kind": "replied", "occurred_on": "2024-06-02",
        "position": "ceasefire", "quote": "Yes, now.", "evidence_url": "",
        "method": "", "asked_by": "",
    })  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert "A reply needs a link to the evidence." in response.content.decode()
    assert not StanceEvent.objects.exists()
    response = client.post(add, {
        "candidacy": candidacy.pk, "kind": "replied", "occurred_on": "2024-06-02",
        "position": "ceasefire", "quote": "Yes, now.", "method": "email",
        "evidence_url": "https://example.org/reply", "asked_by": "",
    })  # fmt: skip
    assert response.status_code == 302
    event = StanceEvent.objects.get()
    assert event.recorded_by == superuser
    assert event.kind == StanceKind.REPLIED


def test_campaign_menu_refuses_people_without_permission(client, make_staff):
    sign_in_with_mfa(client, make_staff(username="nobody"))
    for name in ("candidacies:index", "stance_events:index", "stance_events:add"):
        assert client.get(reverse(name)).status_code in (302, 403)
    notes = reverse("wagtailsnippets_network_coordinationnote:list")
    assert client.get(notes).status_code in (302, 403)


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


def test_editing_or_deleting_an_event_in_the_admin_updates_the_public_page(
    client, superuser, uk_areas, settings, django_capture_on_commit_callbacks
):
    """The constituency page is cached for the public; a correction made in the
    admin shows there at once, not when the cached copy expires."""
    from django.core.cache import cache
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    candidacy = CandidacyFactory(person__name="Ms Reply")
    event = stance_record(
        candidacy=candidacy, kind="replied", occurred_on=date(2024, 6, 2),
        position="ceasefire", quote="Yes, now.", method="email",
        evidence_url="https://example.org/reply", actor=None,
    )  # fmt: skip
    public = Client()
    url = reverse("stances:constituency", args=[candidacy.area.slug])
    assert "Yes, now." in public.get(url).content.decode()
    assert public.get(url)["X-Page-Cache"] == "hit"

    sign_in_with_mfa(client, superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stance_events:edit", args=[event.pk]), {
            "candidacy": candidacy.pk, "kind": "replied", "occurred_on": "2024-06-02",
            "position": "ceasefire", "quote": "Yes, and at once.", "method": "email",
            "evidence_url": "https://example.org/reply", "asked_by": "",
        })  # fmt: skip
    assert response.status_code == 302
    page = public.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Yes, and at once." in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stance_events:delete", args=[event.pk]))
    assert response.status_code == 302
    assert not StanceEvent.objects.exists()
    assert "Yes, and at once." not in public.get(url).content.decode()
    cache.clear()
