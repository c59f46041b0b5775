"""The pledge in the admin: coordinators keep the blocked and allowed lists and
invalidate batches (the counts follow); pledges and asks are listed without who
made them; editors keep the wording."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from campaign import selectors, services
from campaign.models import Pledge, PledgeRule, PledgeStatus
from network.models import Area
from network.roles import sync_role_groups
from network.visibility import COORDINATOR_GROUP, EDITOR_GROUP
from tests.conftest import enrol_mfa, sign_in_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_of(django_user_model):
    def make(group_name):
        sync_role_groups()
        user = django_user_model.objects.create_user(
            username=group_name.lower(), email=f"{group_name.lower()}@example.org"
        )
        user.groups.add(Group.objects.get(name=group_name))
        enrol_mfa(user)
        return user

    return make


def seat():
    return Area.objects.get(area_type="constituency", name="Blackburn")


def test_coordinator_blocks_a_domain_and_invalidates_a_batch(
    client, member_of, wording, uk_areas
):
    for n in range(3):
        pledge = services.pledge_make(
            email=f"fake{n}@bots.test", name=f"Secret Name {n}", constituency=seat()
        )
        services.pledge_confirm(pledge_id=pledge.pk)
    assert selectors.pledge_count(seat()) == 3
    coordinator = member_of(COORDINATOR_GROUP)
    sign_in_with_mfa(client, coordinator)

    listing = client.get(reverse("pledges:index")).content.decode()
    assert "bots.test" in listing
    assert "Secret Name" not in listing and "fake0@" not in listing

    response = client.post(reverse("pledge_rules:add"), {
        "kind": "domain", "action": "block", "value": "@Bots.Test", "note": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert PledgeRule.objects.get().value == "bots.test"

    response = client.post(reverse("pledge_invalidations:add"), {
        "reason": "Made-up addresses", "email_domain": "bots.test", "network": "",
        "made_from": "", "made_until": "", "constituency": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert selectors.pledge_count(seat()) == 0
    assert set(Pledge.objects.values_list("status", flat=True)) == {
        PledgeStatus.INVALIDATED
    }
    # Nor may anyone change a pledge or an invalidation in the admin.
    pledge = Pledge.objects.first()
    assert client.get(reverse("pledges:edit", args=[pledge.pk])).status_code != 200


def test_an_invalidation_needs_a_criterion(client, member_of, wording, uk_areas):
    sign_in_with_mfa(client, member_of(COORDINATOR_GROUP))
    response = client.post(reverse("pledge_invalidations:add"), {
        "reason": "Everything", "email_domain": "", "network": "",
        "made_from": "", "made_until": "", "constituency": "",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Choose a domain, a network or a time window." in response.content.decode()


def test_editors_keep_the_wording_but_not_the_fraud_controls(
    client, member_of, uk_areas
):
    editor = member_of(EDITOR_GROUP)
    sign_in_with_mfa(client, editor)
    response = client.post(reverse("pledge_wordings:add"), {
        "version": "2027-01", "language": "en-gb",
        "title": "No ceasefire, no vote",
        "statement": "I pledge.", "consent": "I agree.",
    })  # fmt: skip
    assert response.status_code == 302
    assert services.current_wording().version == "2027-01"
    assert client.get(reverse("pledge_rules:index")).status_code != 200
    assert client.get(reverse("pledges:index")).status_code != 200
