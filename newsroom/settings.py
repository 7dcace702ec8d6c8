"""
Newsroom settings, driven by environment variables.

Defaults suit a newcomer's laptop only where that cannot hurt production:
SQLite and a local-memory cache yes, debug mode no. See the README for the
full table of variables.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name, default):
    value = os.environ.get(name)
    return float(value) if value else default


def env_addresses(name):
    """[(name, address)] from "Night desk <night@example.org>, ops@example.org"."""
    value = os.environ.get(name, "")
    pairs = getaddresses([value]) if value.strip() else []
    if any("@" not in address for _, address in pairs):
        raise ImproperlyConfigured(
            f"{name}: {value!r} is not a list of email addresses; "
            'write "Name <address>" or a plain address, separated by commas.'
        )
    return [(display or address, address) for display, address in pairs]


def origin_of(url):
    """The scheme and host of an absolute URL ("" for a path such as /media/)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def dev_key_or_refuse(debug):
    # A fixed key is fine on a laptop; in production it would let anyone
    # forge sessions and signed preview links, so refuse to start.
    if debug:
        return "django-insecure-newsroom-development-key-not-for-production"
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
        "Set DJANGO_DEBUG=1 for local development."
    )


def redis_cache(url):
    """CACHES for a Redis at `url` that an outage slows down but never breaks.

    Short socket timeouts keep a hung Redis from stalling a page; while it does
    not answer, every operation is a miss (newsroom/cache.py, docs/deploy.md).
    """
    return {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.25),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "retry_after": env_float("REDIS_RETRY_AFTER", 5.0),
            },
        }
    }


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or dev_key_or_refuse(DEBUG)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Two-factor sign-in: authenticator apps and backup codes (people/second_factor/).
    # Before `people`, whose admin takes their device pages away (admin_accounts.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Full-text search lookups; inert on SQLite (articles/search.py).
    "django.contrib.postgres",
    "django.forms",
    "csp",
    "django_countries",
    "django_prose_editor",
    "newsroom.apps.TagsConfig",  # django-taggit, named "Tags" in the admin
    # Before people.security, whose admin replaces axes' own.
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "newsroom.pagecache",
    "articles.images",
    "articles.autosave",
    "people",
    "people.security",
    "articles",
    "articles.api",
    "articles.webhooks",
    # The task framework (Django 6's django.tasks, backported) and its database
    # queue (`db_worker`); RQ's apps join below with NEWSROOM_TASKS=rq.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so a page served from it gets both headers too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; only /api/ (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether this session passed its second factor; then no admin page without it.
    "django_otp.middleware.OTPMiddleware",
    "people.second_factor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle too long; never touches a reader without a session.
    "people.security.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.ContentLanguageMiddleware",
    # Turns a refused, locked-out sign-in into the lockout page (people/security/lockout.py).
    "axes.middleware.AxesMiddleware",
    # Innermost: a page served from it still passes every middleware above.
    "newsroom.pagecache.middleware.PageCacheMiddleware",
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
                "newsroom.context_processors.publication",
            ],
        },
    },
]

# Widgets may use templates from templates/ too.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------

if not os.environ.get("DATABASE_URL"):
    # The embedded default: a SQLite file in var/, which a fresh clone lacks.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        # A new connection per request costs a PostgreSQL page a few milliseconds;
        # health checks drop one the server closed before a request uses it.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process, the task worker and cron write at once: each transaction
    # takes the write lock when it begins, waiting for it (Django's advice), instead
    # of failing with "database is locked" when a reader turns writer.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # Parameters travel apart from the SQL, so psycopg prepares a statement once
    # it has run five times on this connection and PostgreSQL stops planning it
    # again: a page's queries are the same few, over and over. A pooler in
    # transaction mode that cannot keep prepared statements (PgBouncer before
    # 1.21, or without max_prepared_statements) needs this off (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

# --- Cache ------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = redis_cache(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks: the outbox's worker (docs/webhooks.md, docs/scaling.md) ---------

# `database` (the default): tasks are rows in this database, run by `manage.py
# db_worker`. `rq`: RQ on REDIS_URL, run by `manage.py rqworker`. `immediate`: run
# in the process that queues them, after commit (development only: no retries).
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if NEWSROOM_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {NEWSROOM_TASKS!r}."
    )
if NEWSROOM_TASKS == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("NEWSROOM_TASKS=rq needs REDIS_URL, the Redis that RQ queues in.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[NEWSROOM_TASKS], "QUEUES": ["default"]}}
if NEWSROOM_TASKS == "rq":
    # django-rq brings `rqworker`; its dashboard stays out of the admin (and its
    # unauthenticated-by-default stats API out of the URLs): `manage.py rqstats`.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    RQ_SHOW_ADMIN_LINK = False
# A message not acknowledged is retried, with exponential backoff, this long.
NEWSROOM_OUTBOX_RETRY_HOURS = env_int("NEWSROOM_OUTBOX_RETRY_HOURS", 24)
# A worker holds a message this long while sending it; past that, it counts as lost.
NEWSROOM_OUTBOX_LEASE_SECONDS = env_int("NEWSROOM_OUTBOX_LEASE_SECONDS", 120)
# Seconds to wait for a receiver to answer.
NEWSROOM_WEBHOOK_TIMEOUT = env_int("NEWSROOM_WEBHOOK_TIMEOUT", 10)
# Failed attempts in a row after which a subscription is switched off, and admins told.
NEWSROOM_WEBHOOK_FAILURE_LIMIT = env_int("NEWSROOM_WEBHOOK_FAILURE_LIMIT", 20)

# --- Caching public pages (docs/caching.md) ------------------------------------

# Anonymous readers' pages served from the cache above, invalidated by surrogate
# keys; on by default in production.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", default=not DEBUG)
# How long a cached page may be kept at most, whatever its keys say.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 600)
# The clock difference allowed between application servers (seconds; 0 for one server).
NEWSROOM_PAGE_CACHE_CLOCK_SKEW = env_float("NEWSROOM_PAGE_CACHE_CLOCK_SKEW", 0.0)
# Cache-Control of public pages: browsers, then shared caches (a proxy or CDN).
# Browsers ask again every time (a 304 from the cache when nothing changed): a
# purge reaches shared caches, never a reader's own copy of a withdrawn story.
NEWSROOM_CACHE_MAX_AGE = env_int("NEWSROOM_CACHE_MAX_AGE", 0)
NEWSROOM_CACHE_S_MAXAGE = env_int("NEWSROOM_CACHE_S_MAXAGE", 600)
NEWSROOM_CACHE_STALE_WHILE_REVALIDATE = env_int("NEWSROOM_CACHE_STALE_WHILE_REVALIDATE", 60)
NEWSROOM_CACHE_STALE_IF_ERROR = env_int("NEWSROOM_CACHE_STALE_IF_ERROR", 86400)
# The header naming a response's surrogate keys: xkey (Varnish), Surrogate-Key
# (Fastly) or Cache-Tag (Cloudflare).
NEWSROOM_SURROGATE_KEY_HEADER = os.environ.get("NEWSROOM_SURROGATE_KEY_HEADER", "xkey")
# Who is told of purges after each change and by `send_purges`: log (no cache in
# front), varnish, fastly, cloudflare, or a dotted path (newsroom/pagecache/backends.py).
NEWSROOM_PURGE_BACKEND = os.environ.get("NEWSROOM_PURGE_BACKEND", "log")
NEWSROOM_PURGE_TIMEOUT = env_float("NEWSROOM_PURGE_TIMEOUT", 2.0)
NEWSROOM_VARNISH_URLS = env_list("NEWSROOM_VARNISH_URLS")
NEWSROOM_FASTLY_SERVICE_ID = os.environ.get("NEWSROOM_FASTLY_SERVICE_ID", "")
NEWSROOM_FASTLY_API_TOKEN = os.environ.get("NEWSROOM_FASTLY_API_TOKEN", "")
NEWSROOM_CLOUDFLARE_ZONE_ID = os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID", "")
NEWSROOM_CLOUDFLARE_API_TOKEN = os.environ.get("NEWSROOM_CLOUDFLARE_API_TOKEN", "")

# --- The read API (docs/api.md) ---------------------------------------------------

# Requests a minute (or /hour, /day) without a key, per client address, and per partner key.
NEWSROOM_API_ANON_RATE = os.environ.get("NEWSROOM_API_ANON_RATE", "60/min")
NEWSROOM_API_PARTNER_RATE = os.environ.get("NEWSROOM_API_PARTNER_RATE", "1200/min")
# Origins whose pages may read the API from a browser (CORS, GET only): a comma-separated
# list such as "https://app.example.org", or "*" for any; none by default.
NEWSROOM_API_CORS_ORIGINS = env_list("NEWSROOM_API_CORS_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = NEWSROOM_API_CORS_ORIGINS == ["*"]
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else NEWSROOM_API_CORS_ORIGINS
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["authorization", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["etag", "last-modified", "retry-after"]

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.api.access.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "articles.api.access.ReaderThrottle",
        "articles.api.access.PartnerThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "articles.api.problems.handle",
    # `?format=` would be a parameter nobody documented: JSON is the only format.
    "URL_FORMAT_OVERRIDE": None,
    # Limits count the client's address: behind the proxy, the one it adds to
    # X-Forwarded-For; otherwise the connection's, so a forged header gains nothing.
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_TLS_PROXY") else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom read API",
    "DESCRIPTION": "Public stories and what they are about. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"TypeOfWorkEnum": "articles.models.TypeOfWork"},
}

# --- Email --------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
# The sender of error reports to ADMINS.
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Error reporting (docs/deploy.md) -------------------------------------------

# Who is mailed a report of each server error: "Name <address>, other@example.org".
ADMINS = env_addresses("DJANGO_ADMINS")
# The same error is mailed at most once in this many minutes (0: every time).
NEWSROOM_ERROR_MAIL_MINUTES = env_int("NEWSROOM_ERROR_MAIL_MINUTES", 15)
# Errors also go to Sentry (or a Sentry-compatible service) when this is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from newsroom.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )

# --- Internationalisation and time ---------------------------------------------

LANGUAGE_CODE = os.environ.get("NEWSROOM_LANGUAGE", "en")
# The newsroom's language with its territory, as OpenGraph's og:locale says it
# ("en_US"); empty for the usual one (en_GB for English, fr_FR for French...).
NEWSROOM_LOCALE = os.environ.get("NEWSROOM_LOCALE", "")
# Stored in UTC; shown in the newsroom's own zone.
USE_TZ = True
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Europe/London")
USE_I18N = True
# One date format in the admin, the newsroom's (newsroom/formats/): Django's own
# "en" formats are American.
FORMAT_MODULE_PATH = ["newsroom.formats"]

# --- Publication --------------------------------------------------------------

NEWSROOM_PUBLICATION_NAME = os.environ.get("NEWSROOM_PUBLICATION_NAME", "Newsroom")
NEWSROOM_GOOGLE_NEWS_URL = os.environ.get("NEWSROOM_GOOGLE_NEWS_URL", "")
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Feeds carry the whole rendered body, not only the standfirst (docs/feeds-and-sitemaps.md).
NEWSROOM_FEED_FULL_TEXT = env_bool("NEWSROOM_FEED_FULL_TEXT")
# The publisher logo in structured data, a path under static/ (docs/structured-data.md).
NEWSROOM_PUBLISHER_LOGO = os.environ.get("NEWSROOM_PUBLISHER_LOGO", "img/publisher-logo.png")
# How long a share-preview link to a draft works (docs/workflow.md).
NEWSROOM_SHARE_PREVIEW_HOURS = env_int("NEWSROOM_SHARE_PREVIEW_HOURS", 48)

# --- Mentions and the plain-text importer (docs/mentions.md) ----------------------

# Attach every person, organisation and country a story names on each admin save,
# instead of waiting for the journalist to click "Attach".
NEWSROOM_AUTO_ATTACH_MENTIONS = env_bool("NEWSROOM_AUTO_ATTACH_MENTIONS")
# Names also written as ordinary lowercase words, matched only as written
# (added to people.mentions.CASE_SENSITIVE_NAMES), e.g. "Chad,Jersey".
NEWSROOM_MENTIONS_CASE_SENSITIVE_NAMES = env_list("NEWSROOM_MENTIONS_CASE_SENSITIVE_NAMES")
NEWSROOM_IMPORT_MAX_BYTES = env_int("NEWSROOM_IMPORT_MAX_BYTES", 1024 * 1024)
NEWSROOM_IMPORT_DEFAULT_SECTION = os.environ.get("NEWSROOM_IMPORT_DEFAULT_SECTION", "news")
# Whole lines (regular expressions, case-insensitive) that are site furniture,
# dropped wherever they appear.
NEWSROOM_IMPORT_FURNITURE_LINES = [r"Follow .+ on Google News\.?"]
# A line matching one of these ends the story: it and everything after it go.
NEWSROOM_IMPORT_END_LINES = [r"Our partners:?"]

# --- Security -------------------------------------------------------------------

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS proxy its headers are believed: the scheme, and the client's
# address in the security log (people/security/events.py).
NEWSROOM_BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
if NEWSROOM_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default: a newcomer trying the site over plain HTTP is never told by their
# browser to refuse it for a year. Production turns both on (docs/deploy.md).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")

# Every page: scripts, styles, fonts and frames from this site only, and no inline
# script or style attribute. Public pages need no nonce, so the page cache can keep them
# whole; admin pages whose widgets write an inline import map (the rich-text
# editor) ask for one (newsroom/csp.py). Pictures may also come from the media
# origin (object storage) and the extra sources listed in NEWSROOM_CSP_IMG_SRC.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The one stylesheet the rich-text editor (Tiptap) writes into the page
        # itself; tests/test_security_headers.py checks it against the installed
        # editor, so an upgrade that changes it says so.
        "style-src": [SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": [
            SELF,
            *filter(None, [origin_of(os.environ.get("DJANGO_MEDIA_URL", ""))]),
            *env_list("NEWSROOM_CSP_IMG_SRC"),
        ],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features the newsroom never uses, refused to every page and
# anything it embeds. Passkeys (publickey-credentials-*) keep their default, self.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}
# How many proxies in front append to X-Forwarded-For: 1 for the TLS proxy alone,
# 2 for the TLS proxy and then Varnish (docs/deploy.md).
NEWSROOM_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 1)

# Sessions: the cookie's flags are Django's (HttpOnly, SameSite=Lax), Secure as above;
# a signed-in session ends after this long without a request (people/security/middleware.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
NEWSROOM_STAFF_IDLE_MINUTES = env_int("NEWSROOM_STAFF_IDLE_MINUTES", 8 * 60)

# Sign-in throttling with django-axes (people/security/lockout.py, docs/deploy.md):
# a username is locked after this many failures from any address, and an address
# after as many failures for any usernames, until that long after the last one.
NEWSROOM_LOGIN_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 10)
NEWSROOM_LOGIN_LOCKOUT_MINUTES = env_int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 30)
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = NEWSROOM_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=NEWSROOM_LOGIN_LOCKOUT_MINUTES)
# Each parameter on its own (not combined): a username whichever addresses try it,
# an address whatever usernames it tries.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A refused attempt while locked does not restart the clock, so the page can say
# when to try again; the counters are not reset by a success, which an attacker
# with an account of their own could otherwise use to clear their address.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "people.security.lockout.lockout_response"
# One rule for the client's address, the security log's (people/security/events.py).
AXES_CLIENT_IP_CALLABLE = "people.security.events.client_address"
# Sign-ins are in the security log already.
AXES_DISABLE_ACCESS_LOG = True
# Not verbose: its banner would open the output of every management command.
AXES_VERBOSE = False

# Two-factor sign-in (docs/deploy.md): editors and superusers must have an
# authenticator app to use the admin; journalists may choose to.
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA", default=not DEBUG)
# The name people see for this newsroom in their authenticator app.
OTP_TOTP_ISSUER = NEWSROOM_PUBLICATION_NAME

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Static and media files -------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Production serves static files through WhiteNoise under content-hashed names,
# cached for a year (docs/deploy.md); that needs `collectstatic` first, so
# development and the test suite read the source files instead.
HASHED_STATIC = env_bool("NEWSROOM_HASHED_STATIC", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if HASHED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if HASHED_STATIC:
    # Right after SecurityMiddleware, as WhiteNoise's documentation asks.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# Image uploads: refused above these, before any pixel is decoded (docs/media.md).
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 50_000_000)
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 25 * 1024 * 1024)

# --- Third-party ---------------------------------------------------------------

TAGGIT_CASE_INSENSITIVE = True

# --- Logging ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Django's mail_admins, sending each distinct error once per interval.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "newsroom.errors.ThrottledAdminEmailHandler",
        },
    },
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
