"""Fraud controls and retention: rate limits per client address, blocked and
allowed domains and networks, batch invalidation, spike alerts, anonymisation
after the campaign, and "download my data" / erasure of pledges."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from campaign import selectors, services
from campaign.models import (
    Pledge,
    PledgeInvalidation,
    PledgeRule,
    PledgeStatus,
    RuleAction,
    RuleKind,
)
from network import personal_data
from network.models import Area
from network.visibility import COORDINATOR_GROUP

pytestmark = pytest.mark.django_db

PLEDGE = "/pledge/"


def seat(name="Blackburn"):
    return Area.objects.get(area_type="constituency", name=name)


def form(n, **extra):
    data = {
        "name": f"Person {n}",
        "email": f"person{n}@example.org",
        "postcode": "BB1 1QR",
        "consent": "on",
    }
    data.update(extra)
    return data


def post(client, capture, n, address="203.0.113.7", **extra):
    with capture(execute=True):
        return client.post(PLEDGE, form(n, **extra), REMOTE_ADDR=address)


def confirm_all():
    for pledge in Pledge.objects.filter(status=PledgeStatus.PENDING):
        services.pledge_confirm(pledge_id=pledge.pk)


@override_settings(PLEDGE_BURST_LIMIT=3, PLEDGE_SUSTAINED_LIMIT=5)
def test_over_the_burst_rate_pledges_are_held_with_the_same_answer(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    answers = {
        post(client, django_capture_on_commit_callbacks, n)["Location"]
        for n in range(5)
    }
    assert answers == {"/pledge/check-your-email/"}
    held = Pledge.objects.filter(held=True)
    assert held.count() == 2
    assert set(held.values_list("hold_reason", flat=True)) == {"burst rate"}
    assert len(mail.outbox) == 3  # held pledges get no email
    confirm_all()
    assert selectors.pledge_count(seat()) == 3
    # The address is kept only as a keyed hash and its /24.
    stored = Pledge.objects.values("client_hash", "client_network").first()
    assert "203.0.113.7" not in str(stored)
    assert stored["client_network"] == "203.0.113.0/24"
    # Another address is not affected.
    post(client, django_capture_on_commit_callbacks, 9, address="198.51.100.1")
    assert not Pledge.objects.get(email="person9@example.org").held


@override_settings(PLEDGE_BURST_LIMIT=100, PLEDGE_SUSTAINED_LIMIT=3)
def test_over_the_sustained_rate_pledges_are_held(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(minutes=30)
    for n in range(3):
        post(client, django_capture_on_commit_callbacks, n)
    Pledge.objects.update(created_at=long_ago)  # outside the burst window
    post(client, django_capture_on_commit_callbacks, 3)
    assert Pledge.objects.get(email="person3@example.org").hold_reason == (
        "sustained rate"
    )


@override_settings(PLEDGE_BURST_LIMIT=1)
def test_blocked_and_allowed_domains_and_networks(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    PledgeRule.objects.create(kind=RuleKind.DOMAIN, action=RuleAction.BLOCK,
                              value="throwaway.test")  # fmt: skip
    PledgeRule.objects.create(kind=RuleKind.NETWORK, action=RuleAction.BLOCK,
                              value="192.0.2.0/24")  # fmt: skip
    PledgeRule.objects.create(kind=RuleKind.NETWORK, action=RuleAction.ALLOW,
                              value="198.51.100.0/24")  # fmt: skip
    post(client, django_capture_on_commit_callbacks, 1, email="a@mail.throwaway.test",
         address="203.0.113.1")  # fmt: skip
    post(client, django_capture_on_commit_callbacks, 2, address="192.0.2.44")
    for n in range(3, 8):  # a campus network: many people, one address
        post(client, django_capture_on_commit_callbacks, n, address="198.51.100.9")
    held = dict(Pledge.objects.values_list("email", "hold_reason"))
    assert held.pop("a@mail.throwaway.test") == "blocked domain or network"
    assert held.pop("person2@example.org") == "blocked domain or network"
    assert set(held.values()) == {""}


def test_rules_are_checked_when_saved():
    from django.core.exceptions import ValidationError

    rule = PledgeRule(kind=RuleKind.NETWORK, action=RuleAction.BLOCK, value="nope")
    with pytest.raises(ValidationError):
        rule.full_clean()
    rule = PledgeRule(kind=RuleKind.NETWORK, action=RuleAction.BLOCK,
                      value="203.0.113.9/24")  # fmt: skip
    rule.full_clean()
    assert rule.value == "203.0.113.0/24"


def _make(n, *, email_domain="example.org", network="203.0.113.0/24", area=None):
    client = services.Client.from_address(network.split("/")[0].rsplit(".", 1)[0]
                                          + f".{n % 250}")  # fmt: skip
    return services.pledge_make(
        email=f"p{n}@{email_domain}", name="P", constituency=area or seat(),
        client=client,
    )  # fmt: skip


@override_settings(PLEDGE_BURST_LIMIT=1000, PLEDGE_SUSTAINED_LIMIT=1000)
def test_batch_invalidation_by_domain_network_and_window_and_counts_follow(
    wording, uk_areas, superuser
):
    blackburn, burnley = seat(), seat("Burnley")
    for n in range(4):
        _make(n, email_domain="bots.test", area=blackburn)
    for n in range(4, 7):
        _make(n, network="198.51.100.0/24", area=burnley)
    for n in range(7, 10):
        _make(n, area=burnley)
    confirm_all()
    assert selectors.pledge_count(blackburn) == 4
    assert selectors.pledge_count(burnley) == 6
    assert selectors.pledge_count(blackburn.region) == 10

    batch = services.pledges_invalidate(
        reason="Made-up addresses", actor=superuser, email_domain="bots.test"
    )
    assert (batch.pledges_invalidated, batch.counted_removed) == (4, 4)
    assert selectors.pledge_count(blackburn) == 0
    assert selectors.pledge_count(blackburn.region) == 6

    batch = services.pledges_invalidate(
        reason="One flat's router", actor=superuser, network="198.51.100.0/24"
    )
    assert batch.pledges_invalidated == 3
    assert selectors.pledge_count(burnley) == 3

    now = timezone.now()
    Pledge.objects.filter(email="p9@example.org").update(
        created_at=now - timedelta(days=2)
    )
    batch = services.pledges_invalidate(
        reason="A bot run", actor=superuser, made_from=now - timedelta(hours=1)
    )
    assert batch.pledges_invalidated == 2
    assert selectors.pledge_count(burnley) == 1
    assert selectors.pledge_total() == 1
    assert Pledge.objects.filter(invalidation__isnull=False).count() == 9
    # Counters equal a full recount.
    before = {c.pk: c.pledges for c in selectors.pledge_counts() if c.pledges}
    services.pledge_counts_recount()
    after = {c.pk: c.pledges for c in selectors.pledge_counts() if c.pledges}
    assert before == after


def test_invalidating_everything_at_once_is_refused(wording, uk_areas, superuser):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.pledges_invalidate(reason="All", actor=superuser)
    assert not PledgeInvalidation.objects.exists()


@override_settings(PLEDGE_SPIKE_THRESHOLD=3)
def test_a_spike_in_one_constituency_alerts_coordinators_once(
    wording, uk_areas, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    coordinator = django_user_model.objects.create_user(
        username="coord", email="coord@example.org"
    )
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            pledge = _make(n)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for pledge in Pledge.objects.order_by("pk"):
            services.pledge_confirm(pledge_id=pledge.pk)
    alerts = [m for m in mail.outbox if "surging" in m.subject]
    assert len(alerts) == 1
    assert alerts[0].to == ["coord@example.org"]
    assert "Blackburn" in alerts[0].subject
    assert "p1@example.org" not in alerts[0].body


def test_client_details_are_cleared_after_a_few_days(wording, uk_areas):
    pledge = _make(1)
    Pledge.objects.filter(pk=pledge.pk).update(
        created_at=timezone.now() - timedelta(days=4)
    )
    fresh = _make(2)
    call_command("pledge_retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pledge.refresh_from_db()
    fresh.refresh_from_db()
    assert pledge.client_hash == pledge.client_network == ""
    assert fresh.client_hash and fresh.client_network
    assert pledge.email  # the campaign has not ended


def test_after_the_campaign_pledges_are_anonymised_and_counts_kept(wording, uk_areas):
    for n in range(3):
        _make(n)
    for pledge in Pledge.objects.order_by("pk")[:2]:
        services.pledge_confirm(pledge_id=pledge.pk)
    today = timezone.localdate()
    with override_settings(CAMPAIGN_ENDS_ON=str(today)):
        assert "pledges_anonymised" not in services.personal_data_retention()
    with override_settings(CAMPAIGN_ENDS_ON=str(today - timedelta(days=1))):
        call_command("pledge_retention", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Pledge.objects.count() == 2  # the unconfirmed one is gone
    for values in Pledge.objects.values():
        assert values["name"] == values["email"] == values["client_hash"] == ""
        assert values["anonymised_at"]
    assert selectors.pledge_count(seat()) == 2
    services.pledge_counts_recount()
    assert selectors.pledge_count(seat()) == 2


def test_export_and_erasure_cover_pledges(wording, uk_areas, make_member):
    member = make_member(name="Pat Pledger", email="pat.pledger@example.org")
    pledge = services.pledge_make(
        email="Pat.Pledger@example.org", name="Pat Pledger", constituency=seat(),
        client=services.Client.from_address("203.0.113.5"),
    )  # fmt: skip
    services.pledge_confirm(pledge_id=pledge.pk)
    other = _make(99)
    exported = personal_data.export(user=member)
    rows = exported["pledges"]
    assert [row["id"] for row in rows] == [pledge.pk]
    assert "client_hash" not in rows[0]
    personal_data.erase(user=member)
    pledge.refresh_from_db()
    assert pledge.email == pledge.name == pledge.client_hash == ""
    assert pledge.status == PledgeStatus.CONFIRMED
    assert selectors.pledge_count(seat()) == 1  # the count stays true
    other.refresh_from_db()
    assert other.email == "p99@example.org"
