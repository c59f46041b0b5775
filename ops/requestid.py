"""The id of the request being served, for log lines and error pages.

A proxy or load balancer that already tags requests (``X-Request-ID``) is believed
when its value looks like an id; otherwise a fresh one is made. The id goes back to
the client in the same header, so a person reporting an error can quote it.
"""

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# Anything else (too long, spaces, quotes) could forge log lines: make a new one.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request this thread or task is serving, or "-" outside one."""
    return _current.get()


def request_id_from(meta: dict) -> str:
    supplied = meta.get(_META_KEY, "")
    if _ACCEPTABLE.match(supplied):
        return supplied
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost middleware: every log line written while serving carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META)
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response
