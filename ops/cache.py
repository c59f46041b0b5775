"""A Redis cache that lets the site keep serving when Redis is down.

Wagtail reads the cache while building every page link (its site root paths), the
page cache and the throttles read it on every request. Django's own Redis backend
raises when the server is unreachable, which would turn a cache outage into a
site outage. Here a failed read is a miss and a failed write is skipped: pages are
rendered fresh, and /healthz reports the cache as down (its write-then-read round
trip fails), so operators still find out.

Counting keys are the exception. The keys whose names start with one of the
``LOCAL_FALLBACK_KEY_PREFIXES`` (allauth's sign-in limits and their locks, the
record of used authenticator codes, the API's and the forms' throttles) go to a
memory cache of this process while Redis is unavailable. A miss there would be
worse than useless: allauth refuses every sign-in when it cannot take its lock,
would accept a used code again, and the throttles would stop counting. So each
process keeps its own counts until Redis is back: limits hold per process (with
several processes, a client gets up to that many times the limit), and Redis's
own counts resume where they were.

After a failure the server is left alone for ``RETRY_SECONDS`` (per process): a
request makes several cache calls, and each would otherwise wait for the
connection timeout and log a line of its own.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _unavailable(operation: str, error: Exception) -> None:
    # The key is not logged: some keys are derived from visitors' addresses.
    logger.warning("Cache unavailable during %s (%s)", operation, type(error).__name__)


RETRY_SECONDS = 5.0
# Entries the stand-in memory cache of a process holds before dropping the oldest
# third: enough for the sign-in limits of many thousands of addresses and accounts.
LOCAL_FALLBACK_MAX_ENTRIES = 50_000

# INCRBY on a key that exists, else nothing (nil), atomically in Redis.
INCR_EXISTING = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then "
    "return redis.call('INCRBY', KEYS[1], ARGV[1]) end return false"
)

# When each Redis server may next be tried, shared by the threads of a process.
_resting_until: dict[tuple, float] = {}
_lock = threading.Lock()


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._local_prefixes = tuple(params.get("LOCAL_FALLBACK_KEY_PREFIXES", ()))
        # One memory cache per Redis location, shared by the process's threads
        # (LocMemCache keeps its data per name).
        self._local = LocMemCache(
            f"{__name__}.fallback:{','.join(self._servers)}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "OPTIONS": {"MAX_ENTRIES": LOCAL_FALLBACK_MAX_ENTRIES},
            },
        )

    def _counts_locally(self, key) -> bool:
        return bool(self._local_prefixes) and str(key).startswith(self._local_prefixes)

    def _attempt(self, operation: str, fallback, *args):
        """Django's Redis operation, or ``fallback()`` if Redis fails or is resting."""
        servers = tuple(self._servers)
        if time.monotonic() >= _resting_until.get(servers, 0.0):
            try:
                if operation == "incr":
                    return self._incr_existing(*args)
                return getattr(super(), operation)(*args)
            except RedisError as error:
                with _lock:
                    _resting_until[servers] = time.monotonic() + RETRY_SECONDS
                _unavailable(operation, error)
        return fallback()

    def _keyed(self, operation: str, miss, key, *args):
        """A one-key operation: without Redis, done in this process's memory for a
        counting key, else answered with ``miss``."""
        if self._counts_locally(key):

            def fallback():
                return getattr(self._local, operation)(key, *args)
        else:

            def fallback():
                return miss

        return self._attempt(operation, fallback, key, *args)

    def get(self, key, default=None, version=None):
        return self._keyed("get", default, key, default, version)

    def get_many(self, keys, version=None):
        local = [key for key in keys if self._counts_locally(key)]
        return self._attempt(
            "get_many", lambda: self._local.get_many(local, version), keys, version
        )

    def has_key(self, key, version=None):
        return self._keyed("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._keyed("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._keyed("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        def fallback():
            local = {k: v for k, v in data.items() if self._counts_locally(k)}
            self._local.set_many(local, timeout, version)
            return [key for key in data if key not in local]

        return self._attempt("set_many", fallback, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._keyed("touch", False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        if not self._counts_locally(key):
            return self._incr_existing(key, delta, version)
        return self._keyed("incr", None, key, delta, version)

    def _incr_existing(self, key, delta=1, version=None):
        """Django's ``incr`` (ValueError for a missing key) in one round trip:
        Django's own asks whether the key exists, then adds, and every throttled
        request pays for both."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        value = client.eval(INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def delete(self, key, version=None):
        if not self._counts_locally(key):
            return self._keyed("delete", False, key, version)
        # Deleted here even when Redis answers: a lock taken here while Redis was
        # away must not outlive its release if Redis came back in between.
        deleted_here = self._local.delete(key, version)
        return self._attempt("delete", lambda: deleted_here, key, version)

    def delete_many(self, keys, version=None):
        local = [key for key in keys if self._counts_locally(key)]
        self._local.delete_many(local, version)
        self._attempt("delete_many", lambda: None, keys, version)

    def clear(self):
        self._local.clear()
        return self._attempt("clear", lambda: False)
