"""Who is in the network: members, organisers and allies, apart from the
candidates and representatives of other parties the campaign only tracks."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from network.members import services
from network.models import (
    Area,
    Election,
    ElectionKind,
    JoinRequest,
    NetworkStatus,
    Person,
    Role,
    RoleKind,
)
from tests.api.conftest import client_as, make_key, user_in_group  # noqa: F401
from tests.conftest import sign_in_with_mfa
from tests.factories import ElectionFactory, PartyFactory, PersonFactory, RoleFactory

pytestmark = pytest.mark.django_db

BLACKBURN = "E14001102"


@pytest.fixture
def mixed(uk_areas):
    """An independent councillor and candidate of the network, and a Labour
    candidate the campaign presses."""
    independent = PartyFactory(name="Independent", slug="independent")
    labour = PartyFactory(name="Labour Party", slug="labour")
    upcoming = Election.objects.create(
        election_id="parl.2029-05-03",
        name="Next general election",
        date=date(2029, 5, 3),
        kind=ElectionKind.PARLIAMENTARY,
    )
    seat = Area.objects.get(gss_code=BLACKBURN)
    ours = PersonFactory(
        name="Ola Ourcandidate",
        public_profile=True,
        public_profile_agreed_at=timezone.now(),
    )
    RoleFactory(
        person=ours,
        kind=RoleKind.CANDIDATE,
        area=seat,
        election=upcoming,
        party=independent,
    )
    councillor = PersonFactory(
        name="Cal Councillor",
        public_profile=True,
        public_profile_agreed_at=timezone.now(),
    )
    RoleFactory(person=councillor, party=independent)
    pressed = PersonFactory(
        name="Lee Labourcandidate",
        network_status=NetworkStatus.TRACKED,
        public_profile=True,
        public_profile_agreed_at=timezone.now(),
    )
    RoleFactory(
        person=pressed,
        kind=RoleKind.CANDIDATE,
        area=seat,
        election=upcoming,
        party=labour,
    )
    # Someone who stood in 2024: their candidacy has ended.
    past = PersonFactory(name="Pat Paststood")
    RoleFactory(
        person=past,
        kind=RoleKind.CANDIDATE,
        area=seat,
        election=ElectionFactory(),
        party=independent,
        end_date=date(2024, 7, 4),
    )
    return {"ours": ours, "councillor": councillor, "pressed": pressed, "past": past}


def directory_names(client, **params):
    response = client.get(reverse("members:directory"), params)
    assert response.status_code == 200
    return {p.name for p in response.context["page"]}


def test_members_directory_lists_no_tracked_politician(client, make_member, mixed):
    me = make_member(name="Mo Member")
    client.force_login(me)
    shown = directory_names(client)
    assert "Lee Labourcandidate" not in shown
    assert {"Ola Ourcandidate", "Cal Councillor", "Mo Member"} <= shown
    # Asked for, tracked people are there, marked as such.
    assert directory_names(client, show="tracked") == {"Lee Labourcandidate"}
    response = client.get(reverse("members:directory"), {"show": "tracked"})
    assert b"Tracked by the campaign, not in the network" in response.content
    assert "Lee Labourcandidate" in directory_names(client, show="all")
    # A made-up choice falls back to the network.
    assert "Lee Labourcandidate" not in directory_names(client, show="nonsense")


def test_api_network_filter_separates_network_and_tracked(client_as, mixed):  # noqa: F811
    api = client_as("network_key")
    url = reverse("api:person-list")

    def slugs(**params):
        response = api.get(url, params)
        assert response.status_code == 200, response.content
        return {p["slug"] for p in response.json()["results"]}, response.json()

    network, body = slugs(network="true")
    assert mixed["pressed"].slug not in network
    assert {mixed["ours"].slug, mixed["councillor"].slug} <= network
    assert all(p["network"] for p in body["results"])
    tracked, body = slugs(network="false")
    assert tracked == {mixed["pressed"].slug}
    assert [p["network"] for p in body["results"]] == [False]

    # The network's own candidates: by role and current, without the pressed
    # Labour candidate or the candidacy that ended in 2024.
    own, _ = slugs(network="true", role="candidate", current="true")
    assert own == {mixed["ours"].slug}
    before, _ = slugs(role="candidate", current="false")
    assert before == {mixed["past"].slug}

    bad = api.get(url, {"network": "perhaps"})
    assert bad.status_code == 400
    assert "network" in bad.json()


def test_admin_people_listing_shows_the_network_by_default(client, superuser, mixed):
    sign_in_with_mfa(client, superuser)
    url = reverse("wagtailsnippets_network_person:list")
    listed = client.get(url).content.decode()
    assert "Ola Ourcandidate" in listed
    assert "Lee Labourcandidate" not in listed
    tracked = client.get(url, {"network": "tracked"}).content.decode()
    assert "Lee Labourcandidate" in tracked
    assert "Ola Ourcandidate" not in tracked
    # The dashboard counts the network apart from those it tracks.
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    network_count = Person.objects.in_network().count()
    assert f"{network_count} people in the network" in dashboard
    assert "1 tracked" in dashboard


def test_approving_a_join_request_keeps_the_role_and_area(client, make_staff, uk_areas):
    from django.contrib.auth.models import Group as AuthGroup

    from network.models import User
    from network.roles import COORDINATOR_GROUP

    upcoming = Election.objects.create(
        election_id="parl.2029-05-03",
        name="Next general election",
        date=timezone.localdate() + timedelta(days=400),
        kind=ElectionKind.PARLIAMENTARY,
    )
    upcoming.election_id = f"parl.{upcoming.date.isoformat()}"
    upcoming.save()
    seat = Area.objects.get(gss_code=BLACKBURN)
    coordinator = make_staff(username="coord")
    coordinator.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
    coordinator = User.objects.get(pk=coordinator.pk)
    join_request = JoinRequest.objects.create(
        name="Nia Newcandidate",
        email="nia@example.org",
        role=RoleKind.CANDIDATE,
        area=seat,
        statement="Standing as an independent for a ceasefire.",
    )
    services.join_request_approve(join_request=join_request, actor=coordinator)
    person = Person.objects.get(name="Nia Newcandidate")
    assert person.network_status == NetworkStatus.MEMBER
    role = person.roles.get()
    assert (role.kind, role.area, role.election) == (
        RoleKind.CANDIDATE,
        seat,
        upcoming,
    )
    member = make_staff(username="viewer")
    member.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
    sign_in_with_mfa(client, User.objects.get(pk=member.pk))
    page = client.get(reverse("members:person", args=[person.slug])).content.decode()
    assert "None recorded" not in page
    assert "Candidate, Blackburn" in page


def test_approving_a_tracked_person_brings_them_into_the_network(make_staff, uk_areas):
    pressed = PersonFactory(name="Tam Tracked", network_status=NetworkStatus.TRACKED)
    join_request = JoinRequest.objects.create(
        name="Tam Tracked",
        email="tam@example.org",
        role=RoleKind.CAMPAIGNER,
        statement="I left my party over Gaza.",
    )
    services.join_request_approve(
        join_request=join_request, actor=make_staff(username="c"), person=pressed
    )
    pressed.refresh_from_db()
    assert pressed.in_network


def test_api_gives_a_sitting_mps_stance(client_as, mixed):  # noqa: F811
    from campaign.services import stance_record

    seat = Area.objects.get(gss_code=BLACKBURN)
    role = Role.objects.create(
        person=mixed["pressed"], kind=RoleKind.MP, area=seat,
        start_date=date(2024, 7, 4),
    )  # fmt: skip
    stance_record(candidacy=role, kind="replied", occurred_on=date(2025, 3, 1),
                  position="refuses", quote="Not now.",
                  evidence_url="https://example.org/mp", actor=None)  # fmt: skip
    api = client_as("network_key")
    body = api.get(reverse("api:person-detail", args=[mixed["pressed"].slug])).json()
    mp = next(r for r in body["roles"] if r["kind"] == "mp")
    assert mp["stance"]["position"] == "refuses"
    assert body["network"] is False
