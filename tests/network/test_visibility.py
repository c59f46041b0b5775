"""The visibility policy: who sees which contacts and which people."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import Group as AuthGroup

from network.models import ContactDetail, Person, Visibility
from network.visibility import (
    COORDINATOR_GROUP,
    MEMBER_GROUP,
    Audience,
    audience_for_user,
    may_see_contact,
    visible_contacts,
    visible_people,
)
from tests.factories import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_in(django_user_model):
    def make(*group_names, **flags):
        user = django_user_model.objects.create_user(
            username=f"u{django_user_model.objects.count()}", password="pw", **flags
        )
        for name in group_names:
            user.groups.add(AuthGroup.objects.get_or_create(name=name)[0])
        return user

    return make


def test_audiences_of_users(user_in):
    assert audience_for_user(AnonymousUser()) == Audience.PUBLIC
    assert audience_for_user(user_in()) == Audience.PUBLIC
    assert audience_for_user(user_in(MEMBER_GROUP)) == Audience.NETWORK
    assert audience_for_user(user_in(COORDINATOR_GROUP)) == Audience.COORDINATORS
    assert audience_for_user(user_in(is_superuser=True)) == Audience.COORDINATORS
    assert audience_for_user(user_in(COORDINATOR_GROUP, is_active=False)) == (
        Audience.PUBLIC
    )


def test_each_audience_sees_exactly_its_contact_levels():
    person = PersonFactory()
    for level in Visibility.values:
        ContactFactory(person=person, visibility=level, value=f"{level}@example.org")
    seen = {
        audience: set(
            visible_contacts(ContactDetail.objects.all(), audience).values_list(
                "visibility", flat=True
            )
        )
        for audience in Audience
    }
    assert seen[Audience.PUBLIC] == {"public"}
    assert seen[Audience.NETWORK] == {"public", "network"}
    assert seen[Audience.COORDINATORS] == {"public", "network", "coordinators"}
    private = ContactDetail.objects.get(visibility=Visibility.COORDINATORS)
    assert not may_see_contact(private, Audience.NETWORK)
    assert may_see_contact(private, Audience.COORDINATORS)


def test_public_only_sees_people_who_agreed_to_a_public_profile():
    from django.utils import timezone

    shown = PersonFactory(public_profile=True, public_profile_agreed_at=timezone.now())
    hidden = PersonFactory(public_profile=False)
    public = set(visible_people(Person.objects.all(), Audience.PUBLIC))
    assert public == {shown}
    assert hidden in visible_people(Person.objects.all(), Audience.NETWORK)
