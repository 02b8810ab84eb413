"""Settings for Covidarnost, read from environment variables.

With no environment at all the app runs the demo on SQLite with Celery tasks executed eagerly,
so a newcomer needs no services. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from covidarnost.shadowing import hide_app_from_optional_imports

BASE_DIR = Path(__file__).resolve().parent.parent

hide_app_from_optional_imports()

env = environ.Env()
# A local .env is convenient in development; real deployments pass variables directly.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
            "or DEBUG=1 for local development."
        )
    # Development only: sessions do not survive a restart, which is acceptable for a demo.
    SECRET_KEY = "dev-insecure-" + "x" * 50  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "users",
    "neighbors",
    "volunteers",
    "requests.apps.RequestsConfig",
    "notifications",
    "intake",
    "demo",
    "printing.apps.PrintingConfig",
    "hotline",
    "recurring",
    "desk",
    "privacy",
    # Import of blocks and volunteers from files, with a dry run; exports to CSV and XLSX.
    "import_export",
    "impex",
    # Invite links, sign-up through them, and password help for members.
    "onboarding",
    # Audit of changes to people and roles (privacy/audit.py), personal fields masked.
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their long cache; every page and API answer
    # after it may carry personal data and is never stored by a browser or proxy.
    "covidarnost.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the actor of audited changes (web, admin, API tokens); no client address (below).
    "privacy.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end after their idle and absolute limits (staff 30 min / 12 h, volunteers 14 d).
    "users.middleware.SessionLifetimeMiddleware",
    # request.user.is_verified(): whether this session confirmed a one-time code.
    "django_otp.middleware.OTPMiddleware",
    # Staff must confirm one before anything else (permissions.needs_second_factor).
    "users.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "covidarnost.urls"
WSGI_APPLICATION = "covidarnost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "desk.context_processors.staff_nav",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# No DATABASE_URL: an SQLite file next to manage.py (the embedded demo default).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker -------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: a Redis outage must not hang a page for the default 20+ s.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker the demo runs every task inline, so no worker is needed.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Workers log through LOGGING below (JSON lines in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest countdown/ETA we use (offer windows, reminders), else Redis
    # would redeliver a task that is still waiting for its time.
    "visibility_timeout": 6 * 60 * 60,
    "socket_connect_timeout": 1,
    # Above kombu's 1 s BRPOP poll, below the 2 s a helper may wait when Redis hangs
    # (bench/enqueue_down.py prints the time).
    "socket_timeout": 1.5,
    # Enqueueing must fail fast when Redis is down; the sweeper re-enqueues later.
    "max_retries": 1,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Europe/Moscow")
# One quick retry when publishing, then give up: a request is saved even with Redis down, and
# the sweeper (below) enqueues its matching later. Kombu's default would retry for seconds.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Tests that kill a worker shorten this to see the unacknowledged task come back quickly.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
)
if env.str("CELERY_UNACKED_RESTORE_INTERVAL", default=""):
    # How often a worker looks for such tasks (kombu default: about every 100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"] = env.int(
        "CELERY_UNACKED_RESTORE_INTERVAL"
    )
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1

# --- Recurring requests (recurring.services) ---------------------------------------------
# How long before its due time each occurrence becomes a request (and is offered).
RECURRING_LEAD_HOURS = env.int("RECURRING_LEAD_HOURS", default=24)

# --- Matching and reminders (requests.matching, requests.tasks) ---------------------------
MATCHING = {
    # How long the offered volunteer has to answer before the next candidate gets it.
    "OFFER_WINDOW_MINUTES": {
        "normal": env.int("MATCHING_OFFER_WINDOW_MINUTES", default=15),
        "urgent": env.int("MATCHING_URGENT_OFFER_WINDOW_MINUTES", default=5),
    },
    # Offers per round (a round starts each time the request becomes open) before organizers
    # are alerted; the request stays in the open list either way.
    "MAX_OFFERS": env.int("MATCHING_MAX_OFFERS", default=5),
    # Nearest volunteers considered per match (after the block's own volunteers).
    "CANDIDATES": env.int("MATCHING_CANDIDATES", default=20),
    "DEFAULT_RADIUS_KM": 3,
    # score = -DISTANCE_KM × km - WORKLOAD × open/max + SKILL × skills + LANGUAGE × language.
    "WEIGHTS": {
        "DISTANCE_KM": env.float("MATCHING_WEIGHT_DISTANCE_KM", default=1.0),
        "WORKLOAD": env.float("MATCHING_WEIGHT_WORKLOAD", default=1.0),
        "SKILL": env.float("MATCHING_WEIGHT_SKILL", default=0.5),
        "LANGUAGE": env.float("MATCHING_WEIGHT_LANGUAGE", default=0.5),
    },
    # A claimed request without due date is due this long after the claim.
    "DEFAULT_DUE_HOURS": {"normal": 24, "urgent": 4},
    # After the due time, the volunteer is reminded; this much later organizers are alerted.
    "OVERDUE_ALERT_HOURS": 2,
    # Isolated neighbours not contacted for this long go on the weekly check-in list.
    "CHECKIN_AFTER_DAYS": 7,
    "SWEEP_SECONDS": env.int("MATCHING_SWEEP_SECONDS", default=60),
    # PostgreSQL: matching runs one prepared statement per connection (planning cost more than
    # running it). A pooler in transaction mode (PgBouncer) loses them: set this to 0 there.
    "PREPARED": env.bool("MATCHING_PREPARED", default=True),
}

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = ["users.backends.UsernameOrPhoneBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/tasks/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)

# --- Languages and time -------------------------------------------------------------------
# Map of blocks on the organizer's desk. Off by default: without a tile server the page is a
# list and the browser asks no other host. With one, e.g.
# MAP_TILE_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png and an attribution that the
# server's terms require, the page loads Leaflet (served from static/) and those tiles.
MAP_TILES = {
    "URL": env.str("MAP_TILE_URL", default=""),
    "ATTRIBUTION": env.str("MAP_TILE_ATTRIBUTION", default=""),
    "MAX_ZOOM": env.int("MAP_TILE_MAX_ZOOM", default=19),
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = env.str("PHONENUMBER_DEFAULT_REGION", default="RU")
PHONENUMBER_DB_FORMAT = "E164"

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "build" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "build" / "media")
STORAGES = {
    # Receipt photos are personal data: they are served only through a permission-checked view.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # 1 MB bodies; receipt uploads are files, see below
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@covidarnost.local")

# --- Security -----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading HSTS is a commitment for the whole domain that only its owner can make; without
# it, the W021 reminder of `check --deploy` is expected and would fail CI's --fail-level WARNING.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers and container healthchecks probe over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
# Content-Security-Policy (django-csp 4): our own origin only, no inline script or style, no
# third-party host. data: images are the admin's and Swagger UI's icons (and QR codes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}

# Error reports mailed to ADMINS show no form values, query strings, cookies or addresses.
DEFAULT_EXCEPTION_REPORTER = "covidarnost.error_reports.PersonalDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "covidarnost.error_reports.PersonalDataReporterFilter"
ADMINS = [("Admins", address) for address in env.list("ADMINS", default=[])]

# --- Audit log (django-auditlog) -----------------------------------------------------------
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_MASK_CALLABLE = "privacy.audit.mask_personal"

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "covidarnost.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "covidarnost.api_pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 20,
    # JSON only, size-limited; domain errors mapped to status codes in one place.
    "DEFAULT_PARSER_CLASSES": ["covidarnost.api_parsers.LimitedJSONParser"],
    # JSON answers only (no browsable HTML API): the schema documents every content type.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "covidarnost.api_errors.api_exception_handler",
    # Client address for per-IP limits: REMOTE_ADDR unless this many proxies add X-Forwarded-For
    # (left unset, DRF would trust a client-supplied X-Forwarded-For).
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "auth_ip": env.str("API_THROTTLE_AUTH_IP", default="30/min"),
        "auth_username": env.str("API_THROTTLE_AUTH_FAILURES", default="10/hour"),
        "request_create_user": env.str("API_THROTTLE_CREATE_USER", default="60/min"),
        "request_create_ip": env.str("API_THROTTLE_CREATE_IP", default="120/min"),
    },
}
# Second factor (django-otp, TOTP with recovery codes) for organizers, operators and
# coordinators: on whenever DEBUG is off. A public demo may exempt its own accounts by name.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_EXEMPT_USERNAMES = env.list("TWO_FACTOR_EXEMPT_USERNAMES", default=[])
OTP_TOTP_ISSUER = "Covidarnost"
# Session limits: staff (personal data of the whole group) short, volunteers long but idle-bound.
SESSION_STAFF_IDLE_SECONDS = env.int("SESSION_STAFF_IDLE_SECONDS", default=30 * 60)
SESSION_STAFF_MAX_SECONDS = env.int("SESSION_STAFF_MAX_SECONDS", default=12 * 60 * 60)
SESSION_VOLUNTEER_IDLE_SECONDS = env.int(
    "SESSION_VOLUNTEER_IDLE_SECONDS", default=14 * 24 * 60 * 60
)
# Failed sign-ins from one client address (stored as an HMAC) before it must wait; the web
# form, the admin and the API share it. Per account: API_THROTTLE_AUTH_FAILURES.
LOGIN_CLIENT_FAILURES = env.str("LOGIN_CLIENT_FAILURES", default="50/hour")
# Public forms, per client address (kept only as an HMAC, like the sign-in failures): the
# sign-up form of an invite link and the "forgot password" form.
JOIN_CLIENT_ATTEMPTS = env.str("JOIN_CLIENT_ATTEMPTS", default="10/hour")
PASSWORD_HELP_CLIENT_ATTEMPTS = env.str("PASSWORD_HELP_CLIENT_ATTEMPTS", default="5/hour")
# One-time links to set a new password (issued by an organizer, or emailed) last a day.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)
# API tokens (django-rest-knox): only a hash is stored; each sign-in is a token of its own,
# revoked by POST /api/v1/auth/logout/ or all at once (users.services.user_sign_out_everywhere).
# Staff tokens live as long as a staff session at most; volunteers' for the idle limit below.
API_TOKEN_TTL_VOLUNTEER = timedelta(hours=env.int("API_TOKEN_TTL_VOLUNTEER_HOURS", default=14 * 24))
API_TOKEN_TTL_STAFF = timedelta(hours=env.int("API_TOKEN_TTL_STAFF_HOURS", default=12))
# A staff token unused this long stops working (each call moves it on, up to the TTL above).
API_TOKEN_IDLE_STAFF = timedelta(hours=env.float("API_TOKEN_IDLE_STAFF_HOURS", default=2))
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_TTL_VOLUNTEER,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Covidarnost API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": (
        "Send `Authorization: Token <token>` (from POST /api/v1/auth/token/). Errors are "
        '{"detail": message} or {"field": [messages]}, in the language of Accept-Language. '
        "Unknown body fields are ignored."
    ),
    "COMPONENT_SPLIT_REQUEST": True,
    # Statuses every operation can answer, links between operations (covidarnost.api_schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "covidarnost.api_schema.complete_responses",
    ],
}

# --- Domain settings ----------------------------------------------------------------------
ADMIN_SITE_HEADER = _("Covidarnost: organizers")
# Volunteers' task lists are cached until their group changes, at most this long (0: off).
# Off without Redis: a per-process memory cache would not see other processes' changes.
# See requests/list_cache.py.
TASK_LIST_CACHE_SECONDS = env.int("TASK_LIST_CACHE_SECONDS", default=15 if REDIS_URL else 0)
# Who saw whom (privacy.access_log): the same person shown the same resident through the same
# channel again within the same slot of this many seconds is one row, not one per refresh.
# 0: a row for every view.
ACCESS_LOG_REPEAT_SECONDS = env.int("ACCESS_LOG_REPEAT_SECONDS", default=600)
# Personal details of a delivered task stay visible to its volunteer this long.
DELIVERED_DETAILS_VISIBLE_HOURS = env.int("DELIVERED_DETAILS_VISIBLE_HOURS", default=24)

# --- Printed forms, flyers and route sheets (printing) ------------------------------------
# The fonts every PDF embeds: DejaVu Sans has full Cyrillic (Debian: fonts-dejavu-core).
PRINT_FONT_DIR = env.path("PRINT_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")

# --- Notifications ------------------------------------------------------------------------
# Channels per user preference (volunteer profile), falling back to email, then console.
NOTIFICATIONS = {
    "BACKENDS": {
        "console": "notifications.backends.console.ConsoleBackend",
        "email": "notifications.backends.email.EmailBackend",
        "telegram": "notifications.backends.telegram.TelegramBackend",
        "sms": "notifications.backends.sms.SmsBackend",
        # Volunteers without a smartphone whom no SMS reaches: an operator phones them.
        "call_list": "notifications.backends.call_list.CallListBackend",
    },
    "EMAIL_SUBJECT": _("Covidarnost"),
    # Where a volunteer finds their check-in calls list (linked from the checkin_list message).
    "CHECKIN_LIST_PATH": env.str("CHECKIN_LIST_PATH", default="/checkins/"),
    # Outbound calls to Telegram and the SMS gateway: short, so a worker is never stuck.
    "HTTP_TIMEOUT": env.float("NOTIFICATIONS_HTTP_TIMEOUT", default=5.0),
}
# Telegram bot: empty token disables the channel. The webhook secret is what Telegram sends back
# in X-Telegram-Bot-Api-Secret-Token (set it with `manage.py telegram_set_webhook`).
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_BOT_USERNAME = env.str("TELEGRAM_BOT_USERNAME", default="")
TELEGRAM_API_URL = env.str("TELEGRAM_API_URL", default="https://api.telegram.org").rstrip("/")
TELEGRAM_WEBHOOK_SECRET = env.str("TELEGRAM_WEBHOOK_SECRET", default="")
# How long the account-linking deep link stays valid, in seconds.
TELEGRAM_LINK_MAX_AGE = env.int("TELEGRAM_LINK_MAX_AGE", default=15 * 60)
# SMS gateway: empty URL disables the channel. The template is a JSON body with {phone} and
# {text} placeholders; the token goes into "Authorization: Bearer".
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
# Empty (as docker-compose passes an unset variable) means the default template.
SMS_GATEWAY_TEMPLATE = (
    env.str("SMS_GATEWAY_TEMPLATE", default="") or '{"to": "{phone}", "text": "{text}"}'
)
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
# Shared secret the gateway sends with inbound SMS, in the X-SMS-Secret header only.
SMS_INBOUND_SECRET = env.str("SMS_INBOUND_SECRET", default="")

# --- Logging ------------------------------------------------------------------------------
# Log records carry ids only; personal data never goes into a log message. LOG_FORMAT=json (the
# default with DEBUG off) writes one JSON object per line for log collectors; gunicorn's own
# lines use the same shape (gunicorn.conf.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "covidarnost.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django logs the request line of 4xx/5xx; keep it, but it holds no body or IP.
        "django.server": {"level": "WARNING"},
        # httpx logs request URLs at INFO, and Bot API URLs contain the bot token.
        "httpx": {"level": "WARNING"},
        # WeasyPrint and fontTools log every layout step and font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
