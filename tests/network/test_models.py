"""Validation rules organisers rely on when they edit the directory."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from network.models import (
    Affiliation,
    Area,
    AreaType,
    ContactDetail,
    Election,
    ElectionKind,
    Person,
    Role,
    RoleKind,
)
from tests.factories import ElectionFactory, PartyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def errors_of(instance, **kwargs) -> dict:
    with pytest.raises(ValidationError) as info:
        instance.full_clean(**kwargs)
    return info.value.message_dict


# ------------------------------------------------------------------ GSS codes


@pytest.mark.parametrize(
    "code", ["E0500001", "X05000001", "e05011515", "E05-11515", ""]
)
def test_malformed_gss_code_is_rejected(code):
    area = Area(gss_code=code, name="Somewhere", slug="somewhere", area_type="ward")
    assert "gss_code" in errors_of(area, exclude=["parent"])


def test_gss_code_must_match_the_area_type():
    # E14 is a constituency code, so it cannot be a ward's.
    area = Area(gss_code="E14001063", name="Aldershot", slug="x", area_type="ward")
    assert "gss_code" in errors_of(area)


def test_valid_ward_code_passes():
    Area(
        gss_code="E05099999", name="New Ward", slug="new-ward", area_type="ward"
    ).full_clean()


def test_only_councils_have_a_council_type():
    area = Area(
        gss_code="E05099999", name="W", slug="w", area_type="ward", council_type="UA"
    )
    assert "council_type" in errors_of(area)
    council = Area(
        gss_code="E06000099", name="C", slug="c", area_type="local_authority"
    )
    assert "council_type" in errors_of(council)


# ------------------------------------------------------------------ contacts


def contact(kind, value):
    return ContactDetail(person=PersonFactory(), kind=kind, value=value)


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("email", "Someone@Example.ORG", "Someone@example.org"),
        ("phone", "01254 585585", "+441254585585"),
        ("phone", "+33 1 42 68 53 00", "+33142685300"),
        ("website", "https://example.org/about", "https://example.org/about"),
        ("x", "@someone_1", "https://x.com/someone_1"),
        ("x", "https://twitter.com/someone", "https://twitter.com/someone"),
        (
            "bluesky",
            "someone.bsky.social",
            "https://bsky.app/profile/someone.bsky.social",
        ),
        ("mastodon", "@someone@mastodon.social", "https://mastodon.social/@someone"),
        (
            "facebook",
            "https://www.facebook.com/someone",
            "https://www.facebook.com/someone",
        ),
        (
            "address",
            "1 Example Street\n\n Demotown BB1 1AA ",
            "1 Example Street\nDemotown BB1 1AA",
        ),
    ],
)
def test_contact_values_are_normalised(kind, value, stored):
    detail = contact(kind, value)
    detail.full_clean()
    assert detail.value == stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("email", "not-an-email"),
        ("email", "someone@"),
        ("phone", "12345"),
        ("phone", "call me"),
        ("website", "example.org"),
        ("website", "javascript:alert(1)"),
        ("facebook", "https://example.org/someone"),
        ("mastodon", "https://mastodon.social/about"),
        ("address", "just one line"),
        ("email", "   "),
    ],
)
def test_invalid_contact_values_are_refused_on_the_value_field(kind, value):
    assert "value" in errors_of(contact(kind, value))


# ------------------------------------------------------------------ dates and roles


def test_role_cannot_end_before_it_starts(uk_areas):
    role = Role(
        person=PersonFactory(),
        kind=RoleKind.COUNCILLOR,
        area=Area.objects.get(gss_code="E05011515"),
        start_date=date(2024, 5, 2),
        end_date=date(2024, 5, 1),
    )
    assert "end_date" in errors_of(role)


def test_party_spell_cannot_end_before_it_starts():
    spell = Affiliation(
        person=PersonFactory(),
        party=PartyFactory(),
        start_date=date(2020, 1, 1),
        end_date=date(2019, 12, 31),
    )
    assert "end_date" in errors_of(spell)


def test_reason_for_leaving_needs_the_date_they_left():
    spell = Affiliation(
        person=PersonFactory(),
        party=PartyFactory(),
        reason_for_leaving="Ceasefire vote",
    )
    assert "end_date" in errors_of(spell)


def test_candidacy_needs_an_election_and_a_constituency(uk_areas):
    seat = Area.objects.get(gss_code="E14001111")
    assert seat.area_type == AreaType.CONSTITUENCY
    no_election = Role(person=PersonFactory(), kind=RoleKind.CANDIDATE, area=seat)
    assert "election" in errors_of(no_election)
    region = Area.objects.get(gss_code="E12000002")
    wrong_area = Role(
        person=PersonFactory(),
        kind=RoleKind.CANDIDATE,
        area=region,
        election=ElectionFactory(),
    )
    assert "area" in errors_of(wrong_area)
    Role(
        person=PersonFactory(),
        kind=RoleKind.CANDIDATE,
        area=seat,
        election=ElectionFactory(),
    ).full_clean()


def test_councillor_sits_for_a_ward_not_a_constituency(uk_areas):
    seat = Area.objects.get(gss_code="E14001111")
    role = Role(person=PersonFactory(), kind=RoleKind.COUNCILLOR, area=seat)
    assert "area" in errors_of(role)


def test_organiser_needs_an_area_or_group():
    role = Role(person=PersonFactory(), kind=RoleKind.ORGANISER)
    assert "__all__" in errors_of(role)


# ------------------------------------------------------------------ elections, people


def test_election_id_must_follow_democracy_club_style():
    election = Election(
        election_id="GE 2024", name="x", date=date(2024, 7, 4), kind="parl"
    )
    assert "election_id" in errors_of(election)


def test_election_date_and_kind_must_agree_with_the_id():
    wrong_date = Election(
        election_id="local.burnley.2026-05-07",
        name="x",
        date=date(2026, 5, 8),
        kind="local",
    )
    assert "date" in errors_of(wrong_date)
    wrong_kind = Election(
        election_id="local.burnley.2026-05-07",
        name="x",
        date=date(2026, 5, 7),
        kind=ElectionKind.PARLIAMENTARY,
    )
    assert "kind" in errors_of(wrong_kind)
    Election(
        election_id="local.blackburn-with-darwen.2026-05-07",
        name="x",
        date=date(2026, 5, 7),
        kind=ElectionKind.LOCAL,
    ).full_clean()


def test_person_gets_a_unique_slug_from_their_name():
    PersonFactory(name="Sam Sample", slug="sam-sample")
    person = Person(name="Sam Sample")
    person.full_clean()
    assert person.slug == "sam-sample-2"


def test_public_profile_needs_the_date_they_agreed():
    person = Person(name="Ann Example", public_profile=True)
    assert "public_profile_agreed_at" in errors_of(person)
