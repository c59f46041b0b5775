"""Request rates: anonymous callers per IP address, each partner key at its
organisation's rate, signed-in users per account. Over the rate, DRF answers 429
with ``Retry-After``.

Counts live in Django's cache. With several server processes, configure a shared
cache (``REDIS_URL``) so they add up; while Redis is unreachable each process
counts on its own (ops/cache.py).

A caller's rate is kept as two counters, this window's and the last one's
(windows as long as the rate's period), and a request is let through while the
last window's count, weighted by the share of it still inside the sliding
period, plus this window's stays under the limit. That is a sliding window at the
cost of two small numbers per caller: one increment per request (the last
window's count no longer changes, so each process reads it once), however high
the rate (DRF's own throttle keeps, reads and writes back the time of every
request in the period).
"""

import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import is_partner


def sliding_count(previous: int, current: int, elapsed: float, duration: int) -> float:
    """Requests counted in the sliding period ending now, ``elapsed`` seconds
    into the current window."""
    return previous * (1 - elapsed / duration) + current


def seconds_until_allowed(
    previous: int, current: int, elapsed: float, duration: int, limit: int
) -> float:
    """How long until ``sliding_count`` falls below ``limit`` with no new request."""
    if current < limit:
        # Within this window, as the last one's weight runs down.
        return max(duration * (1 - (limit - current) / previous) - elapsed, 0.0)
    # In the next window, as this one's weight runs down.
    return duration - elapsed + duration * (1 - limit / current)


# Counts of finished windows read by this process, by cache key.
_finished: dict[str, int] = {}
FINISHED_KEPT = 10_000


def forget_finished_windows() -> None:
    """Forget the finished windows' counts read (after the cache was emptied)."""
    _finished.clear()


class ApiRateThrottle(SimpleRateThrottle):
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self):
        # The rate depends on the caller, so it is chosen per request.
        self.retry_after = None

    def allow_request(self, request, view):
        if is_partner(request):
            self.scope = "key"
            self.rate = request.auth.organisation.rate_limit
            ident = request.auth.pk
        elif request.user and request.user.is_authenticated:
            self.scope = "user"
            self.rate = settings.API_THROTTLE_USER
            ident = request.user.pk
        else:
            self.scope = "anon"
            self.rate = settings.API_THROTTLE_ANON
            ident = self.get_ident(request)
        limit, duration = self.parse_rate(self.rate)
        base = self.cache_format % {"scope": self.scope, "ident": ident}
        now = self.timer()
        window = int(now // duration)
        elapsed = now - window * duration
        this = f"{base}:{window}"
        previous = self._finished_window(f"{base}:{window - 1}")
        current = self._count(this, 2 * duration)  # this request included
        if sliding_count(previous, current - 1, elapsed, duration) >= limit:
            self._uncount(this)  # a refused request does not count
            self.retry_after = seconds_until_allowed(
                previous, current - 1, elapsed, duration, limit
            )
            return False
        return True

    def _count(self, name: str, timeout: int) -> int:
        """Add this request to a window's count: one round trip to the cache
        but for the window's first request. Kept for two windows: the next one
        still weighs this one's count."""
        try:
            return self.cache.incr(name)
        except ValueError:  # the window's first request
            if self.cache.add(name, 1, timeout=timeout):
                return 1
            return self.cache.incr(name)

    def _uncount(self, name: str) -> None:
        try:
            self.cache.decr(name)
        except ValueError:
            pass

    def _finished_window(self, name: str) -> int:
        """A finished window's count, which no longer changes: read from the
        cache once per process and window."""
        if name not in _finished:
            if len(_finished) >= FINISHED_KEPT:
                _finished.clear()
            _finished[name] = self.cache.get(name, 0)
        return _finished[name]

    def wait(self):
        if self.retry_after is None:
            return None
        return max(math.ceil(round(self.retry_after, 6)), 1)
