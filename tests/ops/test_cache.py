"""The production cache backend: Redis, where an outage reads as a miss."""

import pytest
import redis

from ops import cache as tolerant
from ops.cache import TolerantRedisCache
from tests.ops.machine import machine_redis_url

OPTIONS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


def make_cache(location, counting=()):
    return TolerantRedisCache(
        location,
        {
            "OPTIONS": OPTIONS,
            "KEY_PREFIX": "ncnv-test",
            "LOCAL_FALLBACK_KEY_PREFIXES": counting,
        },
    )


DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(autouse=True)
def no_resting_servers():
    tolerant._resting_until.clear()
    yield
    tolerant._resting_until.clear()


def test_every_operation_on_an_unreachable_redis_is_a_miss_not_an_error(caplog):
    cache = make_cache(DOWN)
    operations = [
        (lambda: cache.get("page", "fallback"), "fallback"),
        (lambda: cache.get_many(["a", "b"]), {}),
        (lambda: cache.has_key("page"), False),
        (lambda: cache.set("page", "html"), None),
        (lambda: cache.add("page", "html"), False),
        (lambda: cache.set_many({"a": 1, "b": 2}), ["a", "b"]),
        (lambda: cache.touch("page"), False),
        (lambda: cache.delete("page"), False),
        (lambda: cache.delete_many(["a", "b"]), None),
    ]
    for operation, fallback in operations:
        tolerant._resting_until.clear()  # each one really tries the server
        assert operation() == fallback
    # Each failure is logged by operation and error type, never with the key.
    for name in ("get", "get_many", "has_key", "set", "add", "set_many", "touch"):
        assert f"Cache unavailable during {name} (ConnectionError)" in caplog.text
    assert "Cache unavailable during delete_many (ConnectionError)" in caplog.text
    assert "page" not in caplog.text


def test_after_a_failure_the_server_rests_so_a_request_waits_and_logs_once(
    caplog, monkeypatch
):
    cache = make_cache(DOWN)
    now = [1000.0]
    monkeypatch.setattr(tolerant.time, "monotonic", lambda: now[0])
    assert cache.get("page", "fallback") == "fallback"
    for _ in range(10):  # the rest of a request: answered at once, not tried
        assert cache.get_many(["a"]) == {}
        cache.set("page", "html")
    assert caplog.text.count("Cache unavailable") == 1
    now[0] += tolerant.RETRY_SECONDS + 1  # then it is tried again
    assert cache.get("page", "fallback") == "fallback"
    assert caplog.text.count("Cache unavailable") == 2


def test_counting_keys_are_kept_in_the_process_while_redis_is_down():
    cache = make_cache(DOWN, counting=["count:"])
    cache.clear()
    assert cache.add("count:a", 0, timeout=60) is True
    assert cache.add("count:a", 0, timeout=60) is False  # a lock still locks
    assert cache.incr("count:a") == 1
    assert cache.get("count:a") == 1
    assert cache.has_key("count:a") is True
    assert cache.set_many({"count:b": [1.0], "page": "html"}) == ["page"]
    assert cache.get_many(["count:b", "page"]) == {"count:b": [1.0]}
    assert cache.delete("count:a") is True
    assert cache.get("count:a") is None
    # Other keys are still misses: the memory of one process must not answer for
    # pages that another process has purged.
    cache.set("page", "html")
    assert cache.get("page") is None
    assert cache.add("page", "html") is False
    # Another instance in this process (another thread's) sees the same counts.
    assert make_cache(DOWN, counting=["count:"]).get("count:b") == [1.0]
    cache.clear()
    assert cache.get("count:b") is None


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


@pytest.mark.parametrize("counting", [(), ("count:",)])
def test_incr_adds_in_one_round_trip_and_refuses_a_missing_key(
    redis_cache, counting, monkeypatch
):
    """The throttles count with incr on every request: it must keep Django's
    meaning (a missing key is a ValueError, never created without its expiry)
    while asking Redis once."""
    cache = make_cache(machine_redis_url(), counting=counting)
    with pytest.raises(ValueError):
        cache.incr("count:a")
    assert cache.get("count:a") is None  # not created by the failed incr
    assert cache.add("count:a", 1, timeout=60) is True
    sent = []
    original = redis.Redis.execute_command

    def spy(client, *args, **options):
        sent.append(args[0])
        return original(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    assert cache.incr("count:a") == 2
    assert cache.incr("count:a", 5) == 7
    monkeypatch.undo()
    assert sent == ["EVAL", "EVAL"]
    assert cache.get("count:a") == 7
    client = cache._cache.get_client("count:a")
    assert 0 < client.ttl(cache.make_key("count:a")) <= 60  # expiry kept
    assert cache.decr("count:a") == 6
