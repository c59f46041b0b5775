"""Refuse a request body larger than the site will take, before reading any of it.

Django reads a whole multipart upload (to a temporary file) as soon as anything
looks at ``request.POST``, and the CSRF check does that before any view can say
no: a 60 MB "photo" posted to a public form cost a web process a minute of
reading and 60 MB of disk. This middleware looks only at ``Content-Length`` and
answers 413 at once when it is over the limit for the request:

- visitors who are not signed in (public forms, partner keys): at most
  ``REQUEST_BODY_MAX_ANONYMOUS`` anywhere;
- signed-in users: ``REQUEST_BODY_MAX_SIGNED_IN`` by path prefix, the longest
  matching prefix winning (the admin's uploads, the member area's profile photo),
  and the anonymous limit on every other path.

A body sent without ``Content-Length`` (chunked) is not read by Django at all, so
the header is all there is to check. The proxy in front refuses oversized bodies
even earlier (docs/deployment.md); this is the limit that holds whatever the proxy.
"""

import logging

from django.conf import settings
from django.http import HttpResponse

log = logging.getLogger(__name__)


def content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body at all when the header is not a number


def body_limit(request) -> int:
    """The largest body this request may carry."""
    anonymous = settings.REQUEST_BODY_MAX_ANONYMOUS
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return anonymous
    limits = settings.REQUEST_BODY_MAX_SIGNED_IN
    matching = [prefix for prefix in limits if request.path_info.startswith(prefix)]
    if not matching:
        return anonymous
    return limits[max(matching, key=len)]


class RequestBodyLimitMiddleware:
    """Put it after AuthenticationMiddleware (signed-in users get more) and before
    anything that reads the body; no middleware before it does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = content_length(request)
        # Most requests are small: only a large one costs the session lookup.
        if length > settings.REQUEST_BODY_MAX_ANONYMOUS:
            limit = body_limit(request)
            if length > limit:
                log.warning(
                    "Refused a %s request body of %d bytes (limit %d)",
                    request.method,
                    length,
                    limit,
                )
                return HttpResponse(
                    f"The request is too large: at most {_megabytes(limit)} here.",
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):g} MB"
