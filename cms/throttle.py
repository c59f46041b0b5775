"""A small per-client rate limit for public forms, kept in Django's cache.

Clients are told apart by their address, hashed so the cache holds no IP address."""

import hashlib

from django.conf import settings
from django.core.cache import cache

PERIODS = {"minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/hour"`` -> (10, 3600)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period]


def allow(request, *, scope: str, rate: str) -> bool:
    """Count one attempt for this client; False once it is over ``rate``."""
    limit, window = parse_rate(rate)
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()
    key = f"throttle:{scope}:{digest[:32]}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
