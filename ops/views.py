"""The error page with the request id, and image files from local media."""

import re

from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.template import loader
from django.views.static import serve

from .requestid import current_request_id

# Image originals and renditions only: documents must pass the permission check,
# and profile photos (profile_photos/, see ops/storage.py) the photo view's.
_IMAGE_PATH = re.compile(r"^(images|original_images)/[^/]+$")


def server_error(request):
    """Django's 500 view, plus the request id so a person can quote it."""
    request_id = getattr(request, "request_id", None) or current_request_id()
    try:
        template = loader.get_template("500.html")
        body = template.render({"request_id": request_id})
    except Exception:  # the error page itself must not fail
        body = (
            "<!doctype html><title>Server error</title><h1>Something went wrong</h1>"
            f"<p>Reference: {request_id}</p>"
        )
    return HttpResponseServerError(body)


def media_image(request, path):
    if not _IMAGE_PATH.match(path):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response
