"""Production: everything secret or host-specific comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, SITE_URL, env

DEBUG = False
# No default: the site must not start with a guessable key.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# No default either: links in emails, feeds and the sitemap must reach the public
# site, and one-click unsubscribe (RFC 8058) needs https.
if not env("SITE_URL", default="").startswith("https://"):
    raise ImproperlyConfigured(
        f"Set SITE_URL to the site's public https address (it is {SITE_URL!r})."
    )

# ------------------------------------------------------------------ HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# ------------------------------------------------------------------ webhooks
# Deliveries only ever go to public https addresses.
WEBHOOKS_REQUIRE_HTTPS = True
if env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False):
    raise ImproperlyConfigured(
        "WEBHOOKS_ALLOW_PRIVATE_TARGETS is for development and tests only."
    )
WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

# ------------------------------------------------------------------ logging
# One JSON object per line on stdout, for whatever collects the container's output.
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")
# ------------------------------------------------------------------ updates
# Mailings and confirmation emails (and Wagtail's index updates) go through the
# database queue, worked by `manage.py db_worker --queue-name "*"`.
TASKS["default"]["BACKEND"] = env(  # noqa: F405
    "TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"
)
