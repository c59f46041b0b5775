"""The site's URLs plus the trivial view the load benchmark measures against."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    """No database, no template: the cost of the middleware stack and gunicorn."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
