"""Settings shared by every environment.

Everything lives here; dev.py, test.py and production.py only override. Values that
differ between machines come from the environment (see .env.example).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file in the project folder is read when present, so a developer can keep
# local overrides out of their shell profile. Real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------ core
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "network.User"

# ------------------------------------------------------------------ apps
INSTALLED_APPS = [
    # Project apps come first so their templates override the libraries'.
    "network",
    "cms",
    "cms.updates",
    "api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Libraries
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",  # its AbstractAPIKey; api.PartnerKey is the model used
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "network.middleware.AdminRequiresMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# ------------------------------------------------------------------ database
# SQLite in the project folder is the zero-setup default; production and CI set
# DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)

# ------------------------------------------------------------------ email
# EMAIL_URL picks the backend: console:// prints mail, smtp://host:port sends it.
# django-environ names the console and in-memory backends consolemail:// and
# memorymail://; the shorter console:// and memory:// are accepted too.
EMAIL_URL = env.str("EMAIL_URL", default="console://")
_EMAIL_SCHEME_ALIASES = {"console": "consolemail", "memory": "memorymail"}
_scheme, _sep, _rest = EMAIL_URL.partition("://")
vars().update(
    env.email_url_config(f"{_EMAIL_SCHEME_ALIASES.get(_scheme, _scheme)}://{_rest}")
)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="No Ceasefire No Vote <updates@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------ auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "account_login"

# ------------------------------------------------------------------ i18n
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------ static & media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ------------------------------------------------------------------ wagtail
WAGTAIL_SITE_NAME = "No Ceasefire No Vote"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx"]
# Embeds would load third-party scripts and trackers; the site serves everything
# itself, so editors link out instead.
WAGTAILEMBEDS_FINDERS = []

# ------------------------------------------------------------------ REST framework
# Global defaults stay permissive because Wagtail's own API views inherit them;
# every viewset in api/ sets its own authentication and permission classes.
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# ------------------------------------------------------------------ partner API
# Request rates (DRF notation: N/second, minute, hour or day). Each partner
# organisation sets its own keys' rate in the admin.
API_THROTTLE_ANON = env("API_THROTTLE_ANON", default="60/minute")
API_THROTTLE_USER = env("API_THROTTLE_USER", default="600/minute")
# The change feed holds back rows changed in the last few seconds, whose
# transactions may not have committed, so a partner syncing never skips one.
API_SYNC_SETTLE_SECONDS = env.int("API_SYNC_SETTLE_SECONDS", default=2)
SPECTACULAR_SETTINGS = {
    "TITLE": "No Ceasefire No Vote partner API",
    "DESCRIPTION": (
        "Independent councillors, candidates and campaigners of the No Ceasefire "
        "No Vote network, the UK areas they serve, and the elections they stand "
        "in. Send your key as `Authorization: Api-Key <key>`; without one you "
        "get public data at a low rate. See docs/api.md in the project."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_partner_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AreaTypeEnum": "network.models.areas.AreaType",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# ------------------------------------------------------------------ logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail queues search-index and reference-index updates as tasks; one
        # INFO line per task drowns everything else.
        "django_tasks": {"level": "WARNING"},
    },
}

# ------------------------------------------------------------------ updates
# Background tasks (the Django tasks API). Wagtail queues its own index updates here
# too. Immediate (in the request) unless TASKS_BACKEND says otherwise; production
# uses the database backend, worked by `manage.py db_worker` (see docs/updates.md).
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default", "updates"],
    }
}
# The site's public address, for links in emails: https in production.
UPDATES_BASE_URL = env("UPDATES_BASE_URL", default=WAGTAILADMIN_BASE_URL)
UPDATES_CONFIRM_MAX_AGE = env.int("UPDATES_CONFIRM_MAX_AGE", default=7 * 24 * 3600)
# At most one confirmation email per address in this many seconds.
UPDATES_CONFIRM_RESEND_AFTER = env.int("UPDATES_CONFIRM_RESEND_AFTER", default=900)
# Sign-up (and new-link) requests allowed per IP address per window (seconds).
UPDATES_SIGNUP_LIMIT = env.int("UPDATES_SIGNUP_LIMIT", default=10)
UPDATES_SIGNUP_WINDOW = env.int("UPDATES_SIGNUP_WINDOW", default=3600)
# Messages sent over one SMTP connection before it is closed and reopened.
UPDATES_BATCH_SIZE = env.int("UPDATES_BATCH_SIZE", default=200)
# Attempts per recipient in all, and the wait before a later run retries failures.
UPDATES_MAX_ATTEMPTS = env.int("UPDATES_MAX_ATTEMPTS", default=3)
UPDATES_RETRY_DELAY = env.int("UPDATES_RETRY_DELAY", default=300)

# ------------------------------------------------------------------ accounts & MFA
# django-allauth signs people in by email address (password or an emailed one-time
# code), verifies addresses, resets passwords and adds TOTP with recovery codes.
# Nobody signs up freely: accounts come from invitations (network/members/).
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "network.members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Responses to sign-in, reset and sign-up never say whether an address has an
# account (this is allauth's default; stated here because the project relies on it).
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins: at most 10 a minute from one address and 5 in 5 minutes for
# one account; the rest of allauth's defaults (reset, codes, sign-up) stand.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[No Ceasefire No Vote] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
LOGIN_REDIRECT_URL = "/network/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "No Ceasefire No Vote"
# Who must have an authenticator before the admin opens: anyone who may reach it
# (editors, coordinators, superusers). Set to False only on a throwaway copy.
ADMIN_REQUIRES_MFA = env.bool("ADMIN_REQUIRES_MFA", default=True)
# Passwords are changed and reset through allauth only (one enumeration-safe,
# rate-limited path); the admin's own forms for these are switched off.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# ------------------------------------------------------------------ project
# Where the shipped open data lives (areas, hex layout, postcode sample).
NETWORK_DATA_DIR = BASE_DIR / "network" / "data"

# ------------------------------------------------------------------ stances & postcodes
# Postcode lookup for "where they stand": "postcodes.io" asks the HTTP service,
# "offline" reads the shipped sample (development and tests; see network/postcodes.py).
POSTCODE_LOOKUP_BACKEND = env("POSTCODE_LOOKUP_BACKEND", default="postcodes.io")
POSTCODES_IO_URL = env("POSTCODES_IO_URL", default="https://api.postcodes.io")
# Seconds to wait before telling the visitor the lookup is down.
POSTCODES_IO_TIMEOUT = env.float("POSTCODES_IO_TIMEOUT", default=2.0)
POSTCODE_CACHE_SECONDS = env.int("POSTCODE_CACHE_SECONDS", default=7 * 24 * 3600)
# Which election /where-they-stand/ shows: a Democracy Club id such as
# parl.2024-07-04. Empty means the latest UK Parliament election with candidates.
STANCES_ELECTION_ID = env("STANCES_ELECTION_ID", default="")
