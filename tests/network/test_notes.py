"""Coordination notes: sanitised text, one subject, history, and who may read them."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import ValidationError
from django.utils import timezone

from network.models import Area, CoordinationNote, NoteVisibility
from network.services import note_add, note_update
from network.visibility import COORDINATOR_GROUP, MEMBER_GROUP, visible_notes
from tests.factories import GroupFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(username="coord", password="pw")
    user.groups.add(AuthGroup.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    return user


def member_in(django_user_model, ward, name="member"):
    """A member whose directory entry is a councillor for ``ward``."""
    user = django_user_model.objects.create_user(username=name, password="pw")
    user.groups.add(AuthGroup.objects.get_or_create(name=MEMBER_GROUP)[0])
    person = RoleFactory(area=ward).person
    if hasattr(user, "person_id"):
        user.person = person
        user.save()
    else:  # until accounts link to people, pretend they do
        user.person_id = person.pk
    return user


def test_note_text_is_sanitised(coordinator):
    note = note_add(
        author=coordinator,
        person=PersonFactory(),
        text='<p onclick="x()">Call back <script>alert(1)</script>'
        '<a href="javascript:alert(1)">here</a> <b>soon</b></p><img src=x>',
    )
    assert "script" not in note.text
    assert "onclick" not in note.text
    assert "javascript" not in note.text
    assert "<img" not in note.text
    assert "<b>soon</b>" in note.text


def test_a_note_is_about_exactly_one_subject(coordinator, uk_areas):
    with pytest.raises(ValidationError, match="exactly one"):
        note_add(author=coordinator, text="Nobody")
    with pytest.raises(ValidationError, match="exactly one"):
        note_add(author=coordinator, text="Both", person=PersonFactory(),
                 group=GroupFactory())  # fmt: skip
    with pytest.raises(ValidationError):
        note_add(author=coordinator, text="<p> </p>", group=GroupFactory())


def test_edits_keep_a_history(coordinator):
    note = note_add(author=coordinator, person=PersonFactory(), text="<p>First</p>")
    note_update(note=note, actor=coordinator, text="<p>Second</p>", done=True)
    texts = [r.content["text"] for r in note.revisions.order_by("created_at", "pk")]
    assert texts == ["<p>First</p>", "<p>Second</p>"]
    assert all(r.user == coordinator for r in note.revisions.all())


def test_overdue_follow_ups(coordinator):
    today = timezone.localdate()
    note = note_add(author=coordinator, person=PersonFactory(), text="x",
                    follow_up_on=today - timedelta(days=1))  # fmt: skip
    assert note.is_overdue
    note.done = True
    assert not note.is_overdue


def test_who_reads_which_note(coordinator, django_user_model, uk_areas):
    ward = Area.objects.get(gss_code="E05011515")
    elsewhere = Area.objects.get(gss_code="E05005151")
    member = member_in(django_user_model, ward)
    outsider = member_in(django_user_model, elsewhere, name="outsider")
    public_user = django_user_model.objects.create_user(username="anon", password="pw")

    coordinators_only = note_add(author=coordinator, area=ward, text="Private")
    about_ward = note_add(author=coordinator, area=ward, text="Ward meeting",
                          visibility=NoteVisibility.NETWORK)  # fmt: skip
    about_council = note_add(author=coordinator, area=ward.parent, text="Council",
                             visibility=NoteVisibility.NETWORK)  # fmt: skip
    about_elsewhere = note_add(author=coordinator, area=elsewhere, text="Away",
                               visibility=NoteVisibility.NETWORK)  # fmt: skip
    about_person = note_add(author=coordinator, person=PersonFactory(), text="P",
                            visibility=NoteVisibility.NETWORK)  # fmt: skip

    everything = CoordinationNote.objects.all()
    assert set(visible_notes(everything, coordinator)) == {
        coordinators_only, about_ward, about_council, about_elsewhere, about_person
    }  # fmt: skip
    assert set(visible_notes(everything, member)) == {about_ward, about_council}
    assert set(visible_notes(everything, outsider)) == {about_elsewhere}
    assert not visible_notes(everything, public_user).exists()
    assert not visible_notes(everything, None).exists()


def test_follow_up_date_is_optional(coordinator):
    note = note_add(author=coordinator, group=GroupFactory(), text="x")
    assert note.follow_up_on is None and not note.done
    note_update(note=note, actor=coordinator, follow_up_on=date(2030, 1, 1))
    assert CoordinationNote.objects.get().follow_up_on == date(2030, 1, 1)


def test_members_see_network_notes_about_their_area_in_the_member_area(
    client, make_member, coordinator, uk_areas
):
    ward = Area.objects.get(gss_code="E05011515")
    member = make_member(name="Ward Member")
    RoleFactory(person=member.person, area=ward)
    note_add(author=coordinator, area=ward, text="<p>Surgery moved to Tuesday</p>",
             visibility=NoteVisibility.NETWORK)  # fmt: skip
    note_add(author=coordinator, area=ward, text="<p>Coordinators only here</p>")
    note_add(author=coordinator, area=Area.objects.get(gss_code="E05005151"),
             text="<p>Elsewhere</p>", visibility=NoteVisibility.NETWORK)  # fmt: skip
    client.force_login(member)
    page = client.get("/network/").content.decode()
    assert "Surgery moved to Tuesday" in page
    assert "Coordinators only here" not in page
    assert "Elsewhere" not in page


def test_log_lines_never_carry_what_a_note_says_or_whom_it_is_about(
    coordinator, caplog
):
    person = PersonFactory(name="Quiet Subject")
    with caplog.at_level("INFO"):
        note = note_add(author=coordinator, person=person, text="<p>Sensitive</p>")
        note_update(note=note, actor=coordinator, text="<p>More sensitive</p>")
    logged = caplog.text
    assert "Sensitive" not in logged and "sensitive" not in logged
    assert "Quiet Subject" not in logged
