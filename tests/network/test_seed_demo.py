"""manage.py seed_demo: a plausible, fictional network, and safe to run twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Site

from cms.models import HomePage
from network.demo import DEMO_COUNCILS
from network.models import (
    ContactDetail,
    Group,
    Person,
    Role,
    RoleKind,
    Visibility,
)

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        Person.objects.count(),
        Role.objects.count(),
        ContactDetail.objects.count(),
        Group.objects.count(),
        HomePage.objects.count(),
    )


def test_seed_builds_a_network_across_the_five_councils(uk_areas):
    seed()
    councillors = Role.objects.filter(kind=RoleKind.COUNCILLOR).select_related(
        "area__parent"
    )
    councils = {role.area.parent.gss_code for role in councillors}
    assert councils == set(DEMO_COUNCILS)
    assert all(role.party.is_independent for role in councillors)
    candidacies = Role.objects.filter(kind=RoleKind.CANDIDATE)
    assert candidacies.values("area").distinct().count() >= 30
    assert all(r.election.election_id == "parl.2024-07-04" for r in candidacies)
    # Every visibility level is represented, so visibility rules can be seen working.
    assert set(ContactDetail.objects.values_list("visibility", flat=True)) == set(
        Visibility.values
    )
    # Councillors record who left Labour, when and why.
    leaver = councillors.first().person
    spell = leaver.affiliations.get()
    assert spell.party.name == "Labour Party"
    assert spell.end_date and spell.reason_for_leaving
    assert Group.objects.filter(memberships__isnull=False).distinct().count() >= 4


def test_seed_people_are_obviously_fictional(uk_areas):
    seed()
    for person in Person.objects.all():
        assert person.bio.startswith("Fictional demo profile.")
    emails = ContactDetail.objects.filter(kind="email").values_list("value", flat=True)
    assert all(e.endswith(("@example.org", "@example.net")) for e in emails)


def test_seed_makes_the_campaign_home_page_the_site_root(uk_areas):
    seed()
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert site.root_page.live


def test_seeding_twice_duplicates_nothing(uk_areas):
    seed()
    first = snapshot()
    output = seed()
    assert snapshot() == first
    assert "0 people created" in output


def test_seed_is_deterministic(uk_areas):
    seed()
    names = sorted(Person.objects.values_list("name", flat=True))
    Person.objects.all().delete()
    seed()
    assert sorted(Person.objects.values_list("name", flat=True)) == names
