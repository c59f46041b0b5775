"""The site's URLs plus views that fail or log on purpose, for the ops tests."""

import logging

from django.http import HttpResponse
from django.urls import path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns

logger = logging.getLogger("tests.ops")


def failing_view(request):
    raise RuntimeError("lookup failed for jane.doe@example.org on +447700900123")


def logging_view(request):
    logger.info("contact reached at jane.doe@example.org")
    return HttpResponse("logged")


urlpatterns = [
    path("test-fail/", failing_view),
    path("test-log/", logging_view),
    *site_urlpatterns,
]
