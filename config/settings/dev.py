"""Local development: debug on, a fixed insecure key, mail printed to the console."""

from .base import *  # noqa: F403
from .base import SITE_DOMAIN, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production"
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=sorted({"127.0.0.1", "localhost", "[::1]", SITE_DOMAIN}),
)
# No collectstatic in development: serve from the app folders as they are.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Postcodes come from the shipped sample, so development works offline.
POSTCODE_LOOKUP_BACKEND = env("POSTCODE_LOOKUP_BACKEND", default="offline")
# A receiver on the developer's machine may use plain http (production: https only).
WEBHOOKS_REQUIRE_HTTPS = env.bool("WEBHOOKS_REQUIRE_HTTPS", default=False)
