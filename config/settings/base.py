"""Settings shared by every environment.

Everything lives here; dev.py, test.py and production.py only override. Values that
differ between machines come from the environment (see .env.example).
"""

from pathlib import Path
from urllib.parse import urlsplit

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

# ------------------------------------------------------------------ public address
# The one address the public reaches the site at: every absolute URL built outside
# a request, and most built inside one, starts with it (emails, feeds, sitemap,
# calendars, sharing tags, the admin's links, the Wagtail site's host and port), and
# its host name is the domain of Message-IDs, List-Id and the default sender.
# `make run` sets it from PORT; production requires an https address.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}")
SITE_URL = SITE_URL.rstrip("/")
# Its host name: the domain of Message-IDs, List-Id and the default sender.
SITE_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"

# ------------------------------------------------------------------ apps
INSTALLED_APPS = [
    # Project apps come first so their templates override the libraries'.
    "network",
    "updates",
    "campaign",
    "cms",
    "api",
    "ops",
    # Wagtail
    # Editors translate pages in the admin (wagtail-localize: translation side by
    # side with the source, kept in step when the source changes).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
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
    "csp",
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
    "ops.requestid.RequestIdMiddleware",
    "ops.health.HealthCheckMiddleware",
    # Pages go out compressed (WhiteNoise compresses the static files itself): the
    # where-they-stand page's map is 170 KB of markup, 23 KB gzipped. Django's
    # gzip pads its output against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.csp.ContentSecurityPolicyMiddleware",
    # A NUL in the address, a parameter or a header is a 400 here, before the page
    # cache, the session or any view could take it to the database.
    "ops.badinput.RejectNullCharactersMiddleware",
    # An arrival on an English address goes to the visitor's language (their
    # earlier choice, else Accept-Language) before the page cache answers.
    "ops.i18n.FirstVisitLanguageMiddleware",
    "ops.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address (/ur/...); English has no prefix.
    "django.middleware.locale.LocaleMiddleware",
    # ...except the member area and sign-in, which have one address: the reader's
    # earlier choice, else Accept-Language (ops/i18n.py).
    "ops.i18n.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Oversized bodies are refused here, from Content-Length, before anything reads
    # them; after authentication because signed-in uploaders may send more.
    "ops.requestsize.RequestBodyLimitMiddleware",
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
                "cms.context_processors.site",
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
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast (and answer 503 on /healthz) rather than hang when the server is gone.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one connection write at a time. Left to its defaults, a
    # transaction that reads and then writes (the last place at an event, a
    # versioned profile save) fails at once with "database is locked" when another
    # wrote meanwhile, and no timeout helps. BEGIN IMMEDIATE takes the write lock
    # at the start instead, so concurrent writers queue, up to `timeout` seconds
    # (below gunicorn's request limit). WAL lets pages be read while one writes;
    # synchronous=NORMAL is safe with WAL against a crashed process (a power cut
    # may lose the last commits; SQLite is not for production anyway).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

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
# Seconds to wait on the mail server: a slow one must not hold a web process (the
# registration email goes out during the request) until gunicorn kills it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default=f"No Ceasefire No Vote <updates@{SITE_DOMAIN}>"
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
# Accounts reach special-category data: at least 12 characters (three random
# words fit), checked wherever a password is set.
AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] = {"min_length": 12}
LOGIN_URL = "account_login"

# ------------------------------------------------------------------ i18n
# English (the default, addresses without a prefix), Welsh, and the languages
# of the campaign's strongholds: Urdu (right to left), Bengali and Punjabi in
# Gurmukhi. Names in English here (Django and the admin show them); the public
# switcher names each in itself (ops/i18n.py).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Welsh"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("pa", "Punjabi"),
]
TIME_ZONE = "Europe/London"
USE_I18N = True
# The site's catalogues (locale/<language>/LC_MESSAGES/django.po, see
# docs/translating.md). en_GB also rewords django-allauth's Title Case ("Confirm
# Access") in sentence case like the rest of the site.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages and their translations: one page tree per language in the admin.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_TZ = True

# ------------------------------------------------------------------ static & media
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Media storage keeps profile photos out of the public image folders, under random
# names, and links them to a view that checks who asks (ops/storage.py).
STORAGES = {
    "default": {"BACKEND": "ops.storage.FileSystemMediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Media on S3-compatible object storage when a bucket is named (django-storages;
# install with `pip install -e ".[s3]"`). Objects are private: documents go through
# Wagtail's permission-checking view; images are public through a bucket policy on
# the images/ and original_images/ prefixes (see docs/deployment.md); profile
# photos live under profile_photos/, outside that policy, and the site reads them
# with its own credentials for the photo view.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "ops.storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
# With media on local disk, the site serves image files itself (documents never:
# they go through the permission check; profile photos never: they go through
# the photo view). A proxy in front may serve /media/images/ and
# /media/original_images/ instead.
SERVE_MEDIA_IMAGES = env.bool("SERVE_MEDIA_IMAGES", default=not AWS_STORAGE_BUCKET_NAME)
WHITENOISE_MAX_AGE = 60 * 60
# WhiteNoise's own list of types lacks the web manifest's.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ------------------------------------------------------------------ wagtail
WAGTAIL_SITE_NAME = "No Ceasefire No Vote"
# Links in the admin's notification emails.
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Every document download passes Wagtail's view, which checks collection privacy,
# even when the file lives in object storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx"]
# Embeds would load third-party scripts and trackers; the site serves everything
# itself, so editors link out instead.
WAGTAILEMBEDS_FINDERS = []

# ------------------------------------------------------------------ campaign site
# The privacy notice, linked beside every consent box and from the footer. The
# demo and a new site keep it as a page at /privacy/; a site that moves it says
# where here.
PRIVACY_NOTICE_URL = env("PRIVACY_NOTICE_URL", default="/privacy/")
# How many event registrations one client address may send, e.g. "10/hour".
CMS_REGISTRATION_RATE = env("CMS_REGISTRATION_RATE", default="10/hour")
# An address registered again is told so at most once in this many seconds: the
# form takes no CSRF token, so it must not be a way to flood someone's inbox.
CMS_ALREADY_REGISTERED_EMAIL_AFTER = env.int(
    "CMS_ALREADY_REGISTERED_EMAIL_AFTER", default=900
)

# ------------------------------------------------------------------ REST framework
# Global defaults stay permissive because Wagtail's own API views inherit them;
# every viewset in api/ sets its own authentication and permission classes.
# How many proxies in front of the site append to X-Forwarded-For. Throttles tell
# clients apart by address: 0 uses the connecting address; behind one proxy (the
# usual install), 1 takes the address that proxy appended, which a client cannot
# forge. Used by the API's throttles and ops.throttle alike.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)
# allauth's limits on sign-in, reset and code requests count per address too: the
# same count of proxies, or behind a proxy every visitor shares the proxy's address
# and ten failed sign-ins lock everyone out.
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
REST_FRAMEWORK = {
    "NUM_PROXIES": NUM_PROXIES,
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
# Pages of the unfiltered people list are kept in the cache until a person's
# answer changes (api/answers.py); this bounds how long one may outlive a change
# whose notice the cache missed. 0 turns keeping them off.
API_LIST_CACHE_SECONDS = env.int("API_LIST_CACHE_SECONDS", default=60)
# Where partners ask for a key; the API's documentation page names it. Left
# empty, the page sends them to the contact address in the site's footer.
API_CONTACT_EMAIL = env("API_CONTACT_EMAIL", default="")
SPECTACULAR_SETTINGS = {
    "TITLE": "No Ceasefire No Vote partner API",
    # The partner's guide at the top of the docs page: api/schema.py renders it
    # from templates/api/partner_guide.md with this site's rates and contact.
    "VERSION": "1",
    # 3.1: a nested object that may be null is a `oneOf` with `null`, which
    # validators and client generators read as intended (3.0's `nullable` beside
    # `allOf` is ignored by both).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Paths relative to the API's root, which the one server names: generated
    # clients take `https://<site>/api/v1` as their base address.
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVERS": [{"url": "/api/v1", "description": "This site's partner API."}],
    "PREPROCESSING_HOOKS": ["api.schema.only_partner_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.finish_document",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AreaTypeEnum": "network.models.areas.AreaType",
        "StanceStateEnum": "campaign.selectors.StanceState",
        "StancePositionEnum": "campaign.models.Position",
        "StanceKindEnum": "campaign.models.StanceKind",
        "AskMethodEnum": "campaign.models.AskMethod",
        "WebhookEventTypeEnum": "api.webhooks.models.EventType",
        "WebhookDeliveryStatusEnum": "api.webhooks.models.DeliveryStatus",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# ------------------------------------------------------------------ logging
# One line per event on stdout. LOG_FORMAT=json (production's default) writes a
# JSON object per line; plain is for reading in a terminal. Both carry the request
# id and mask personal data and secrets (ops/logging.py).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "ops.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default handlers, among them the one that mails
        # tracebacks with the request's details to ADMINS.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Wagtail queues search-index and reference-index updates as tasks; one
        # INFO line per task drowns everything else.
        "django_tasks": {"level": "WARNING"},
    },
}

# ------------------------------------------------------------------ cache
# Redis (Django's own backend) when REDIS_URL is set: shared by every web and worker
# process, so page cache purges and API throttles hold across them. Without it,
# each process keeps its own in-memory cache, which is enough for one process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, made to treat an unreachable Redis as a miss.
            "BACKEND": "ops.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="ncnv"),
            "TIMEOUT": 300,
            # A stalled Redis must not stall the site: give up after a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            # Keys that count or lock, kept in each process's memory while Redis
            # is down (ops/cache.py): a miss would make allauth refuse every
            # sign-in (it cannot take its rate-limit lock) and accept a used
            # authenticator code again, and the throttles would stop counting.
            "LOCAL_FALLBACK_KEY_PREFIXES": [
                "allauth:rl:",  # allauth's rate limits and their locks
                "allauth.mfa.totp.used",  # authenticator codes already used
                "api-throttle:",  # api/throttles.py
                "throttle:",  # ops/throttle.py: the public forms
            ],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# ------------------------------------------------------------------ page cache
# Anonymous reads of public pages are kept whole in the cache and dropped when an
# editor publishes (ops/pagecache.py). 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
PUBLIC_PAGE_CACHE_EXCLUDE_PREFIXES = [
    "/admin/",
    "/api/",
    "/accounts/",
    "/network/",
    "/documents/",
    "/media/",
    "/static/",
]

# ------------------------------------------------------------------ security
# Content-Security-Policy (django-csp): everything from this site only, no inline
# script or style, no framing, forms post only here. The Wagtail admin gets the
# looser directives below (ops/csp.py); the API documentation keeps the strict one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
CSP_ADMIN_URL_PREFIXES = ["/admin/"]
CSP_ADMIN_DIRECTIVES = {
    # Wagtail's admin sets style attributes and a few inline scripts; its page
    # preview shows the page in a frame of the admin itself.
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Wagtail's admin would fetch avatars from Gravatar (sending a hash of each
# editor's email address to a third party) and check for new releases online.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# ------------------------------------------------------------------ updates
# Background tasks (the Django tasks API). Wagtail queues its own index updates here
# too. Immediate (in the request) unless TASKS_BACKEND says otherwise; production
# uses the database backend, worked by `manage.py db_worker` (see docs/updates.md).
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default", "updates", "webhooks"],
    }
}
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
# Seconds a sender's claim on a mailing lasts unless renewed (it renews every
# quarter of this while it works). A killed worker's claim runs out, and a running
# `db_worker` then resumes the mailing: the longer this, the longer a stranded
# mailing waits; it must stay above what one message can take (EMAIL_TIMEOUT for
# each step of the SMTP exchange).
UPDATES_SENDER_LEASE = env.float("UPDATES_SENDER_LEASE", default=120)
# On PostgreSQL, the sender's per-message statement is prepared once per
# connection (planning it each time cost as much as running it). Turn off behind
# a transaction-mode pooler that does not keep prepared statements (PgBouncer
# before 1.21, or with max_prepared_statements = 0).
UPDATES_SENDER_PREPARE = env.bool("UPDATES_SENDER_PREPARE", default=True)

# ------------------------------------------------------------------ pledge and asks
# Pledges (and asks) per client address: a burst limit and a sustained one. Over
# either, a pledge is held (kept, not counted); the visitor's answer is the same.
PLEDGE_BURST_LIMIT = env.int("PLEDGE_BURST_LIMIT", default=5)
PLEDGE_BURST_WINDOW = env.int("PLEDGE_BURST_WINDOW", default=60)
PLEDGE_SUSTAINED_LIMIT = env.int("PLEDGE_SUSTAINED_LIMIT", default=20)
PLEDGE_SUSTAINED_WINDOW = env.int("PLEDGE_SUSTAINED_WINDOW", default=3600)
# Hours the client address's hash and network prefix are kept on a pledge or ask
# (long enough to find and undo a flood, then cleared).
PLEDGE_CLIENT_RETENTION_HOURS = env.int("PLEDGE_CLIENT_RETENTION_HOURS", default=72)
# Confirmations in one constituency within the window that alert coordinators.
PLEDGE_SPIKE_THRESHOLD = env.int("PLEDGE_SPIKE_THRESHOLD", default=250)
PLEDGE_SPIKE_WINDOW = env.int("PLEDGE_SPIKE_WINDOW", default=3600)
# Seconds a pledge or ask confirmation link works.
PLEDGE_CONFIRM_MAX_AGE = env.int("PLEDGE_CONFIRM_MAX_AGE", default=14 * 24 * 3600)
# The campaign's last day: after it, pledges and asks are anonymised (counts kept).
# (ISO date, e.g. 2027-05-31; empty: not set, nothing is anonymised.)
CAMPAIGN_ENDS_ON = env("CAMPAIGN_ENDS_ON", default="") or None
# Days between two asks from one constituent to one candidate.
ASK_INTERVAL_DAYS = env.int("ASK_INTERVAL_DAYS", default=7)

# ------------------------------------------------------------------ webhooks
# Partners' webhook endpoints (api/webhooks/, docs/api.md). Addresses must be
# https; private, loopback and link-local ones are refused (see targets.py).
WEBHOOKS_REQUIRE_HTTPS = env.bool("WEBHOOKS_REQUIRE_HTTPS", default=True)
# Lets loopback receivers through, for development and tests only: production
# settings refuse to start with it.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool(
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False
)
# Seconds to wait for a receiver to answer.
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10)
# Attempts per delivery in all; the wait after the first failure, doubled after
# each (at most the maximum).
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=12)
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
WEBHOOKS_RETRY_MAX_SECONDS = env.int("WEBHOOKS_RETRY_MAX_SECONDS", default=6 * 3600)
# An endpoint failing this many days without a success is disabled, and its
# partner's contact emailed.
WEBHOOKS_DISABLE_AFTER_DAYS = env.int("WEBHOOKS_DISABLE_AFTER_DAYS", default=5)
# After a secret is rotated, the old one also signs for this many hours.
WEBHOOKS_SECRET_GRACE_HOURS = env.int("WEBHOOKS_SECRET_GRACE_HOURS", default=24)
# A sender's claim on a delivery; one left "sending" longer is sent again (with
# the same webhook-id). Must exceed WEBHOOKS_TIMEOUT_SECONDS.
WEBHOOKS_SENDER_LEASE = env.float("WEBHOOKS_SENDER_LEASE", default=60)

# Checks `manage.py db_worker` runs in a thread while it works a queue:
# (queue, dotted path of the function, seconds between runs).
WORKER_CHECKS = [
    ("webhooks", "api.webhooks.tasks.webhooks_resume", WEBHOOKS_SENDER_LEASE / 2),
]

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
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    # The member area's own public forms.
    "join_request": "5/h/ip",
    "invitation_accept": "20/h/ip",
}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[No Ceasefire No Vote] "
# allauth builds its emails' links from the request; the scheme follows SITE_URL.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.partition("://")[0]
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
# Private pages and documents send visitors to allauth's sign-in (second factor,
# rate limits), not to Wagtail's front-end one, which takes a password alone;
# config/urls.py sends that one's address (/_util/login/) here too.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"

# Profile photos members upload (network/members/photos.py).
PROFILE_PHOTO_MAX_BYTES = 5 * 1024 * 1024
PROFILE_PHOTO_MAX_PIXELS = 25_000_000
PROFILE_PHOTO_MAX_SIDE = 800

# ------------------------------------------------------------------ request size
# The largest request body the site reads, checked from Content-Length before any
# of it is read (ops/requestsize.py answers 413). Public forms are a few kilobytes
# (a join statement of 3,000 characters is at most 36 KB encoded), so a visitor who
# is not signed in, or a partner key, may send this much anywhere:
REQUEST_BODY_MAX_ANONYMOUS = env.int("REQUEST_BODY_MAX_ANONYMOUS", default=128 * 1024)
# Signed-in users may send more where they upload, by path prefix (the longest
# match wins), with room for the form around the file: the admin takes images and
# documents, the member area a profile photo, /api/v1/me/ a profile as JSON.
_FORM_ROOM = 1024 * 1024
REQUEST_BODY_MAX_SIGNED_IN = {
    "/admin/": max(WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILDOCS_MAX_UPLOAD_SIZE)
    + _FORM_ROOM,
    "/network/": PROFILE_PHOTO_MAX_BYTES + _FORM_ROOM,
    "/api/": _FORM_ROOM,
}
# Form fields and JSON (everything but files) Django will parse from one request;
# beyond it Django answers 400. Django's own default, written down because the
# limits above rely on it: the admin's page editor posts the largest forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded file larger than this is written to a temporary file as it arrives
# instead of being held in memory, so a few uploads at once cannot exhaust a web
# process's memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

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
# Postcode searches one address may make per minute on /where-they-stand/.
POSTCODE_LOOKUPS_PER_MINUTE = env.int("POSTCODE_LOOKUPS_PER_MINUTE", default=20)
