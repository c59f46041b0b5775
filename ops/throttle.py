"""The per-client limit on public forms (event registration, sign-up for updates,
postcode lookups), kept in Django's cache (Redis in production, shared by every
web process).

A fixed window per client and scope: at most ``limit`` attempts in ``window``
seconds from the first. Clients are told apart by their address, keyed-hashed with
the site's secret so the cache holds no IP address. While Redis is unreachable
each process counts on its own (these keys are among ops.cache's counting keys);
if the cache fails in some other way the request is let through: a limit must
not take a form down with it.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/hour"`` -> (10, 3600): DRF's notation, as the API's rates."""
    return SimpleRateThrottle.parse_rate(None, rate)


def client_address(request) -> str:
    """The visitor's address, as the API's throttles see it: behind
    ``NUM_PROXIES`` proxies, the one the nearest proxy appended."""
    return BaseThrottle().get_ident(request)


def allow(request, *, scope: str, limit: int, window: int) -> bool:
    """Count one attempt for this client; False once it is over ``limit``."""
    address = client_address(request).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256)
    key = f"throttle:{scope}:{digest.hexdigest()[:32]}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception as error:
        logger.warning("Throttle %s unavailable (%s)", scope, type(error).__name__)
        return True
    return count <= limit


def allow_rate(request, *, scope: str, rate: str) -> bool:
    """:func:`allow` with the limit given as a rate such as ``"10/hour"``."""
    limit, window = parse_rate(rate)
    return allow(request, scope=scope, limit=limit, window=window)
