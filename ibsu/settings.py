"""Settings for the IBSU member portal, read from the environment.

The defaults make `make run` work on a bare machine (SQLite, tasks in-process,
mail to the console). Production sets DEBUG=0 and must then give a real
SECRET_KEY and ALLOWED_HOSTS, or the process refuses to start.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ibsu.lib.env import email_settings, envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - refused when DEBUG=0  # nosec B105
DEBUG = envbool("DEBUG", True)
SECRET_KEY = envsecret("SECRET_KEY", _DEV_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (50+ random characters) when DEBUG=0"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS when DEBUG=0")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The portal's public address, for links in emails.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ibsu.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_email",
    "ibsu",
    "accounts",
    "audit",
    "outbox",
    "contributions",
    "claims",
    "documents",
    "privacy",
    "plan",
    "demo",
]

MIDDLEWARE = [
    "ibsu.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ibsu.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "ibsu.middleware.MaintenanceModeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ibsu.urls"
# Widget templates (e.g. the CAPTCHA's) live in templates/ like every other.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "ibsu.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds sessions (written through to the database), members' figures
# and rate-limit counters: shared Redis in production, so every web process
# sees the same; process memory for `make run`.
_CACHE_URL = envstr("CACHE_URL")
_REDIS_CACHE = "ibsu.lib.redis_cache.PortalRedisCache"
_LOCAL_CACHE = "django.core.cache.backends.locmem.LocMemCache"
CACHES = {
    "default": {
        "BACKEND": _REDIS_CACHE,
        "LOCATION": _CACHE_URL,
        # An unreachable Redis costs a page at most this long per call, then
        # counts as a miss (ibsu.lib.redis_cache).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    if _CACHE_URL
    else {"BACKEND": _LOCAL_CACHE}
}

# --- Accounts and passwords -------------------------------------------------
AUTH_USER_MODEL = "accounts.Member"
AUTHENTICATION_BACKENDS = ["accounts.backends.MemberBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2Hasher",
    # Older formats stay verifiable and are upgraded to Argon2id at the next login.
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation"
        ".UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("kpj_number", "nik", "full_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.passwords.validation.PortalCommonPasswordValidator"},
    {"NAME": "accounts.passwords.validation.PersonalInformationValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Consecutive failed logins that lock an account until it is unlocked.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
# Failed logins from one address within the window before it gets HTTP 429.
LOGIN_IP_FAILURE_LIMIT = envint("LOGIN_IP_FAILURE_LIMIT", 30)
LOGIN_IP_WINDOW = timedelta(seconds=envint("LOGIN_IP_WINDOW_SECONDS", 15 * 60))
# How many reverse proxies in front of us append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Claim uploads: at most this many bytes each.
CLAIM_UPLOAD_MAX_BYTES = envint("CLAIM_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# NPWP (tax number) is needed for JHT claims on balances above this.
CLAIM_NPWP_THRESHOLD = envint("CLAIM_NPWP_THRESHOLD", 50_000_000)

# --- Two-factor authentication (django-otp) ----------------------------------------
OTP_TOTP_ISSUER = "BPJS Ketenagakerjaan"
OTP_TOTP_THROTTLE_FACTOR = 1  # waits of 1, 2, 4, 8 … seconds after wrong codes
OTP_EMAIL_THROTTLE_FACTOR = 1
OTP_BACKUP_CODE_THROTTLE_FACTOR = 1
OTP_EMAIL_TOKEN_VALIDITY = 5 * 60
OTP_EMAIL_COOLDOWN_DURATION = envint("OTP_EMAIL_RESEND_SECONDS", 60)
OTP_BACKUP_CODE_COUNT = 10
# How long a member who passed the password step has to give the second factor.
LOGIN_SECOND_STEP_SECONDS = envint("LOGIN_SECOND_STEP_SECONDS", 5 * 60)
# Sensitive changes ask for the password again when the last sign-in is older.
RECENT_AUTH_SECONDS = envint("RECENT_AUTH_SECONDS", 10 * 60)
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3600)
# Reset and activation requests from one address per window (HTTP 429 beyond).
ACCOUNT_REQUEST_LIMIT = envint("ACCOUNT_REQUEST_LIMIT", 10)
ACCOUNT_REQUEST_WINDOW_SECONDS = envint("ACCOUNT_REQUEST_WINDOW_SECONDS", 15 * 60)
CAPTCHA_REFRESH_LIMIT = envint("CAPTCHA_REFRESH_LIMIT", 60)
CAPTCHA_REFRESH_WINDOW_SECONDS = envint("CAPTCHA_REFRESH_WINDOW_SECONDS", 15 * 60)
# Look-ups of the public document check page per address and window.
VERIFY_LIMIT = envint("VERIFY_LIMIT", 30)
VERIFY_WINDOW_SECONDS = envint("VERIFY_WINDOW_SECONDS", 60)

# --- Sessions ------------------------------------------------------------------
# Read from Redis, written through to the database: a signed-in page needs no
# database query to find its session. Never through per-process memory: a
# sign-out in one process would leave the session alive in the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if _CACHE_URL
    else "django.contrib.sessions.backends.db"
)
# Idle timeout: the session lives SESSION_COOKIE_AGE past the last activity
# (pushed back at most once a minute, see accounts.middleware).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute lifetime, however active the session is.
SESSION_ABSOLUTE_LIFETIME = timedelta(seconds=envint("SESSION_MAX_SECONDS", 12 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
if not DEBUG:
    # __Host- cookies are only accepted over HTTPS, for this exact host, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Security headers ---------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
# Members see a maintenance page while this is on or the flag file exists;
# staff admin keeps working.
MAINTENANCE_MODE = envbool("MAINTENANCE_MODE", False)
MAINTENANCE_FLAG_FILE = envstr(
    "MAINTENANCE_FLAG_FILE", str(BASE_DIR / "maintenance.flag")
)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come over plain HTTP from the orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Language -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Claim documents and generated PDFs: never under STATIC_ROOT or a public URL.
PRIVATE_ROOT = Path(envstr("PRIVATE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- CAPTCHA -------------------------------------------------------------------------
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (160, 50)
CAPTCHA_FONT_SIZE = 32
CAPTCHA_FOREGROUND_COLOR = "#0b3d2e"

# --- Mail --------------------------------------------------------------------------
globals().update(email_settings(envstr("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "BPJS Ketenagakerjaan <noreply@ibsu.local>"
)
# First retry delay of an unsent message; it doubles each attempt up to the max.
OUTBOX_RETRY_BASE_SECONDS = envint("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = envint("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_MAX_TASK_RETRIES = envint("OUTBOX_MAX_TASK_RETRIES", 8)
# Messages still unsent after this long are queued again by the beat task.
OUTBOX_STUCK_AFTER = timedelta(seconds=envint("OUTBOX_STUCK_AFTER_SECONDS", 5 * 60))

# --- Leases on background work (ibsu/lib/leases.py) ---------------------------------
# A document being rendered, or a data export being built, whose worker has not
# finished within its lease is taken again by the re-queue beat task (every
# minute): ready at most lease + 1 minute + one run after its worker died. Each
# task's Celery time limits lie inside its lease.
DOCUMENT_RENDER_LEASE = timedelta(
    seconds=envint("DOCUMENT_RENDER_LEASE_SECONDS", 2 * 60)
)
DATA_EXPORT_LEASE = timedelta(seconds=envint("DATA_EXPORT_LEASE_SECONDS", 30 * 60))
if min(DOCUMENT_RENDER_LEASE, DATA_EXPORT_LEASE) < timedelta(seconds=5):
    raise ImproperlyConfigured("Leases on background work must be at least 5 s")

# --- Retention (privacy) ------------------------------------------------------------
# How long a member's "download my data" file can be downloaded before it is deleted.
DATA_EXPORT_RETENTION_HOURS = envint("DATA_EXPORT_RETENTION_HOURS", 72)
# What `manage.py cleanup` (nightly, 02:00) deletes once older than these.
OUTBOX_RETENTION_DAYS = envint("OUTBOX_RETENTION_DAYS", 90)  # sent emails
LOGIN_EVENT_RETENTION_DAYS = envint("LOGIN_EVENT_RETENTION_DAYS", 365)
CLAIM_DRAFT_RETENTION_DAYS = envint("CLAIM_DRAFT_RETENTION_DAYS", 90)  # untouched
# Superseded documents only: the newest of each kind and period always stays.
GENERATED_DOCUMENT_RETENTION_DAYS = envint("GENERATED_DOCUMENT_RETENTION_DAYS", 365)
_retention = [
    DATA_EXPORT_RETENTION_HOURS,
    OUTBOX_RETENTION_DAYS,
    LOGIN_EVENT_RETENTION_DAYS,
    CLAIM_DRAFT_RETENTION_DAYS,
    GENERATED_DOCUMENT_RETENTION_DAYS,
]
if min(_retention) < 1:
    raise ImproperlyConfigured("Retention periods must be at least 1")

# --- Celery ---------------------------------------------------------------------------
# Without a broker, tasks run in-process: the zero-setup mode of `make run`.
CELERY_TASK_ALWAYS_EAGER = not envstr("CELERY_BROKER_URL")
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a task must not hang when the broker is down: fail fast,
# the outbox row stays and the beat task queues it again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE

# --- Logging ----------------------------------------------------------------
LOG_FORMAT = envstr("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ibsu.lib.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {"()": "ibsu.lib.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks (make run): no "Task … succeeded" line beside each
    # email on the console; failures still show.
    LOGGING["loggers"] = {"celery.app.trace": {"level": "WARNING"}}
