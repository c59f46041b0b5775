"""Fixtures for the partner API: a small directory, keys of each kind, and a
client that can act as each kind of caller."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import PartnerOrganisation
from api.services import partner_key_create, partner_key_revoke
from api.throttles import forget_finished_windows
from network.models import Area, GroupMembership, Visibility
from network.visibility import COORDINATOR_GROUP, MEMBER_GROUP
from ops.batching import batch
from tests.conftest import sign_in_as_staff
from tests.factories import (
    AffiliationFactory,
    ContactFactory,
    ElectionFactory,
    GroupFactory,
    PartyFactory,
    PersonFactory,
    RoleFactory,
)

BWD = "E06000008"  # Blackburn with Darwen, a unitary council
BWD_WARD = "E05011508"
BLACKBURN = "E14001102"  # constituency overlapping Blackburn with Darwen
BURNLEY_WARD = "E05005150"
LANCASHIRE = "E10000017"  # county of Burnley's district
BETHNAL_GREEN_EAST = "E05009317"
NORTH_WEST = "E12000002"
ENGLAND = "E92000001"

CALLERS = (
    "anonymous",
    "public_key",
    "network_key",
    "revoked_key",
    "expired_key",
    "member",
    "coordinator",
)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    forget_finished_windows()
    yield
    cache.clear()
    forget_finished_windows()


def _person(name, *, public=True, **kwargs):
    return PersonFactory(
        name=name,
        public_profile=public,
        public_profile_agreed_at=timezone.now() if public else None,
        **kwargs,
    )


def _contacts(person):
    for level in Visibility.values:
        ContactFactory(
            person=person, value=f"{person.slug}.{level}@example.org", visibility=level
        )


@pytest.fixture
def directory(db):
    """Four people: three with public profiles, one without. Written as one batch,
    as an import writes them: each person's stored documents are built once, at
    the end, not again at each of their roles and contacts."""
    with batch():
        return _directory()


def _directory():
    independent = PartyFactory(name="Independent", slug="independent")
    labour = PartyFactory(name="Labour Party", slug="labour")
    election = ElectionFactory()
    group = GroupFactory(name="Blackburn Independents", slug="blackburn-independents")
    area = Area.objects.get

    amira = _person("Amira Test")
    RoleFactory(person=amira, area=area(gss_code=BWD_WARD), party=independent)
    AffiliationFactory(
        person=amira,
        party=labour,
        start_date=date(2010, 1, 1),
        end_date=date(2023, 11, 1),
        reason_for_leaving="Private reason",
        statement_url="https://example.org/statement",
    )
    GroupMembership.objects.create(group=group, person=amira, role_title="Convenor")
    _contacts(amira)

    bilal = _person("Bilal Test")
    RoleFactory(
        person=bilal,
        kind="candidate",
        area=area(gss_code=BLACKBURN),
        election=election,
        party=independent,
    )
    _contacts(bilal)

    cara = _person("Cara Private", public=False)
    RoleFactory(person=cara, area=area(gss_code=BURNLEY_WARD), party=independent)
    _contacts(cara)

    dev = _person("Dev Test")
    RoleFactory(person=dev, area=area(gss_code=BETHNAL_GREEN_EAST), party=independent)
    RoleFactory(
        person=dev,
        area=area(gss_code=BWD_WARD),
        party=independent,
        start_date=date(2018, 5, 1),
        end_date=date(2022, 5, 1),
    )
    _contacts(dev)
    return {"amira": amira, "bilal": bilal, "cara": cara, "dev": dev, "group": group}


@pytest.fixture
def make_key(db):
    def make(scope="public", *, revoked=False, expired=False, rate="1000/hour"):
        organisation, _ = PartnerOrganisation.objects.get_or_create(
            name=f"Partner {scope} {rate}",
            defaults={
                "scope": scope,
                "contact_email": "partner@example.org",
                "rate_limit": rate,
            },
        )
        expiry = timezone.now() - timedelta(days=1) if expired else None
        key, raw = partner_key_create(
            organisation=organisation, name="test key", expiry_date=expiry
        )
        if revoked:
            partner_key_revoke(key=key)
        return raw

    return make


@pytest.fixture
def user_in_group(django_user_model):
    def make(group_name, username):
        user = django_user_model.objects.create_user(username=username, password="pw")
        user.groups.add(AuthGroup.objects.get_or_create(name=group_name)[0])
        return user

    return make


@pytest.fixture
def client_as(make_key, user_in_group):
    """An API client acting as one of CALLERS."""

    def make(caller: str) -> APIClient:
        client = APIClient()
        if caller.endswith("_key"):
            kind = caller.removesuffix("_key")
            raw = make_key(
                "network" if kind == "network" else "public",
                revoked=kind == "revoked",
                expired=kind == "expired",
            )
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        elif caller == "member":
            client.force_login(user_in_group(MEMBER_GROUP, "member"))
        elif caller == "coordinator":
            # Coordinators reach the API from a session past the second factor.
            sign_in_as_staff(client, user_in_group(COORDINATOR_GROUP, "coordinator"))
        return client

    return make
