"""Template context every page of the site needs."""

from django.conf import settings


def site(request):
    return {"site_name": settings.WAGTAIL_SITE_NAME}
