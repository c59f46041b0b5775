"""Partner keys (hashed, revocable, expiring, never in the address) and rates."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.authentication import KEY_CACHE_SECONDS
from api.models import PartnerKey, PartnerOrganisation
from api.services import partner_key_revoke
from api.throttles import ApiRateThrottle

pytestmark = pytest.mark.django_db


def test_keys_are_stored_hashed(make_key):
    raw = make_key("public")
    key = PartnerKey.objects.get()
    assert raw.startswith(key.prefix + ".")
    assert raw not in key.hashed_key and raw.split(".")[1] not in key.id
    assert key.hashed_key.startswith("sha512$$")


def test_key_use_is_recorded(make_key):
    raw = make_key("network")
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert PartnerKey.objects.get().last_used_at is None
    assert client.get("/api/v1/parties/").status_code == 200
    assert PartnerKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key nonsense",
        "Api-Key abcdefgh.0123456789abcdef0123456789abcdef",
        "Api-Key",
    ],
)
def test_wrong_keys_are_401_not_anonymous(header):
    response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/parties/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Api-Key"


@pytest.mark.parametrize("name", ["api_key", "key", "token", "anything"])
def test_a_key_in_the_query_string_is_refused(make_key, name):
    raw = make_key("network")
    response = APIClient().get(f"/api/v1/parties/?{name}={raw}")
    assert response.status_code == 400
    body = response.json()
    assert name in body and "Authorization" in body[name][0]
    assert raw not in response.content.decode()
    # Even with a good header as well.
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get(f"/api/v1/parties/?{name}={raw}").status_code == 400


@override_settings(API_THROTTLE_ANON="3/minute")
def test_anonymous_callers_are_throttled_per_address():
    client = APIClient()
    for _ in range(3):
        assert client.get("/api/v1/parties/").status_code == 200
    response = client.get("/api/v1/parties/")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    other = APIClient(REMOTE_ADDR="192.0.2.7")
    assert other.get("/api/v1/parties/").status_code == 200


def test_each_key_has_its_organisations_rate(make_key, monkeypatch):
    # Ten seconds into an hour of the clock: the hour's requests weigh fully.
    start = 1_800_000_000 - 1_800_000_000 % 3600 + 10
    monkeypatch.setattr(ApiRateThrottle, "timer", lambda self: start)
    slow = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('public', rate='2/hour')}")
    fast = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('network')}")
    assert [slow.get("/api/v1/parties/").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert int(slow.get("/api/v1/parties/").headers["Retry-After"]) > 60
    assert all(fast.get("/api/v1/parties/").status_code == 200 for _ in range(5))


@override_settings(API_THROTTLE_ANON="3/minute")
def test_the_rate_slides_across_the_minute(monkeypatch):
    """Requests late in one minute still count early in the next, in proportion
    to the time they still cover: no double burst at the turn of the minute."""
    now = [1_800_000_000 - 1_800_000_000 % 60 + 50]  # 50 s into a minute
    monkeypatch.setattr(ApiRateThrottle, "timer", lambda self: now[0])
    client = APIClient()
    assert [client.get("/api/v1/parties/").status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    now[0] += 15  # 5 s into the next minute: the three weigh 3 x 55/60 = 2.75
    assert client.get("/api/v1/parties/").status_code == 200
    response = client.get("/api/v1/parties/")  # 2.75 + 1: over
    assert response.status_code == 429
    # Under 3 again when the three weigh under 2: 20 s into the minute.
    assert int(response.headers["Retry-After"]) == 15
    now[0] += 16
    assert client.get("/api/v1/parties/").status_code == 200
    assert client.get("/api/v1/parties/").status_code == 429


def _key_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/parties/").status_code == 200
    return sum(
        "rest_framework_api_key" in q["sql"] or "api_partnerkey" in q["sql"]
        for q in captured
    )


def test_a_known_key_is_not_looked_up_on_every_request(make_key):
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('network')}")
    client.get("/api/v1/parties/")  # records its use, which is a write
    assert _key_queries(client) == 0
    assert KEY_CACHE_SECONDS <= 60


def test_a_revoked_key_stops_working_at_once(make_key):
    raw = make_key("network")
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/v1/parties/").status_code == 200
    assert client.get("/api/v1/parties/").status_code == 200  # from the cache
    partner_key_revoke(key=PartnerKey.objects.get())
    response = client.get("/api/v1/parties/")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_deleted_or_expired_key_stops_working_at_once(make_key):
    from datetime import timedelta

    from django.utils import timezone

    first = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('network')}")
    assert first.get("/api/v1/parties/").status_code == 200
    key = PartnerKey.objects.get()
    key.expiry_date = timezone.now() - timedelta(minutes=1)
    key.save()
    assert first.get("/api/v1/parties/").status_code == 401
    key.delete()
    assert first.get("/api/v1/parties/").status_code == 401


def test_a_cached_key_still_needs_its_secret(make_key):
    raw = make_key("network")
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        .get("/api/v1/parties/")
        .status_code
        == 200
    )
    prefix, secret = raw.split(".")
    forged = f"{prefix}.{secret[::-1]}"
    response = APIClient(HTTP_AUTHORIZATION=f"Api-Key {forged}").get("/api/v1/parties/")
    assert response.status_code == 401


def test_an_organisations_new_rate_applies_at_once(make_key):
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('network')}")
    assert client.get("/api/v1/parties/").status_code == 200
    organisation = PartnerOrganisation.objects.get()
    organisation.rate_limit = "1/hour"
    organisation.save()
    assert client.get("/api/v1/parties/").status_code == 429
