"""Django settings for vaora, all driven by the environment (see vaora/config.py and README)."""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vaora import config

try:
    CONFIG = config.load()
except config.ConfigError as error:
    # Refuse to start and say which variable is wrong; never fall back to a guessable secret.
    raise ImproperlyConfigured(f"vaora refuses to start: {error}") from None

BASE_DIR = config.BASE_DIR
VAR_DIR = CONFIG.var_dir
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data and keys live here

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
CSRF_TRUSTED_ORIGINS = [CONFIG.public_url]

VAORA_PUBLIC_URL = CONFIG.public_url
# The province this installation serves (GSO code; 40 = Nghệ An): the public statistics page
# and administrators' dashboards show it.
VAORA_PROVINCE_CODE = os.environ.get("VAORA_PROVINCE_CODE", "40")
# E-mail (activation links, reminders, digests): written to files under var/mail unless an
# SMTP server is configured (VAORA_SMTP_HOST); tests use Django's in-memory outbox.
DEFAULT_FROM_EMAIL = os.environ.get("VAORA_FROM_EMAIL", "vaora <no-reply@vaora.local>")
if os.environ.get("VAORA_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["VAORA_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("VAORA_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("VAORA_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("VAORA_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = True
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
VAORA_DATA_KEY = CONFIG.data_key
VAORA_OLD_DATA_KEYS = CONFIG.old_data_keys
VAORA_RETENTION_DAYS = CONFIG.retention_days
VAORA_SENSITIVE_RETENTION_DAYS = CONFIG.sensitive_retention_days
VAORA_TRUSTED_PROXIES = CONFIG.trusted_proxies
VAORA_SMS_BUDGET_PER_HOUR = CONFIG.sms_budget_per_hour
VAORA_SMS_BACKEND = CONFIG.sms_backend
VAORA_SMS_HTTP_URL = CONFIG.sms_http_url
VAORA_SMS_HTTP_TOKEN = CONFIG.sms_http_token
VAORA_SMS_RATE = CONFIG.sms_rate  # messages per second to the gateway (the worker keeps to it)
VAORA_SMS_MAX_BACKOFF_SECONDS = CONFIG.sms_max_backoff_seconds  # longest wait between retries
VAORA_LATE_UPLOAD_HOURS = CONFIG.late_upload_hours
VAORA_REMINDER_INTERVAL_HOURS = CONFIG.reminder_interval_hours
# GET /metrics (Prometheus text format): off unless VAORA_METRICS=1; with VAORA_METRICS_TOKEN set,
# only for "Authorization: Bearer <token>".
VAORA_METRICS = os.environ.get("VAORA_METRICS") == "1"
VAORA_METRICS_TOKEN = os.environ.get("VAORA_METRICS_TOKEN", "")
VAORA_TRAVEL_QR_DAYS = CONFIG.travel_qr_days
# Notices to (or bulk reveals of) more people than this need a second health official.
VAORA_APPROVAL_THRESHOLD = CONFIG.approval_threshold

INSTALLED_APPS = [
    "vaora.core",
    "vaora.venues",
    "vaora.people",
    "vaora.visits",
    "vaora.paper",
    "vaora.tracing",
    "vaora.oversight",
    "vaora.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

# Background work is a durable queue in the database (docs/decisions/0016-job-queue.md), run by
# `vaora worker`, never by a thread of a web process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "vaora.core.metrics.http_metrics",  # outermost: counts the answer that really went out
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vaora.core.middleware.content_security_policy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vaora.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vaora.people.sessions.session_lifetime",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vaora.core.middleware.coded_errors",
]

# Benchmarks and profiling only (see core/middleware.server_timing).
if os.environ.get("VAORA_SERVER_TIMING") == "1":
    MIDDLEWARE.insert(1, "vaora.core.middleware.server_timing")

ROOT_URLCONF = "vaora.urls"
COLLECTED_MARKER = "vaora-collected.txt"
WSGI_APPLICATION = "vaora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict:
    db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0 if "pytest" in sys.modules else 60
        db["OPTIONS"] = {
            # WAL lets readers run beside the writer; NORMAL is durable across app crashes
            # (a power cut may lose the last commits, never corrupt the file).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,  # seconds to wait for a busy writer instead of failing at once
            "transaction_mode": "IMMEDIATE",  # take the write lock up front: no upgrade deadlocks
        }
        # Tests use a real SQLite file too, so what is on disk can be inspected.
        db["TEST"] = {"NAME": str(VAR_DIR / "test_vaora.sqlite3")}
    elif db["ENGINE"] == "django.db.backends.postgresql":
        # The check-in engine's statements (visits/visit_sql.py) are prepared on the server
        # after this many runs on a connection, so thirty day partitions are not planned again
        # for every batch. Only server-binding cursors prepare: the ORM's bind on the client.
        # (A transaction-mode pooler in front would need its prepared-statement support.)
        db.setdefault("OPTIONS", {})["prepare_threshold"] = 5
    return db


DATABASES = {"default": _database(CONFIG.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The tracer's covering index names the visit id as INCLUDE for PostgreSQL; SQLite has no
# INCLUDE and needs none (every index entry carries the rowid): W040 says just that.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "people.Account"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:landing"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # argon2id
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: a fresh id at login (Django's default), HttpOnly, SameSite, Secure outside debug,
# an idle timeout of 8 hours that slides with use.
SESSION_COOKIE_AGE = 8 * 3600
# And an absolute lifetime from sign-in, sliding or not (people/sessions.py).
VAORA_SESSION_MAX_HOURS = 12
VAORA_CITIZEN_SESSION_MAX_DAYS = 30
VAORA_API_TOKEN_DAYS = 30
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "vaora" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("VAORA_STATIC_ROOT") or VAR_DIR / "static")
if not STATIC_ROOT.is_absolute():
    STATIC_ROOT = BASE_DIR / STATIC_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names once collected (far-future caching); plain names before.
    "staticfiles": {"BACKEND": "vaora.core.static_storage.HashedWhenCollected"},
}
# After `vaora collectstatic` (which leaves a marker) the collected, pre-compressed files are
# served (gzip and brotli); without it — and always in debug mode — straight from the apps'
# static folders, uncompressed, so the app also works with no collectstatic step.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / COLLECTED_MARKER).exists()
STATIC_ROOT.mkdir(exist_ok=True)

# Personal data never reaches the logs: request logging shows paths only, and no view logs
# request bodies. Errors go to stderr for the service manager to collect.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "vaora.core.log_format.JsonLines"},
    },  # fmt: skip
    # VAORA_LOG_FORMAT=json: one JSON object a line, for a log collector.
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("VAORA_LOG_FORMAT") == "json" else "plain",
        }
    },  # fmt: skip
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        # Django's own console handler (debug mode) would print every warning a second time
        # beside the root's: one handler, the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},  # font subsetting chatter on every poster
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
NINJA_PAGINATION_CLASS = "vaora.core.api_types.BoundedPagination"
