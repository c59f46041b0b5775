"""Request rates: anonymous callers per IP address, each partner key at its
organisation's rate, signed-in users per account. Over the rate, DRF answers 429
with ``Retry-After``.

Counts live in Django's cache. With several server processes, configure a shared
cache (``REDIS_URL``) so they add up; while Redis is unreachable each process
counts on its own (ops/cache.py).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import is_partner


class ApiRateThrottle(SimpleRateThrottle):
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self):
        # The rate depends on the caller, so it is chosen per request.
        pass

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
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()
