"""The production cache backend: Redis, where an outage reads as a miss."""

import pytest

from ops.cache import TolerantRedisCache
from tests.ops.machine import machine_redis_url

OPTIONS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


def make_cache(location):
    return TolerantRedisCache(location, {"OPTIONS": OPTIONS, "KEY_PREFIX": "ncnv-test"})


def test_every_operation_on_an_unreachable_redis_is_a_miss_not_an_error(caplog):
    cache = make_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert cache.get("page", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("page") is False
    cache.set("page", "html")
    assert cache.add("page", "html") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("page") is False
    assert cache.delete("page") is False
    cache.delete_many(["a", "b"])
    # Each failure is logged by operation and error type, never with the key.
    assert "Cache unavailable during delete_many (ConnectionError)" in caplog.text
    assert "page" not in caplog.text


@pytest.fixture
def redis_cache():
    cache = make_cache(machine_redis_url())
    cache.clear()
    yield cache
    cache.clear()


def test_with_redis_up_every_operation_reaches_it(redis_cache):
    cache = redis_cache
    cache.set("page", "html")
    assert cache.get("page") == "html"
    assert cache.has_key("page") is True
    assert cache.add("page", "other") is False
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
    assert cache.touch("page", 60) is True
    assert cache.delete("page") is True
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b"]) == {}
