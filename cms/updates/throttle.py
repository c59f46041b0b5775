"""A per-IP limit on the public forms, kept in Django's cache.

Fixed windows: at most ``limit`` requests per ``window`` seconds for each address
and scope. The IP address is hashed before it becomes a cache key.
"""

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def allow(request, *, scope: str, limit: int, window: int) -> bool:
    """Count this request; False when the address is over its limit."""
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    key = f"updates:throttle:{scope}:{digest}:{int(time.time() // window)}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception:  # a cache outage must not take the form down with it
        logger.warning("sign-up throttle unavailable: cache error", exc_info=True)
        return True
    return count <= limit
