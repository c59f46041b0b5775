"""The API's part of network/visibility.py: callers, fields and tombstones."""

import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from api.models import PersonTombstone
from network.visibility import (
    Audience,
    audience_for_request,
    audience_for_scope,
    may_see_field,
    visible_tombstones,
)

pytestmark = pytest.mark.django_db


def test_scopes_and_requests_map_to_audiences(user_in_group):
    assert audience_for_scope("public") == Audience.PUBLIC
    assert audience_for_scope("network") == Audience.NETWORK
    assert audience_for_scope("anything else") == Audience.PUBLIC
    key = SimpleNamespace(scope="network")
    assert audience_for_request(SimpleNamespace(auth=key, user=AnonymousUser())) == (
        Audience.NETWORK
    )
    coordinator = user_in_group("Coordinator", "coord")
    assert audience_for_request(SimpleNamespace(auth=None, user=coordinator)) == (
        Audience.COORDINATORS
    )
    assert audience_for_request(SimpleNamespace(auth=None, user=AnonymousUser())) == (
        Audience.PUBLIC
    )


def test_restricted_fields():
    assert not may_see_field("reason_for_leaving", Audience.PUBLIC)
    assert may_see_field("reason_for_leaving", Audience.NETWORK)
    assert not may_see_field("public_profile", Audience.NETWORK)
    assert may_see_field("public_profile", Audience.COORDINATORS)
    assert may_see_field("name", Audience.PUBLIC)


def test_tombstones_only_for_people_the_audience_could_see():
    stones = {}

    def stone(name, reason, was_public):
        stones[
            PersonTombstone.objects.create(
                public_id=uuid.uuid4(), reason=reason, was_public=was_public
            ).public_id
        ] = name

    stone("public-deleted", "deleted", True)
    stone("private-deleted", "deleted", False)
    stone("withdrawn", "withdrawn", True)

    def seen(audience):
        return {
            stones[public_id]
            for public_id in visible_tombstones(
                PersonTombstone.objects.all(), audience
            ).values_list("public_id", flat=True)
        }

    assert seen(Audience.PUBLIC) == {"public-deleted", "withdrawn"}
    assert seen(Audience.NETWORK) == {"public-deleted", "private-deleted"}
    assert seen(Audience.COORDINATORS) == {"public-deleted", "private-deleted"}
