"""manage.py seed_demo: a plausible, fictional network, and safe to run twice."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
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

pytestmark = [pytest.mark.django_db, pytest.mark.long]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """What one seed leaves: the network, the campaign site and its pages, the
    updates list. The people's photos come last."""
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from campaign.models import PledgeWording, StanceEvent
    from network.models import Election
    from updates.models import ConsentEvent, Delivery, Mailing, SignupPage, Subscriber

    return (
        Person.objects.count(),
        Role.objects.count(),
        ContactDetail.objects.count(),
        Group.objects.count(),
        HomePage.objects.count(),
        Page.objects.count(),
        PledgeWording.objects.count(),
        Election.objects.count(),
        StanceEvent.objects.count(),
        get_image_model().objects.count(),
        SignupPage.objects.count(),
        Subscriber.objects.count(),
        ConsentEvent.objects.count(),
        Mailing.objects.count(),
        Delivery.objects.count(),
        sorted(
            Person.objects.filter(photo__isnull=False).values_list(
                "slug", "photo__file_hash"
            )
        ),
    )


# Seeding takes seconds, so the demo is seeded once for every promise about what
# it builds, here and in the apps' own test modules (a subtest each, so a failure
# still names what broke); then again, to show a second seed changes nothing, and
# once more after the people are gone. The privacy check comes last: it adds
# private data of its own.


def test_the_demo(uk_areas, client, superuser, subtests):
    from tests.campaign.test_where_they_stand import (
        check_public_pages_show_no_private_data,
    )
    from tests.cms.test_demo import check_the_demo_site
    from tests.updates.test_pages import check_the_demo_updates_list

    seed()
    first = snapshot()
    with subtests.test("a network across the five councils"):
        check_network_across_the_five_councils()
    with subtests.test("people are obviously fictional"):
        check_people_are_obviously_fictional()
    with subtests.test("the campaign home page is the site's root"):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        assert site.root_page.live
    with subtests.test("a living campaign"):
        check_a_living_campaign(client)
    with subtests.test("a pledge to sign and counts to show"):
        check_a_pledge_to_sign(client)
    with subtests.test("a few demo people have drawn photos, shown when public"):
        check_demo_photos(client)
    with subtests.test("the API's stored documents equal a rebuild from scratch"):
        check_documents_are_current()
    # Each group of checks as a test of its own would start: a fresh client (no
    # language chosen by an earlier page) and English.
    check_the_demo_site(fresh_client(), subtests)
    translation.activate(settings.LANGUAGE_CODE)
    with subtests.test("the updates list"):
        check_the_demo_updates_list()
    with subtests.test("seeding twice duplicates nothing and is deterministic"):
        check_seeding_again_duplicates_nothing_and_is_deterministic(first)
    translation.activate(settings.LANGUAGE_CODE)
    with subtests.test("public pages show no private data"):
        check_public_pages_show_no_private_data(fresh_client(), superuser)


def fresh_client():
    from django.test import Client

    return Client()


def check_seeding_again_duplicates_nothing_and_is_deterministic(first):
    """The seed run again on the seeded demo (whose snapshot is ``first``): the
    site's pages, pledge wordings and the updates list are in the snapshot."""
    from wagtail.images import get_image_model

    from campaign.models import Pledge

    assert snapshot() == first  # the checks before changed nothing counted
    pledges = Pledge.objects.count()
    output = seed()
    assert snapshot() == first
    assert Pledge.objects.count() == pledges  # a second run adds none
    assert "0 people created" in output
    # The same people again after they are gone.
    names = sorted(Person.objects.values_list("name", flat=True))
    photos = get_image_model().objects.count()
    Person.objects.all().delete()
    seed()
    assert sorted(Person.objects.values_list("name", flat=True)) == names
    # The same drawings again, stored once: the photos left behind are used again.
    assert get_image_model().objects.count() == photos
    assert snapshot()[-1] == first[-1]  # the same people, the same pictures


def check_network_across_the_five_councils():
    councillors = Role.objects.filter(kind=RoleKind.COUNCILLOR).select_related(
        "area__parent"
    )
    councils = {role.area.parent.gss_code for role in councillors}
    assert councils == set(DEMO_COUNCILS)
    assert all(role.party.is_independent for role in councillors)
    candidacies = Role.objects.filter(
        kind=RoleKind.CANDIDATE, election__election_id="parl.2024-07-04"
    )
    assert candidacies.values("area").distinct().count() >= 30
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


def check_people_are_obviously_fictional():
    for person in Person.objects.all():
        assert person.bio.startswith("Fictional demo profile.")
    emails = ContactDetail.objects.filter(kind="email").values_list("value", flat=True)
    assert all(e.endswith(("@example.org", "@example.net")) for e in emails)


def check_a_living_campaign(client):
    from campaign.models import StanceEvent
    from network.models import Election, NetworkStatus
    from network.postcodes import EXAMPLE_POSTCODE

    mps = Role.objects.filter(kind=RoleKind.MP, end_date__isnull=True)
    assert mps.count() >= 30
    asked_mps = StanceEvent.objects.filter(candidacy__kind=RoleKind.MP)
    assert asked_mps.exclude(position="").exists()
    # The network's own people are never tracked; the rivals always are.
    assert mps.filter(person__network_status=NetworkStatus.MEMBER).exists()
    assert not Person.objects.filter(
        bio__contains="another party", network_status=NetworkStatus.MEMBER
    ).exists()

    local = Election.objects.filter(election_id__startswith="local.").filter(
        election_id__endswith="2027-05-06"
    )
    assert {e.election_id.split(".")[1] for e in local} == {
        "blackburn-with-darwen", "burnley", "pendle",
    }  # fmt: skip
    ward_candidacies = Role.objects.filter(kind=RoleKind.CANDIDATE, election__in=local)
    assert ward_candidacies.filter(area__area_type="ward").count() >= 20
    answered = StanceEvent.objects.filter(
        candidacy__in=ward_candidacies, kind="replied"
    )
    asked = StanceEvent.objects.filter(candidacy__in=ward_candidacies, kind="asked")
    assert answered.exists() and asked.count() > answered.count()

    by_election = Election.objects.get(election_id="parl.hyndburn.2027-02-18")
    assert by_election.roles.filter(kind=RoleKind.CANDIDATE).count() == 3

    # The example postcode leads to a page with the MP and ward candidates.
    response = client.get("/where-they-stand/", {"postcode": EXAMPLE_POSTCODE})
    page = client.get(response.url).content.decode()
    assert "Your MP" in page
    assert "local election 2027" in page


def check_a_pledge_to_sign(client):
    from campaign import selectors
    from campaign.models import Pledge

    assert client.get("/pledge/").status_code == 200
    total = Pledge.objects.filter(status="confirmed").count()
    assert total > 0
    assert selectors.pledge_total() == total  # counted through the counters


def check_demo_photos(client):
    """Drawn photos (network.demo.draw_avatar), private files like any member's,
    on the constituency pages for public profiles only."""
    import re

    from network.members.photos import is_profile_photo

    with_photo = Person.objects.filter(photo__isnull=False).select_related("photo")
    assert 6 <= with_photo.count() <= 30
    assert all(is_profile_photo(person.photo) for person in with_photo)
    assert with_photo.filter(public_profile=False).exists()
    shown = with_photo.filter(public_profile=True, roles__kind=RoleKind.CANDIDATE)
    role = Role.objects.filter(person__in=shown, area__area_type="constituency").first()
    page = client.get(f"/where-they-stand/{role.area.slug}/").content.decode()
    assert re.search(r"<img[^>]*candidate__photo", page)


def check_documents_are_current():
    """The seed builds each person's documents once, at its end (ops.batching):
    they must be what a rebuild from scratch makes."""
    from api.documents import documents_rebuild_all
    from api.models import PersonDocument

    def stored():
        return {
            (row.person_id, row.audience): row.document
            for row in PersonDocument.objects.all()
        }

    seeded = stored()
    assert len({person for person, _ in seeded}) == Person.objects.count()
    PersonDocument.objects.all().delete()
    documents_rebuild_all()
    assert stored() == seeded


def test_the_seed_draws_no_photo_for_a_real_organiser(uk_areas, settings, tmp_path):
    """The demo may be seeded where real people are: only its own get drawings."""
    from network.demo import seed_photos
    from tests.factories import PersonFactory, RoleFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    real = PersonFactory(name="Rea Organiser", bio="Runs the Tuesday stall.")
    RoleFactory(person=real, kind=RoleKind.ORGANISER)
    demo = PersonFactory(name="Dee Demo", bio="Fictional demo profile. Organiser.")
    RoleFactory(person=demo, kind=RoleKind.ORGANISER)
    seed_photos()
    real.refresh_from_db()
    demo.refresh_from_db()
    assert real.photo is None
    assert demo.photo is not None
