"""Pages of the partner API's people list kept in Redis (api/answers.py) follow
a data request and a withdrawal at once, and never cross audiences.

Run against the machine's Redis, the only cache pages are kept in."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from network.personal_data import erase
from ops import cache as tolerant
from tests.api.conftest import directory, make_key  # noqa: F401  (fixtures)
from tests.ops.machine import machine_redis_url

PEOPLE = "/api/v1/people/"


@pytest.fixture(autouse=True)
def shared_cache():
    caches = {
        "default": {
            "BACKEND": "ops.cache.TolerantRedisCache",
            "LOCATION": machine_redis_url(),
            "KEY_PREFIX": "ncnv-test-security-answers",
        }
    }
    with override_settings(CACHES=caches):
        cache.clear()  # this test worker's own Redis database
        tolerant._resting_until.clear()
        yield
        cache.clear()


def caller(make_key, scope):  # noqa: F811
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {make_key(scope)}")
    return client


def test_an_erased_person_leaves_a_kept_page_at_once(directory, make_key):  # noqa: F811
    public = caller(make_key, "public")
    before = public.get(PEOPLE).content.decode()
    assert "Amira Test" in before
    assert public.get(PEOPLE).content.decode() == before  # now served as kept
    erase(person=directory["amira"])
    after = public.get(PEOPLE).content.decode()
    assert "Amira Test" not in after
    assert directory["amira"].slug not in after


def test_a_network_page_kept_first_never_reaches_a_public_key(directory, make_key):  # noqa: F811
    network = caller(make_key, "network")
    public = caller(make_key, "public")
    kept = network.get(PEOPLE).content.decode()
    assert "Cara Private" in kept
    assert ".network@example.org" in kept
    answer = public.get(PEOPLE).content.decode()
    assert "Cara Private" not in answer
    assert ".network@example.org" not in answer
    assert ".coordinators@example.org" not in answer
