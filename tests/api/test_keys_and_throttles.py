"""Partner keys (hashed, revocable, expiring, never in the address) and rates."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from api.models import PartnerKey

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


def test_each_key_has_its_organisations_rate(make_key):
    slow = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('public', rate='2/hour')}")
    fast = APIClient(HTTP_AUTHORIZATION=f"Api-Key {make_key('network')}")
    assert [slow.get("/api/v1/parties/").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert int(slow.get("/api/v1/parties/").headers["Retry-After"]) > 60
    assert all(fast.get("/api/v1/parties/").status_code == 200 for _ in range(5))
