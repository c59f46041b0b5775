"""A Redis cache that lets the site keep serving when Redis is down.

Wagtail reads the cache while building every page link (its site root paths), the
page cache and the throttles read it on every request. Django's own Redis backend
raises when the server is unreachable, which would turn a cache outage into a
site outage. Here a failed read is a miss and a failed write is skipped: pages are
rendered fresh, throttles let requests through, and /healthz reports the cache as
down (its write-then-read round trip fails), so operators still find out.

After a failure the server is left alone for ``RETRY_SECONDS`` (per process): a
request makes several cache calls, and each would otherwise wait for the
connection timeout and log a line of its own.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _unavailable(operation: str, error: Exception) -> None:
    # The key is not logged: some keys are derived from visitors' addresses.
    logger.warning("Cache unavailable during %s (%s)", operation, type(error).__name__)


RETRY_SECONDS = 5.0

# When each Redis server may next be tried, shared by the threads of a process.
_resting_until: dict[tuple, float] = {}
_lock = threading.Lock()


class TolerantRedisCache(RedisCache):
    def _attempt(self, operation: str, fallback, *args):
        """Django's Redis operation, or ``fallback`` if Redis fails or is resting."""
        servers = tuple(self._servers)
        if time.monotonic() < _resting_until.get(servers, 0.0):
            return fallback
        try:
            return getattr(super(), operation)(*args)
        except RedisError as error:
            with _lock:
                _resting_until[servers] = time.monotonic() + RETRY_SECONDS
            _unavailable(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._attempt("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._attempt("delete_many", None, keys, version)
