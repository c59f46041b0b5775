"""Settings for pytest. Each override says why it differs from base."""

from .base import *  # noqa: F403

# Tests need a key but must never share production's.
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
# The test client asks for "testserver".
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Mail goes to django.core.mail.outbox so tests can read it.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Hashing with the default PBKDF2 makes user fixtures slow; security is not tested here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No manifest needed: tests do not run collectstatic.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Uploaded files from tests go to a throwaway folder, not the developer's media/.
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# The change feed's settling delay would make sync tests wait.
API_SYNC_SETTLE_SECONDS = 0
# Tests change content straight in the database and read it back at once; the page
# cache's own tests switch it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Every test client posts from the same address; the throttle test sets its own rate.
CMS_REGISTRATION_RATE = "10000/hour"
# Tasks run at once in the test process, whatever the developer's environment says.
TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"  # noqa: F405
# Links in test emails need a fixed, https address, whatever the developer's
# environment says; the values base.py derives from it follow.
SITE_URL = "https://updates.example.org"
SITE_DOMAIN = "updates.example.org"
WAGTAILADMIN_BASE_URL = SITE_URL
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
DEFAULT_FROM_EMAIL = "No Ceasefire No Vote <updates@updates.example.org>"
# Tests never reach the internet: postcodes come from the shipped sample.
POSTCODE_LOOKUP_BACKEND = "offline"
# The tests' webhook receivers listen on 127.0.0.1 over plain http.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
WEBHOOKS_REQUIRE_HTTPS = False
# SQLite test databases are built from the models instead of by replaying every
# migration (about half a minute per test worker); tests/database.py adds the rows
# and the search table the migrations also leave. PostgreSQL keeps running the
# real migrations, which proves them.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False  # noqa: F405
