"""Template context every page of the site needs."""

from django.conf import settings

from ops.siteurl import site_url


def site(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        # Linked beside every consent box and from the footer.
        "privacy_url": settings.PRIVACY_NOTICE_URL,
        # The public address (SITE_URL): canonical and sharing links start with it.
        "site_url": site_url(),
    }
