"""The one per-client limit of the public forms."""

import hashlib

from django.core.cache import cache
from django.test import RequestFactory, override_settings

from ops import throttle


def request_from(address, forwarded_for=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return RequestFactory().post("/", REMOTE_ADDR=address, **extra)


def attempts(request, n, **limits):
    return [throttle.allow(request, **limits) for _ in range(n)]


def test_each_client_and_scope_has_its_own_count():
    cache.clear()
    ada, bob = request_from("203.0.113.7"), request_from("198.51.100.9")
    limits = {"scope": "signup", "limit": 2, "window": 60}
    assert attempts(ada, 3, **limits) == [True, True, False]
    assert throttle.allow(bob, **limits)
    assert throttle.allow(ada, scope="registration", limit=2, window=60)
    cache.clear()


@override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1})
def test_behind_a_proxy_each_visitor_counts_apart_and_cannot_pose_as_another():
    cache.clear()
    limits = {"scope": "signup", "limit": 1, "window": 60}
    proxy = "172.17.0.1"  # every request arrives from the proxy
    assert throttle.allow(request_from(proxy, "203.0.113.7"), **limits)
    assert throttle.allow(request_from(proxy, "198.51.100.9"), **limits)
    # A forged entry in front of the one the proxy appended changes nothing.
    forged = request_from(proxy, "192.0.2.55, 203.0.113.7")
    assert not throttle.allow(forged, **limits)
    cache.clear()


def test_the_cache_holds_no_address_nor_a_plain_hash_of_it():
    cache.clear()
    address = "203.0.113.7"
    throttle.allow_rate(request_from(address), scope="signup", rate="5/minute")
    keys = list(cache._cache.keys())  # the test settings' local-memory cache
    assert keys
    plain_hash = hashlib.sha256(address.encode()).hexdigest()[:32]
    assert not any(address in key or plain_hash in key for key in keys)
    with override_settings(SECRET_KEY="another-secret-for-this-test"):
        throttle.allow_rate(request_from(address), scope="signup", rate="5/minute")
    assert len(cache._cache.keys()) == len(keys) + 1  # keyed by the secret
    cache.clear()


def test_rates_read_as_drf_notation():
    assert throttle.parse_rate("10/hour") == (10, 3600)
    assert throttle.parse_rate("3/min") == (3, 60)
    assert throttle.parse_rate("5/second") == (5, 1)
    assert throttle.parse_rate("100/day") == (100, 86400)
