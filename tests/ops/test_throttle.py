"""The one per-client limit of the public forms."""

from django.core.cache import cache
from django.test import RequestFactory

from ops import throttle


def request_from(address):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_each_client_and_scope_has_its_own_count():
    cache.clear()
    ada, bob = request_from("203.0.113.7"), request_from("198.51.100.9")
    assert [
        throttle.allow(ada, scope="signup", limit=2, window=60) for _ in range(3)
    ] == [
        True,
        True,
        False,
    ]
    assert throttle.allow(bob, scope="signup", limit=2, window=60)
    assert throttle.allow(ada, scope="registration", limit=2, window=60)
    cache.clear()


def test_the_cache_holds_no_address():
    cache.clear()
    throttle.allow_rate(request_from("203.0.113.7"), scope="signup", rate="5/minute")
    keys = list(cache._cache.keys())  # the test settings' local-memory cache
    assert keys
    assert not any("203.0.113.7" in key for key in keys)
    cache.clear()


def test_rates_read_as_count_per_period():
    assert throttle.parse_rate("10/hour") == (10, 3600)
    assert throttle.parse_rate("3/minute") == (3, 60)
    assert throttle.parse_rate("100/day") == (100, 86400)
