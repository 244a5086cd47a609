"""Centra settings: one module, configured through environment variables.

Local runs need `DEBUG=1` or `CENTRA_ENV=development` (`make` sets it); without
either, a web server or the worker refuses to start and other commands warn.
Production
(`CENTRA_ENV=production`) refuses to start with a weak or published `SECRET_KEY`,
without `AUDIT_KEY` or `ALLOWED_HOSTS`, with `ALLOWED_HOSTS='*'`, with `DEBUG` on or
an `http://` `SITE_URL`; any other `CENTRA_ENV` refuses to start at all.
"""

import os
import sys
import tempfile
import zlib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# Unset, it means development only where that is plainly meant: DEBUG on (`make
# run` sets it) or the test suite. A web server or the worker started without it
# (config/wsgi.py, asgi.py and run_worker set CENTRA_SERVING) refuses to run rather
# than fall back to development's public key and plain cookies; any other command
# runs as development with a warning on stderr.
CENTRA_ENV = env_str("CENTRA_ENV")
if not CENTRA_ENV:
    if DEBUG or "pytest" in sys.modules:
        # Commands the tests start (the worker, makemessages) inherit the answer.
        os.environ.setdefault("CENTRA_ENV", "development")
    elif env_bool("CENTRA_SERVING"):
        raise ImproperlyConfigured(
            "CENTRA_ENV is not set: set CENTRA_ENV=production on a server, or "
            "CENTRA_ENV=development (or DEBUG=1) for a local run."
        )
    else:
        print(
            "Warning: CENTRA_ENV is not set; running as development. A server or "
            "worker refuses to start so: set CENTRA_ENV.",
            file=sys.stderr,
        )
    CENTRA_ENV = "development"
if CENTRA_ENV not in {"development", "production"}:
    # A typo must never fall back to development's public key and plain cookies.
    raise ImproperlyConfigured(
        f"CENTRA_ENV={CENTRA_ENV!r} is not known: use 'development' or 'production'."
    )
PRODUCTION = CENTRA_ENV == "production"

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# The address patients type or scan to reach the portal (handouts, invitations).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The key of the audit log's MACs (clinics.audit_chain). Kept outside the database,
# so that whoever can write to it cannot rewrite the log unseen; changing it makes
# every earlier event fail `verify_audit`.
AUDIT_KEY = env_str("AUDIT_KEY")
DEVELOPMENT_SECRET_KEY = "django-insecure-centra-local-development-key-not-for-production"


def weak_secret(key: str) -> str:
    """Why `key` is too weak for production, or "" when it will do. Besides length:
    a key published anywhere (Django's insecure prefix, this file's development key)
    or made of a pattern, which compresses to a fraction of its length, is guessable
    however long it is. A key from secrets.token_urlsafe(50) passes."""
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        return "it is a published development key"
    if len(key) < 50:
        return "it is shorter than 50 characters"
    if len(set(key)) < 20:
        return "it uses fewer than 20 different characters"
    if len(zlib.compress(key.encode(), 9)) < 0.75 * len(key.encode()):
        return "it repeats a pattern"
    return ""


if PRODUCTION:
    if problem := weak_secret(SECRET_KEY):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for CENTRA_ENV=production: {problem}. Make one with "
            'python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when CENTRA_ENV=production.")
    if "*" in ALLOWED_HOSTS:
        # Any Host header would be accepted, and pages that build addresses from it
        # could be made to point elsewhere.
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the site's hosts, not '*', when CENTRA_ENV=production."
        )
    if len(AUDIT_KEY) < 32 or AUDIT_KEY == SECRET_KEY:
        raise ImproperlyConfigured(
            "AUDIT_KEY must be set, at least 32 characters and not the SECRET_KEY, when "
            'CENTRA_ENV=production (for example: python -c "import secrets; '
            'print(secrets.token_urlsafe(32))").'
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when CENTRA_ENV=production.")
    if not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured("SITE_URL must start with https:// when CENTRA_ENV=production.")
else:
    # A fixed key is fine for a local demo database; production refuses it above.
    SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, which it extends.
    "modeltranslation",
    # The admin, on a site that lets in only staff verified with a second factor.
    "clinics.apps.VerifiedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "clinics",
    "exercises",
    "patients",
    "assessments",
    "prescriptions",
    "reminders",
    "changelog",
    "integrations",
    "messaging",
    "portal",
    "dashboard",
    "handouts",
    "api",
    "fhir_r4",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreMiddleware",
    "config.middleware.CurrentRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinics.sessions.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.language.UserLanguageMiddleware",
    "config.language.UserTimeZoneMiddleware",
    # Below the language and the user, for its page; above everything that reads a body.
    "config.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): whether this session passed the code step.
    "django_otp.middleware.OTPMiddleware",
    "clinics.mfa.TwoStepGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers wait instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file, never SQLite's in-memory database: the live server's
            # threads would share one connection there, and two requests at once (a
            # page and its service worker) deadlock inside SQLite. One file per run.
            "TEST": {
                "NAME": str(Path(tempfile.gettempdir()) / f"centra-test-{os.getpid()}.sqlite3")
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions are read from Redis and written through to the database, which
    # stays the record (a Redis restart signs nobody out).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How many processes serve the site, over all its hosts (by default gunicorn's own
# WEB_CONCURRENCY). The API's rate limits and the limits on password resets and portal
# activations count in the cache: without Redis, each process would grant the whole
# budget again, so production refuses more than one process without it. (The sign-in
# pause and the sessions are kept in the database and shared anyway.)
APP_PROCESSES = env_int("APP_PROCESSES", env_int("WEB_CONCURRENCY", 1))
if PRODUCTION and not REDIS_URL:
    if APP_PROCESSES > 1:
        raise ImproperlyConfigured(
            f"REDIS_URL must be set when more than one process serves the site "
            f"(APP_PROCESSES or WEB_CONCURRENCY is {APP_PROCESSES}): without a shared "
            "cache each process counts rate limits and lockouts on its own."
        )
    if env_bool("CENTRA_SERVING") and "run_worker" not in sys.argv:
        print(
            "Warning: no shared cache (REDIS_URL is not set). Rate limits and lockouts "
            "are counted per process: serve with one process only, or set REDIS_URL.",
            file=sys.stderr,
        )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "clinics.backends.EmailOrUsernameBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after a period of inactivity. A request pushes the expiry on, but
# the session is written at most once a minute for that (SessionRenewalMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_RENEW_SECONDS = 60
# However active its user, a signed-in session ends this long after signing in.
SESSION_MAX_AGE = env_int("SESSION_MAX_AGE_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed sign-ins are counted per account and address together, so an attacker
# elsewhere cannot lock a real user out; the lock lifts by itself.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Every spelling of one account (username or email, any case) shares one counter.
AXES_USERNAME_CALLABLE = "clinics.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
# The client's address, for lockout, throttles and the audit log (clinics.client_ip):
# PROXY_COUNT reverse proxies of ours stand in front of the app, each appending the
# address it received the request from to CLIENT_IP_HEADER. 0: REMOTE_ADDR itself.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "clinics.client_ip.client_ip"
AXES_VERBOSE = False

# Two-step sign-in (TOTP apps and single-use recovery codes, through django-otp).
OTP_TOTP_ISSUER = env_str("MFA_ISSUER", "Centra")
# Wrong codes: each failure doubles the wait before the next try (1 s, 2 s, 4 s...),
# per device and kept in the database; and a sign-in is abandoned after this many.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
MFA_CODE_ATTEMPTS = env_int("MFA_CODE_ATTEMPTS", 5)
MFA_RECOVERY_CODES = 10

# Request size: a declared body over REQUEST_MAX_MB is refused (413) before it is read;
# form fields (not files) over 2.5 MB are refused by Django. The proxy enforces the same.
# It must leave room for the largest picture (clinics.images.MAX_BYTES, 2 MB) and the
# rest of its form: a picture up to that gets the form's own field error.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_MB", 3) * 1024 * 1024
# Files up to this size stay in memory while a request is handled, larger ones go to disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440

# Password resets and portal activations allowed per hour, per address (or link) and per IP.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", 3)
PASSWORD_RESET_PER_IP_PER_HOUR = env_int("PASSWORD_RESET_PER_IP_PER_HOUR", 10)
ACTIVATION_PER_LINK_PER_HOUR = env_int("ACTIVATION_PER_LINK_PER_HOUR", 10)
ACTIVATION_PER_IP_PER_HOUR = env_int("ACTIVATION_PER_IP_PER_HOUR", 30)

LANGUAGE_CODE = "en"
# Only languages whose catalogs are complete (tests/i18n checks it): add one here
# once locale/<code>/ and the catalog's texts in it are translated in full.
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# Catalog texts (exercise names, steps...) per language through django-modeltranslation;
# a text missing in one language is shown in the other one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es")}
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `collectstatic` gathers files here for production; locally WhiteNoise reads the
# app folders directly, so no folder is needed (nor warned about).
STATIC_ROOT = (
    Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
    if PRODUCTION or env_str("STATIC_ROOT")
    else None
)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files with patient data (the handout PDFs the worker renders) live apart from
# MEDIA_ROOT, which is served to anyone at /media/: only the app's signed-in,
# scoped and audited views read them. Shared by every app server, like MEDIA_ROOT.
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "private")))
# Stored handout copies older than this are deleted by `purge_stored_handouts` (a
# copy is only a head start: a download renders a missing one again).
HANDOUT_STORE_DAYS = env_int("HANDOUT_STORE_DAYS", 30)
# The worker renders every copy of a program (each reader, language and print size: six
# PDFs, a few seconds of worker time) when it is activated, so no download waits. Off,
# each copy is rendered at its first download and stored for the next.
HANDOUTS_RENDER_AHEAD = env_bool("HANDOUTS_RENDER_AHEAD", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "handouts": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# On several hosts the handout copies the worker renders live in an S3-compatible object
# store that every app and worker host reads (docs/deployment.md); one host keeps them on
# its own disk (PRIVATE_FILES_ROOT). Either way they are private: only the signed-in,
# audited handout views read them, never a public URL.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["handouts"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", "centra"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": True,
        },
    }

# FHIR Bulk Data exports (NDJSON files with patient data) go to the same private place
# as the handout copies, under exports/; never a public URL.
STORAGES["exports"] = STORAGES["handouts"]
# An export's files are deleted this long after they were written (and at once on a
# DELETE of its status URL). None: a setting, not a clinical figure.
FHIR_EXPORT_KEEP_MINUTES = env_int("FHIR_EXPORT_KEEP_MINUTES", 60)
# SMART Backend Services: how long an access token lives (SMART recommends at most
# 5 minutes), and whether a client's JWKS URL may name a private or loopback
# address (only for tests and closed networks).
SMART_TOKEN_MINUTES = env_int("SMART_TOKEN_MINUTES", 5)
SMART_JWKS_ALLOW_PRIVATE = env_bool("SMART_JWKS_ALLOW_PRIVATE", default=False)

EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (the reminder bench).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Centra <no-reply@localhost>")

# Background work (emails, reminders, the inactivity check, handout PDFs) goes through
# Django's tasks API. The queue is a table in the app's own database; `manage.py
# run_worker` (started by `make run`) works through it. See docs/worker-and-reminders.md.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A failed task is tried again this many times in all, waiting 30 s, 60 s, 120 s...
TASK_ATTEMPTS = env_int("TASK_ATTEMPTS", 5)
TASK_RETRY_SECONDS = env_int("TASK_RETRY_SECONDS", 30)
# A task still running this long after a worker claimed it was abandoned (the worker
# was killed, or its machine died): the scheduler puts it back in the queue. Far longer
# than any task takes; no source, a setting.
TASK_ABANDONED_SECONDS = env_int("TASK_ABANDONED_SECONDS", 900)

# Webhooks (docs/webhooks.md): how long the worker waits for a clinic system's answer,
# how many times in all it tries one event (waiting WEBHOOK_RETRY_SECONDS, then twice
# as long each time, at most 6 hours), and whether endpoints on private, loopback or
# link-local addresses, and plain http, are allowed: off by default, on for tests and a
# local receiver (turning it on lets anyone with a clinic admin login reach the LAN).
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_ATTEMPTS = env_int("WEBHOOK_ATTEMPTS", 10)
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30)
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", default=False)

# Web Push for reminders. Make a key pair once (docs/worker-and-reminders.md); without it the
# portal offers email and the calendar feed only.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:no-reply@localhost")
# Where the worker may send notifications: the browsers' push services (Chrome's
# FCM, Firefox's autopush, Apple's, Windows'). A name starting with "." also allows
# its subdomains. Anything else is refused, so a forged subscription cannot make
# the worker POST to an internal address.
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,"
    ".push.apple.com,.notify.windows.com",
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.CentraAutoSchema",
    # Clinic systems send `Authorization: Api-Key <key>`; the dashboard's browser
    # session also works (with CSRF on writes).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.IsClinicMember", "api.auth.WritesNeedWriteKey"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.CredentialRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env_str("API_THROTTLE_RATE", "600/min")},
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FallbackContentNegotiation",
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}

# No inline script or style anywhere: every script and style sheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Swagger UI draws its icons from data: URLs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Centra API",
    "DESCRIPTION": (
        "McKenzie home exercise programs for clinic systems: sync patients, prescribe and "
        "read programs, pull symptom logs and alerts, download handouts.\n\n"
        "**Authentication**: `Authorization: Api-Key <key>`, with a key a clinic "
        "administrator creates on the API keys page. Every request sees only the key's "
        "clinic; another clinic's ids answer 404, like ids that do not exist.\n\n"
        "**Lists** are pages ordered by id (`page_size` up to 100). Symptom logs, alerts "
        "and patients with `updated_since` page by cursor: follow `next` (no total count; "
        "rows added meanwhile are neither repeated nor skipped). `page=N` gives numbered "
        "pages with a `count` instead.\n\n"
        "**Retries**: send an `Idempotency-Key` header with every POST; a retry with the "
        "same key returns the first answer instead of writing twice.\n\n"
        "**Errors** are RFC 9457 problem documents (`application/problem+json`); "
        "validation errors list the messages per field in `errors`.\n\n"
        "**FHIR R4**: the same data, read-only, as FHIR resources under `/fhir/R4/` with the "
        "same keys; its endpoints are listed at [/fhir/R4/](/fhir/R4/)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DirectionEnum": "exercises.models.Direction",
        "PositionEnum": "exercises.models.Position",
        "LocationEnum": "patients.models.Location",
        "AdherenceStatusEnum": "api.serializers.adherence.ADHERENCE_STATUSES",
        "FactorEnum": "assessments.models.Factor",
        "NeuroFindingEnum": "assessments.models.NeuroFinding",
        # The lateral shift's sides are the same two as a program item's side.
        "SideEnum": "assessments.models.ShiftSide",
        # The red-flag codes and tiers, asked and answered in several fields.
        "RedFlagCodeEnum": "prescriptions.red_flags.QUESTION_CODES",
        "RedFlagTierEnum": "prescriptions.red_flags.Tier",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A key pasted into the docs lives only as long as the page: never in localStorage.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayRequestDuration": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Static files come straight from the app folders until `collectstatic` has run.
WHITENOISE_USE_FINDERS = not PRODUCTION
