"""Webhooks: signed deliveries to a real receiver, retries, crash recovery,
the partner's scope, address checks (SSRF) and the events each change fires."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from api.models import PartnerOrganisation
from api.webhooks import delivery as webhook_delivery
from api.webhooks import services, targets
from api.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
)
from api.webhooks.tasks import webhooks_resume
from campaign.events import announce_pledge_counts
from campaign.services import stance_record
from network.models import Visibility
from tests.factories import CandidacyFactory, ContactFactory, PersonFactory

from .webhook_receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def partner(db):
    def make(scope="public", name=None):
        return PartnerOrganisation.objects.create(
            name=name or f"Partner {scope}",
            scope=scope,
            contact_name="Sam Partner",
            contact_email=f"{scope}@partner.example.org",
        )

    return make


@pytest.fixture
def endpoint(partner, receiver):
    def make(scope="public", url=None, types=None):
        found, secret = services.endpoint_create(
            organisation=partner(scope),
            url=url or receiver.url,
            event_types=types,
        )
        receiver.secrets.append(secret)
        return found

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: deliveries go out then.
    (Each test runs in one transaction that never commits, so every change whose
    events should go out runs in here.)"""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def _person(**kwargs):
    kwargs.setdefault("public_profile", True)
    kwargs.setdefault("public_profile_agreed_at", timezone.now())
    return PersonFactory(**kwargs)


# ------------------------------------------------------------------ signed


def test_a_change_reaches_the_receiver_signed_per_the_standard(
    endpoint, receiver, committed
):
    hook = endpoint(types=["person.created"])
    person = committed(lambda: _person(name="Nadia Hook"))
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["verified"], "standardwebhooks could not verify the signature"
    assert request["path"] == "/hooks/ncnv"
    body = json.loads(request["body"])
    assert body["type"] == "person.created"
    assert body["data"]["id"] == str(person.public_id)
    assert body["data"]["person"]["name"] == "Nadia Hook"
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert request["headers"]["webhook-id"] == delivery.message_id
    assert delivery.response_status == 200 and delivery.attempts == 1


def test_a_wrong_secret_does_not_verify(endpoint, receiver, committed):
    endpoint(types=["person.created"])
    receiver.secrets[:] = ["whsec_" + "A" * 44]
    committed(lambda: _person())
    assert receiver.requests and not receiver.requests[0]["verified"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.RETRY


def test_rotation_signs_with_both_secrets_for_the_grace_period(
    endpoint, receiver, committed
):
    hook = endpoint(types=["person.created"])
    old = receiver.secrets[0]
    new = services.endpoint_rotate_secret(endpoint=hook)
    assert new != old
    receiver.secrets[:] = [old]  # a receiver that has not switched yet
    committed(lambda: _person())
    receiver.secrets[:] = [new]  # and one that has
    committed(lambda: _person())
    assert [r["verified"] for r in receiver.requests] == [True, True]
    assert len(receiver.requests[0]["headers"]["webhook-signature"].split()) == 2
    hook.refresh_from_db()
    hook.previous_secret_expires_at = timezone.now() - timedelta(seconds=1)
    hook.save()
    receiver.secrets[:] = [old]
    committed(lambda: _person())
    assert not receiver.requests[-1]["verified"]
    assert len(receiver.requests[-1]["headers"]["webhook-signature"].split()) == 1


def test_secrets_are_not_stored_in_clear(endpoint, receiver):
    hook = endpoint()
    secret = receiver.secrets[0]
    assert secret.startswith("whsec_")
    assert secret not in hook.secret_encrypted
    assert secret.removeprefix("whsec_") not in hook.secret_encrypted
    assert services.signing_secrets(hook) == [secret]


# ------------------------------------------------------------------ scope


def test_a_public_partner_never_receives_a_network_contact(
    endpoint, receiver, committed
):
    public = endpoint("public", types=["person.updated"])
    network = endpoint("network", types=["person.updated"])
    person = committed(lambda: _person(name="Omar Scope"))

    def change():
        ContactFactory(person=person, value="omar@public.example.org")
        ContactFactory(
            person=person,
            value="omar@network.example.org",
            visibility=Visibility.NETWORK,
        )
        ContactFactory(
            person=person,
            value="omar@coord.example.org",
            visibility=Visibility.COORDINATORS,
        )

    committed(change)
    by_endpoint = {
        d.endpoint_id: d for d in WebhookDelivery.objects.select_related("event")
    }
    assert set(by_endpoint) == {public.pk, network.pk}
    raw = {r["headers"]["webhook-id"]: r["body"] for r in receiver.requests}
    public_body = raw[by_endpoint[public.pk].message_id].decode()
    network_body = raw[by_endpoint[network.pk].message_id].decode()
    assert "omar@public.example.org" in public_body
    assert "omar@network.example.org" not in public_body
    assert "omar@network.example.org" in network_body
    assert "omar@coord.example.org" not in public_body + network_body


def test_a_public_partner_hears_nothing_of_a_private_person(
    endpoint, receiver, committed
):
    public = endpoint("public", types=["person.created", "person.updated"])
    network = endpoint("network", types=["person.created"])
    committed(lambda: PersonFactory(name="Priya Private", public_profile=False))
    statuses = {d.endpoint_id: d.status for d in WebhookDelivery.objects.all()}
    assert statuses == {
        public.pk: DeliveryStatus.SKIPPED,
        network.pk: DeliveryStatus.DELIVERED,
    }
    assert len(receiver.requests) == 1
    assert "Priya Private" in receiver.requests[0]["body"].decode()


def test_a_withdrawn_profile_is_a_removal_for_public_partners_only(
    endpoint, receiver, committed
):
    person = committed(lambda: _person(name="Wes Withdraws"))
    public = endpoint("public", types=["person.removed"])
    network = endpoint("network", types=["person.removed"])

    def withdraw():
        person.public_profile = False
        person.save()

    committed(withdraw)
    bodies = receiver.bodies()
    assert bodies == [
        {
            "type": "person.removed",
            "timestamp": bodies[0]["timestamp"],
            "data": {"id": str(person.public_id), "reason": "withdrawn"},
        }
    ]
    assert WebhookDelivery.objects.get(endpoint=public).status == "delivered"
    assert WebhookDelivery.objects.get(endpoint=network).status == "skipped"
    committed(person.delete)
    assert receiver.bodies()[-1]["data"]["reason"] == "deleted"
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


# ------------------------------------------------------------------ events


def test_one_event_per_person_per_transaction(endpoint, receiver, committed):
    endpoint(types=["person.updated"])
    person = committed(_person)

    def edit_with_contacts():
        with transaction.atomic():
            person.bio = "Changed"
            person.save()
            ContactFactory(person=person)
            ContactFactory(person=person)

    committed(edit_with_contacts)
    assert WebhookEvent.objects.filter(type="person.updated").count() == 1
    assert len(receiver.requests) == 1
    assert receiver.bodies()[0]["data"]["person"]["bio"] == "Changed"
    assert len(receiver.bodies()[0]["data"]["person"]["contacts"]) == 2


def test_a_rolled_back_change_sends_nothing(endpoint, receiver, committed):
    endpoint()

    def fail():
        with transaction.atomic():
            _person()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        committed(fail)
    assert not WebhookEvent.objects.exists() and not receiver.requests


def test_one_delivery_row_per_endpoint_and_event(endpoint):
    hook = endpoint()
    event = WebhookEvent.objects.create(type="person.updated")
    WebhookDelivery.objects.create(endpoint=hook, event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(endpoint=hook, event=event)


def test_stances_and_pledge_counts_fire_their_events(endpoint, receiver, committed):
    endpoint("public", types=["stance.recorded", "pledge.counts_changed"])
    candidacy = committed(
        lambda: CandidacyFactory(
            person__public_profile=True,
            person__public_profile_agreed_at=timezone.now(),
        )
    )
    committed(
        lambda: stance_record(
            candidacy=candidacy,
            kind="replied",
            occurred_on=date(2024, 6, 5),
            position="ceasefire",
            quote="Ceasefire now.",
            evidence_url="https://example.org/evidence",
            asked_by="A local group",
            actor=None,
        )
    )
    committed(lambda: announce_pledge_counts(counts={"total": 12}))
    stance, pledge = receiver.bodies()
    assert stance["type"] == "stance.recorded"
    assert stance["data"]["stance_event"]["position"] == "ceasefire"
    assert "asked_by" not in stance["data"]["stance_event"]  # network only
    assert stance["data"]["person"]["id"] == str(candidacy.person.public_id)
    assert pledge == {
        "type": "pledge.counts_changed",
        "timestamp": pledge["timestamp"],
        "data": {"total": 12},
    }


def test_a_members_own_edit_through_the_api_fires_an_update(
    endpoint, receiver, make_member, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    endpoint("network", types=["person.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        member = make_member(name="Mia Member")
    client = APIClient()
    client.force_login(member)
    version = client.get("/api/v1/me/").json()["version"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            "/api/v1/me/", {"version": version, "bio": "Hello partners"}, format="json"
        )
    assert response.status_code == 200
    assert receiver.bodies()[-1]["data"]["person"]["bio"] == "Hello partners"


def test_nobody_listening_records_nothing(db):
    _person()
    assert not WebhookEvent.objects.exists()


# ------------------------------------------------------------------ retries


def test_failures_back_off_exponentially_and_keep_the_id(endpoint, receiver, committed):
    hook = endpoint(types=["person.created"])
    receiver.statuses = [500, 503]
    committed(lambda: _person())
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.status == DeliveryStatus.RETRY and delivery.attempts == 1
    wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert wait == timedelta(seconds=30)
    assert webhook_delivery.deliver(delivery.pk) is None  # not due yet
    for expected_wait in (60, None):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=timezone.now()
        )
        webhook_delivery.deliver(delivery.pk)
        delivery.refresh_from_db()
        if expected_wait:
            assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(
                seconds=expected_wait
            )
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert ids == {delivery.message_id} and len(receiver.requests) == 3
    hook.refresh_from_db()
    assert hook.failing_since is None


@override_settings(WEBHOOKS_RETRY_BASE_SECONDS=30, WEBHOOKS_RETRY_MAX_SECONDS=300)
def test_backoff_is_capped():
    assert [webhook_delivery.backoff(n).seconds for n in (1, 2, 3, 4, 5, 9)] == [
        30,
        60,
        120,
        240,
        300,
        300,
    ]


@override_settings(WEBHOOKS_MAX_ATTEMPTS=2)
def test_after_the_last_attempt_it_gives_up(endpoint, receiver, committed):
    endpoint(types=["person.created"])
    receiver.statuses = [500, 500]
    committed(lambda: _person())
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    webhook_delivery.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "The receiver answered 500."


def test_days_of_failure_disable_the_endpoint_and_tell_the_partner(
    endpoint, receiver, committed
):
    hook = endpoint(types=["person.created", "person.updated"])
    hook.failing_since = timezone.now() - timedelta(days=6)
    hook.save()
    receiver.statuses = [500]
    mail.outbox.clear()
    committed(lambda: _person())
    hook.refresh_from_db()
    assert not hook.enabled and hook.disabled_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["public@partner.example.org"]
    assert hook.url in mail.outbox[0].body
    # Later events wait, and go out when the partner enables it again.
    committed(lambda: _person(name="While Disabled"))
    assert len(receiver.requests) == 1
    waiting = WebhookDelivery.objects.filter(status="pending")
    assert waiting.count() == 1
    committed(lambda: services.endpoint_update(endpoint=hook, data={"enabled": True}))
    assert "While Disabled" in receiver.requests[-1]["body"].decode()
    hook.refresh_from_db()
    assert hook.failing_since is None and hook.enabled


def test_replay_sends_again_with_the_same_id(endpoint, receiver, committed):
    endpoint(types=["person.created"])
    committed(lambda: _person())
    delivery = WebhookDelivery.objects.get()
    committed(lambda: services.delivery_replay(delivery=delivery))
    assert len(receiver.requests) == 2
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {
        delivery.message_id
    }
    assert len(receiver.handled) == 1


# ------------------------------------------------------------------ crashes


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no handler catches it."""


def test_a_worker_killed_between_sending_and_recording_loses_nothing(
    endpoint, receiver, committed
):
    hook = endpoint(types=["person.created"])
    with override_settings(WEBHOOKS_SENDER_LEASE=0):
        person = _person(name="Crash Test")
        delivery = WebhookDelivery.objects.get(endpoint=hook)

        def send_then_die(target, body, headers):
            webhook_delivery.post(target, body, headers)
            raise WorkerKilled

        with pytest.raises(WorkerKilled):
            webhook_delivery.deliver(delivery.pk, sender=send_then_die)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENDING  # no answer recorded
        assert len(receiver.requests) == 1
        # The worker's periodic check finds the lapsed lease and sends it again.
        committed(webhooks_resume)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    ids = [r["headers"]["webhook-id"] for r in receiver.requests]
    assert ids == [delivery.message_id, delivery.message_id]
    # The receiver, deduplicating by webhook-id, handled the person once.
    assert list(receiver.handled) == [delivery.message_id]
    assert receiver.handled[delivery.message_id]["data"]["id"] == str(person.public_id)


def test_a_live_lease_keeps_a_second_sender_off(endpoint, receiver):
    hook = endpoint(types=["person.created"])
    _person()
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert webhook_delivery.claim(delivery.pk) is not None
    assert webhook_delivery.deliver(delivery.pk) is None
    assert webhooks_resume() == []
    assert not receiver.requests


def test_a_delivery_whose_task_was_lost_is_queued_by_the_check(
    endpoint, receiver, committed
):
    hook = endpoint(types=["person.created"])
    _person()  # committed, but its on-commit queueing never ran
    assert not receiver.requests
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    assert committed(webhooks_resume) == [WebhookDelivery.objects.get(endpoint=hook).pk]
    assert len(receiver.requests) == 1


# ------------------------------------------------------------------ SSRF


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://192.168.1.20/hook",
        "https://172.16.0.5/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://printer.local/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://user:pw@hooks.example.org/hook",
        "http://hooks.example.org/hook",
        "ftp://hooks.example.org/hook",
    ],
)
@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False, WEBHOOKS_REQUIRE_HTTPS=True)
def test_private_and_local_addresses_are_refused(url, monkeypatch):
    monkeypatch.setattr(targets, "resolve", lambda host, port: ["93.184.215.14"])
    with pytest.raises(targets.TargetRefused):
        targets.check(url)


def test_the_real_lookup_lists_each_address_of_a_name_once(monkeypatch):
    """Every other test answers name lookups without DNS (tests/conftest.py); here
    the real lookup runs, on the one name every machine resolves offline."""
    monkeypatch.undo()  # puts back the real targets.resolve
    addresses = targets.resolve("localhost", 80)
    assert "127.0.0.1" in addresses or "::1" in addresses
    assert len(addresses) == len(set(addresses))
    with pytest.raises(OSError):
        targets.resolve("no-such-host.invalid", 443)  # .invalid never resolves


@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False, WEBHOOKS_REQUIRE_HTTPS=True)
def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, partner):
    monkeypatch.setattr(
        targets, "resolve", lambda host, port: ["93.184.215.14", "10.1.2.3"]
    )
    with pytest.raises(targets.TargetRefused):
        targets.check("https://sneaky.example.org/hook")
    with pytest.raises(Exception) as refused:
        services.endpoint_create(
            organisation=partner(), url="https://sneaky.example.org/hook"
        )
    assert "url" in refused.value.message_dict
    monkeypatch.setattr(targets, "resolve", lambda host, port: ["93.184.215.14"])
    target = targets.check("https://hooks.example.org:8443/in?x=1")
    assert target.addresses == ("93.184.215.14",)
    assert (target.host, target.port, target.path) == (
        "hooks.example.org",
        8443,
        "/in?x=1",
    )


def test_loopback_is_allowed_only_by_the_setting():
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=True):
        assert targets.check("http://127.0.0.1:9/x").addresses == ("127.0.0.1",)
        with pytest.raises(targets.TargetRefused):
            targets.check("http://10.0.0.1/x")  # private stays refused
    with override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False):
        with pytest.raises(targets.TargetRefused):
            targets.check("http://127.0.0.1:9/x")


def test_a_name_rebound_to_a_private_address_after_registration_gets_nothing(
    endpoint, receiver, committed, monkeypatch
):
    """Checked again at delivery, after resolving; and the connection goes to
    the address that was checked, with the name in the Host header."""
    answers = {"hooks.partner.test": ["127.0.0.1"]}
    monkeypatch.setattr(targets, "resolve", lambda host, port: answers[host])
    hook = endpoint(
        types=["person.created"], url=f"http://hooks.partner.test:{receiver.port}/in"
    )
    committed(lambda: _person())
    assert receiver.requests[0]["headers"]["host"] == (
        f"hooks.partner.test:{receiver.port}"
    )
    answers["hooks.partner.test"] = ["169.254.169.254"]
    committed(lambda: _person())
    assert len(receiver.requests) == 1
    refused = WebhookDelivery.objects.filter(endpoint=hook, status="retry").get()
    assert refused.last_error.startswith("Refused:")


def test_production_settings_refuse_private_targets():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "WEBHOOKS_ALLOW_PRIVATE_TARGETS" in result.stderr


# ------------------------------------------------------------------ the API


@pytest.fixture
def key_client(partner):
    from rest_framework.test import APIClient

    from api.services import partner_key_create

    def make(scope="public", name=None):
        organisation = partner(scope, name=name)
        raw = partner_key_create(organisation=organisation, name="hooks")[1]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        return client

    return make


def test_partners_register_through_the_api_and_see_the_secret_once(
    key_client, receiver, committed
):
    client = key_client("network")
    response = client.post(
        "/api/v1/webhooks/",
        {"url": receiver.url, "event_types": ["person.created"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    created = response.json()
    receiver.secrets.append(created["secret"])
    shown = client.get(f"/api/v1/webhooks/{created['id']}/").json()
    assert "secret" not in shown and shown["event_types"] == ["person.created"]
    committed(lambda: _person(name="Via Api"))
    assert receiver.requests[0]["verified"]
    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries/").json()
    assert [(d["type"], d["status"]) for d in log["results"]] == [
        ("person.created", "delivered")
    ]
    assert log["results"][0]["id"] == receiver.requests[0]["headers"]["webhook-id"]


def test_the_api_rotates_replays_and_keeps_partners_apart(
    key_client, receiver, committed
):
    mine, theirs = key_client("network"), key_client("public", name="Other")
    created = mine.post(
        "/api/v1/webhooks/", {"url": receiver.url}, format="json"
    ).json()
    hook = f"/api/v1/webhooks/{created['id']}"
    for path in ("/", "/deliveries/"):
        assert theirs.get(hook + path).status_code == 404
    assert theirs.get("/api/v1/webhooks/").json()["results"] == []
    assert theirs.delete(hook + "/").status_code == 404

    rotated = mine.post(hook + "/secrets/").json()
    receiver.secrets[:] = [created["secret"]]
    committed(lambda: _person())
    receiver.secrets[:] = [rotated["secret"]]
    delivery_id = receiver.requests[0]["headers"]["webhook-id"]
    with_committed = committed(
        lambda: mine.post(
            hook + "/replays/", {"deliveries": [delivery_id]}, format="json"
        )
    )
    assert with_committed.status_code == 202
    assert [r["verified"] for r in receiver.requests] == [True, True]
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == {delivery_id}
    bad = mine.post(hook + "/replays/", {"deliveries": ["msg_nope"]}, format="json")
    assert bad.status_code == 400 and "deliveries" in bad.json()


@override_settings(WEBHOOKS_ALLOW_PRIVATE_TARGETS=False, WEBHOOKS_REQUIRE_HTTPS=True)
@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest",
        "https://localhost/hook",
        "https://[::1]/hook",
        "http://hooks.example.org/hook",
    ],
)
def test_the_api_refuses_private_targets_naming_the_field(key_client, url):
    response = key_client().post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["url"]


def test_the_api_refuses_unknown_event_types(key_client, receiver):
    response = key_client().post(
        "/api/v1/webhooks/",
        {"url": receiver.url, "event_types": ["person.teleported"]},
        format="json",
    )
    assert response.status_code == 400 and "event_types" in response.json()


def test_listing_deliveries_costs_the_same_at_any_length(
    key_client, receiver, django_assert_max_num_queries
):
    client = key_client("network")
    created = client.post(
        "/api/v1/webhooks/", {"url": receiver.url}, format="json"
    ).json()
    for _ in range(5):
        _person()
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/webhooks/{created['id']}/deliveries/")
    assert response.json()["count"] == 5
