"""``/healthz``: is this process able to serve? For load balancers and uptime checks.

Answered by the second middleware, before host checks, HTTPS redirects, sessions
and page serving, so a probe on plain HTTP by IP address works and costs one
database round trip and two cache round trips.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse

PATH = "/healthz"
logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:  # any failure means "not healthy", never a 500
        logger.warning("Health check: database unavailable (%s)", type(error).__name__)
        return False


def check_cache() -> bool:
    # A key of its own per probe, so concurrent probes cannot see each other's value.
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, value, timeout=10)
        return cache.get(key) == value
    except Exception as error:
        logger.warning("Health check: cache unavailable (%s)", type(error).__name__)
        return False


def health_response(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    checks = {"database": check_database(), "cache": check_cache()}
    healthy = all(checks.values())
    response = JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {
                name: "ok" if passed else "unavailable"
                for name, passed in checks.items()
            },
        },
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in (PATH, PATH + "/"):
            return health_response(request)
        return self.get_response(request)
