"""Django settings. Everything configurable comes from the environment via ``conf``."""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy

from fullrecord import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

SECRET_KEY = conf.secret_key(DATA_DIR)
DEBUG = conf.env_bool("FULLRECORD_DEBUG", False)
ALLOWED_HOSTS = conf.env_list("FULLRECORD_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = conf.env_list("FULLRECORD_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First: its `createsuperuser` (refused: 三员分立) takes the place of django.contrib.auth's.
    "fullrecord.security",
    "django.forms",  # the default widget templates, for FORM_RENDERER = TemplatesSetting
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
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "fullrecord.core",
    "fullrecord.accounts",
    "fullrecord.audit",
    "fullrecord.notifications",
    "fullrecord.calendars",
    "fullrecord.cases",
    "fullrecord.media",
    "fullrecord.access",
    "fullrecord.documents",
    "fullrecord.retention",
    "fullrecord.devices",
    "fullrecord.supervision",
]

MIDDLEWARE = [
    "fullrecord.core.requestlog.RequestLogMiddleware",  # request id, log line, latency
    "django.middleware.security.SecurityMiddleware",
    "fullrecord.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fullrecord.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every refused request (403, API 401, an access helper's 404) is an audit entry
    # (等保 8.1.4.3): security/middleware.py. Right after the session's user is known, and
    # around everything that may refuse (the CSRF check runs with the view).
    "fullrecord.security.middleware.RefusedRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle timeout, second factor, expired password (等保 8.1.4.1): security/middleware.py.
    "fullrecord.security.middleware.SignInPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "fullrecord.urls"
WSGI_APPLICATION = "fullrecord.wsgi.application"

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
                "fullrecord.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database: SQLite (WAL) in the data dir, or PostgreSQL through DATABASE_URL.
_database_url = conf.env_str("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if _db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (SQLite is the default)")
    _db.setdefault("TEST", {})["NAME"] = conf.env_str("FULLRECORD_TEST_DATABASE") or None
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "fullrecord.sqlite3",
            # Kept open between requests, as the PostgreSQL connection is: opening one
            # runs the PRAGMAs below, which cost more than a playback range's one query.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers proceed while one writer writes; IMMEDIATE takes
                # the write lock at BEGIN so two writers queue instead of failing.
                # NORMAL survives a killed process; the commit that acknowledges
                # evidence switches to FULL for itself (media.services.durable_commit),
                # so a power cut cannot take back a finished upload. FULL for every
                # commit cost 3-4x in commit rate (bench/README.md, bench_recovery.py).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too, not SQLite's shared in-memory database: the live
            # server then gives each request thread its own connection, as in production
            # (two uploads at once on one shared connection interleave their savepoints).
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: Django's tasks API with the database backend, so several
# workers on several machines can share one PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": conf.env_str("FULLRECORD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# `fullrecord worker` (core/worker.py): a running task holds a lease it renews; a task
# whose lease ran out is taken again, at most FULLRECORD_TASK_MAX_ATTEMPTS times in all.
FULLRECORD_TASK_LEASE_SECONDS = conf.env_int("FULLRECORD_TASK_LEASE_SECONDS", 60, minimum=2)
FULLRECORD_TASK_MAX_ATTEMPTS = conf.env_int("FULLRECORD_TASK_MAX_ATTEMPTS", 3, minimum=1)
FULLRECORD_TASK_RETRY_SECONDS = conf.env_int("FULLRECORD_TASK_RETRY_SECONDS", 30, minimum=0)
# Address space of the process that runs one task (MiB; 0 = no limit).
FULLRECORD_TASK_MEMORY_MB = conf.env_int("FULLRECORD_TASK_MEMORY_MB", 2048, minimum=0)
# /healthz says "degraded" when a task has waited this long (workers busy or gone).
FULLRECORD_HEALTH_QUEUE_SECONDS = conf.env_int("FULLRECORD_HEALTH_QUEUE_SECONDS", 900, minimum=1)

# --- Authentication.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Length, character classes and history as the security administrator sets them.
    {"NAME": "fullrecord.security.passwords.PolicyValidator"},
]
SESSION_COOKIE_AGE = conf.env_int("FULLRECORD_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "fullrecord.core.errors.csrf_failure"
# Forms render through the project's templates, whose option template says 请选择 for an
# empty choice (templates/django/forms/widgets/select_option.html); filters say 全部.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("filter", "All")
_https = conf.env_bool("FULLRECORD_HTTPS", False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Language: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = conf.env_str("FULLRECORD_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "fullrecord.accounts.authentication.TokenAuthentication",  # knox; refuses locked users
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "fullrecord.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "fullrecord.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fullrecord API",
    "DESCRIPTION": "国土执法全过程记录 — REST API. Authenticate with `Authorization: Token <key>`.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The tus endpoints are plain Django views; media/tus_schema.py describes them.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fullrecord.media.tus_schema.add_tus_paths",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "fullrecord.cases.choices.CaseState",
        "PartyKindEnum": "fullrecord.cases.choices.PartyKind",
        "LimitKindEnum": "fullrecord.cases.choices.LimitKind",
        "OrgUnitKindEnum": "fullrecord.accounts.choices.OrgUnitKind",
        "DeviceKindEnum": "fullrecord.devices.choices.DeviceKind",
        "DeviceStatusEnum": "fullrecord.devices.choices.DeviceStatus",
        "TaskKindEnum": "fullrecord.devices.choices.TaskKind",
        "FaultKindEnum": "fullrecord.devices.choices.FaultKind",
        "FaultStateEnum": "fullrecord.devices.choices.FaultState",
        "MarkKindEnum": "fullrecord.devices.choices.MarkKind",
    },
}

# --- The evidence store (originals) and the files derived from them.
_storage_backend = conf.env_str("FULLRECORD_STORAGE", "local")
if _storage_backend not in ("local", "s3"):
    raise ImproperlyConfigured(f"FULLRECORD_STORAGE={_storage_backend!r}: use local or s3")
FULLRECORD_STORAGE = {
    "backend": _storage_backend,
    "root": DATA_DIR / "store" / "originals",
    "s3": {
        "bucket": conf.env_str("FULLRECORD_S3_BUCKET", "fullrecord-evidence"),
        "endpoint_url": conf.env_str("FULLRECORD_S3_ENDPOINT"),
        "region": conf.env_str("FULLRECORD_S3_REGION", "us-east-1"),
        "access_key": conf.env_str("FULLRECORD_S3_ACCESS_KEY"),
        "secret_key": conf.env_str("FULLRECORD_S3_SECRET_KEY"),
        # 第十二条: routine footage is kept at least six months; originals are locked that long.
        "retention_days": conf.env_int("FULLRECORD_S3_RETENTION_DAYS", 183, minimum=183),
        # path (Ceph RGW, MinIO, most on-premises stores) or virtual (hosts like bucket.endpoint).
        "addressing_style": conf.env_str("FULLRECORD_S3_ADDRESSING_STYLE", "path"),
    },
}
if FULLRECORD_STORAGE["s3"]["addressing_style"] not in ("path", "virtual"):
    raise ImproperlyConfigured("FULLRECORD_S3_ADDRESSING_STYLE: use path or virtual")
if _storage_backend == "s3" and not conf.env_str("FULLRECORD_S3_ENDPOINT"):
    raise ImproperlyConfigured("FULLRECORD_STORAGE=s3 needs FULLRECORD_S3_ENDPOINT")
# 第十二条: routine footage is kept at least six months. The floor is in code; the
# variable may only raise it, and a lower value stops every command before it runs.
ROUTINE_RETENTION_FLOOR_DAYS = 183
FULLRECORD_ROUTINE_RETENTION_DAYS = conf.env_int("FULLRECORD_ROUTINE_RETENTION_DAYS", 183)
if FULLRECORD_ROUTINE_RETENTION_DAYS < ROUTINE_RETENTION_FLOOR_DAYS:
    raise ImproperlyConfigured(
        f"FULLRECORD_ROUTINE_RETENTION_DAYS={FULLRECORD_ROUTINE_RETENTION_DAYS} is below the "
        f"floor of {ROUTINE_RETENTION_FLOOR_DAYS} days: routine footage is kept at least six "
        "months (第十二条); the setting may only raise it."
    )
# Days the "due for deletion" list is shown before an approved sweep may delete.
FULLRECORD_RETENTION_GRACE_DAYS = conf.env_int("FULLRECORD_RETENTION_GRACE_DAYS", 30, minimum=1)
# The fixity sweep's pace (MB read per second; 0: as fast as the disk goes).
FULLRECORD_FIXITY_MB_PER_SECOND = conf.env_int("FULLRECORD_FIXITY_MB_PER_SECOND", 50, minimum=0)
# Where the archivist's case-file packages and disc images are written.
FULLRECORD_EXPORTS_DIR = Path(conf.env_str("FULLRECORD_EXPORTS_DIR", str(DATA_DIR / "exports")))
FULLRECORD_SPOOL_DIR = DATA_DIR / "spool"
FULLRECORD_DERIVED_DIR = DATA_DIR / "derived"
# tus uploads: the largest accepted, and how long an unfinished one is kept.
FULLRECORD_UPLOAD_MAX_BYTES = conf.env_int("FULLRECORD_UPLOAD_MAX_BYTES", 64 * 1024**3, minimum=1)
FULLRECORD_UPLOAD_EXPIRY_HOURS = conf.env_int("FULLRECORD_UPLOAD_EXPIRY_HOURS", 72, minimum=1)
# Fault injection for the crash tests and bench/bench_recovery.py only: the process kills
# itself (SIGKILL) at the named point of an upload's finish (media/crashpoints.py).
FULLRECORD_CRASH_AT = conf.env_str("FULLRECORD_CRASH_AT", "") or ""
# 第九条第三项: a gap between segments of one device longer than this is an interruption;
# a gap longer than the session break starts a new recording session.
# The periodic fixity sweep re-hashes every original and lists store files no record names
# (media/fixity.py); on S3 it downloads everything, so bureaus there may set 168 or 720.
FULLRECORD_FIXITY_SWEEP_HOURS = conf.env_int("FULLRECORD_FIXITY_SWEEP_HOURS", 24, minimum=0)
# Pictures above this many pixels are kept but not decoded for a preview (a decompression
# bomb: a few KB declaring 150 megapixels would take gigabytes of memory).
FULLRECORD_ANALYSIS_MAX_PIXELS = conf.env_int(
    "FULLRECORD_ANALYSIS_MAX_PIXELS", 50_000_000, minimum=1_000_000
)
FULLRECORD_SEGMENT_GAP_SECONDS = conf.env_int("FULLRECORD_SEGMENT_GAP_SECONDS", 2, minimum=0)
FULLRECORD_SESSION_BREAK_MINUTES = conf.env_int("FULLRECORD_SESSION_BREAK_MINUTES", 10, minimum=1)
# How long a playback's signed URL and grant last (at least twice the item's duration):
# one audit entry covers the ranges of one playback. Sign-out, deactivation and
# revocation end a playback at its next range whatever this is (media/playback.py).
FULLRECORD_PLAYBACK_SECONDS = conf.env_int("FULLRECORD_PLAYBACK_SECONDS", 3600, minimum=60)

# --- Audit log: a signed tree head at least every N entries and, while the log grows,
# at least every FULLRECORD_AUDIT_SIGN_SECONDS (appends and the every-minute job).
FULLRECORD_AUDIT_SIGN_EVERY = conf.env_int("FULLRECORD_AUDIT_SIGN_EVERY", 1000, minimum=1)
FULLRECORD_AUDIT_SIGN_SECONDS = conf.env_int("FULLRECORD_AUDIT_SIGN_SECONDS", 60, minimum=1)
# The signing key's file; in production outside the data dir (/etc/fullrecord/...).
# (Its own variable, not conf.env_str's NAME_FILE: the path is what rotation rewrites.)
FULLRECORD_AUDIT_SIGNING_KEY_FILE = os.environ.get("FULLRECORD_AUDIT_SIGNING_KEY_FILE") or None
# Where each signed head is also written, outside this machine's reach (audit/sinks.py):
# dir:/mnt/offsite/heads, syslog:, syslog:host:514, mail:inspection@example.gov.cn
FULLRECORD_AUDIT_HEAD_SINKS = conf.env_list("FULLRECORD_AUDIT_HEAD_SINKS", [])
FULLRECORD_AUDIT_HEAD_MAIL_MINUTES = conf.env_int(
    "FULLRECORD_AUDIT_HEAD_MAIL_MINUTES", 60, minimum=1
)
# Production: the system check warns about a signing key in the data dir or heads that
# never leave the machine. Default: DEBUG off and a host name that is not loopback.
FULLRECORD_PRODUCTION = conf.env_bool(
    "FULLRECORD_PRODUCTION",
    not DEBUG and any(h not in ("127.0.0.1", "localhost", "[::1]", "::1") for h in ALLOWED_HOSTS),
)
# 密评 keys (security/keys.py): the SM4 personal-data key and the SM2 head-signing key, each
# a file of hex digits; in production both must be named and lie outside the data dir.
# (Paths in their own variables, as the Ed25519 key's: the file is what an operator rotates.)
FULLRECORD_DATA_KEY_FILE = os.environ.get("FULLRECORD_DATA_KEY_FILE") or None
FULLRECORD_SM2_KEY_FILE = os.environ.get("FULLRECORD_SM2_KEY_FILE") or None
# While the personal-data key is rotated (``fullrecord rotate_sm4_key``): the earlier key
# files, comma-separated, kept for reading values not yet re-sealed; removed once done.
FULLRECORD_DATA_KEY_PREVIOUS_FILES = conf.env_list("FULLRECORD_DATA_KEY_PREVIOUS_FILES", [])
# E-mail (the mail: head destination): Django's SMTP backend.
EMAIL_HOST = conf.env_str("FULLRECORD_EMAIL_HOST", "localhost")
EMAIL_PORT = conf.env_int("FULLRECORD_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = conf.env_str("FULLRECORD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = conf.env_str("FULLRECORD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = conf.env_bool("FULLRECORD_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = conf.env_str("FULLRECORD_EMAIL_FROM", "fullrecord@localhost")
EMAIL_TIMEOUT = conf.env_int("FULLRECORD_EMAIL_TIMEOUT", 30, minimum=1)
# Notifications (notifications/services.py) also go out by e-mail once a mail server is
# named: off while FULLRECORD_EMAIL_HOST is unset. FULLRECORD_SITE_URL starts the links.
FULLRECORD_NOTIFICATION_MAIL = conf.env_bool(
    "FULLRECORD_NOTIFICATION_MAIL", bool(conf.env_str("FULLRECORD_EMAIL_HOST"))
)
FULLRECORD_SITE_URL = (
    conf.env_str("FULLRECORD_SITE_URL")
    or (
        CSRF_TRUSTED_ORIGINS
        or [f"http://{ALLOWED_HOSTS[0] if ALLOWED_HOSTS else 'localhost'}:8000"]
    )[0]
).rstrip("/")

# --- Access approvals (第十七条): how long an approval lasts by default, and at most.
FULLRECORD_ACCESS_DAYS = conf.env_int("FULLRECORD_ACCESS_DAYS", 7, minimum=1)
FULLRECORD_ACCESS_MAX_DAYS = conf.env_int("FULLRECORD_ACCESS_MAX_DAYS", 90, minimum=1)
if FULLRECORD_ACCESS_DAYS > FULLRECORD_ACCESS_MAX_DAYS:
    raise ImproperlyConfigured("FULLRECORD_ACCESS_DAYS is longer than FULLRECORD_ACCESS_MAX_DAYS")
FULLRECORD_COPIES_DIR = DATA_DIR / "copies"

# --- Domain settings.
# Recording devices: a device clock further than this from the server's at checkout is
# flagged (kept, shown, and its offset applied to its footage's time on the timeline).
FULLRECORD_DEVICE_CLOCK_TOLERANCE_SECONDS = conf.env_int(
    "FULLRECORD_DEVICE_CLOCK_TOLERANCE_SECONDS", 120, minimum=1
)
# A device fault is announced in the application; with this on, also by e-mail (through
# the FULLRECORD_EMAIL_* server above) to those of the recipients who have an address.
FULLRECORD_DEVICE_FAULT_MAIL = conf.env_bool("FULLRECORD_DEVICE_FAULT_MAIL", False)
# Cases due within this many working days show as "due soon".
FULLRECORD_DUE_SOON_WORKING_DAYS = conf.env_int("FULLRECORD_DUE_SOON_WORKING_DAYS", 3, minimum=0)
# Sign-in lockout: this many failed sign-ins of one username within the window lock it.
FULLRECORD_LOGIN_MAX_FAILURES = conf.env_int("FULLRECORD_LOGIN_MAX_FAILURES", 5, minimum=1)
FULLRECORD_LOGIN_WINDOW_MINUTES = conf.env_int("FULLRECORD_LOGIN_WINDOW_MINUTES", 15, minimum=1)
FULLRECORD_LOCKOUT_MINUTES = conf.env_int("FULLRECORD_LOCKOUT_MINUTES", 15, minimum=1)
# ... counted per (username, client address), so nobody can lock someone else out from
# their own machine; on top, this many failures from one address, whatever the usernames,
# stop that address for the lockout time (a guesser trying many accounts).
FULLRECORD_LOGIN_MAX_FAILURES_PER_ADDRESS = conf.env_int(
    "FULLRECORD_LOGIN_MAX_FAILURES_PER_ADDRESS", 30, minimum=1
)
# django-axes counts and holds the locks in the database, so every web process shares them.
# Our sign-in form asks it before each attempt (fullrecord.accounts.signin); the settings
# above keep their meaning through fullrecord.accounts.lockout.
AXES_ENABLED = True
AXES_HANDLER = "fullrecord.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = "fullrecord.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(
    minutes=max(FULLRECORD_LOGIN_WINDOW_MINUTES, FULLRECORD_LOCKOUT_MINUTES)
)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock lasts from the failure that set it
AXES_RESET_ON_SUCCESS = False  # a success from the victim's address must not clear the attacker's
AXES_USERNAME_CALLABLE = "fullrecord.accounts.lockout.username_key"
AXES_CLIENT_IP_CALLABLE = "fullrecord.accounts.signin.axes_client_ip"
AXES_ENABLE_ADMIN = False  # our admin lists locks and records unlocks (accounts.admin)
AXES_DISABLE_ACCESS_LOG = True  # sign-ins and sign-outs are in the audit log already
AXES_VERBOSE = False
# Axes' backend and middleware are not installed: every password sign-in goes through
# fullrecord.accounts.forms.SignInForm, which asks axes first and shows our own message.
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W003"]

# API tokens (django-rest-knox): only a SHA-512 digest is stored; the key is shown once.
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=conf.env_int("FULLRECORD_API_TOKEN_DAYS", 90, minimum=1)),
    "AUTO_REFRESH": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": conf.env_str("FULLRECORD_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Each failed sign-in is in the audit log; axes would also log it as a warning.
        "axes": {"level": "ERROR"},
    },
}

# Serving: `fullrecord serve` runs gunicorn (gthread workers) beside the task worker and the
# scheduler (core/serving.py; docs/operations.md "Serving"). A request in progress holds one
# thread, a playback range for as long as the client reads it: WORKERS x THREADS is the
# number of requests (streams included) served at once.
FULLRECORD_BIND = conf.env_str("FULLRECORD_BIND", "127.0.0.1:8000")
FULLRECORD_WEB_WORKERS = conf.env_int("FULLRECORD_WEB_WORKERS", 2, minimum=1)
FULLRECORD_WEB_THREADS = conf.env_int("FULLRECORD_WEB_THREADS", 64, minimum=1)
FULLRECORD_WEB_TIMEOUT = conf.env_int("FULLRECORD_WEB_TIMEOUT", 60, minimum=5)
FULLRECORD_WEB_KEEPALIVE = conf.env_int("FULLRECORD_WEB_KEEPALIVE", 5, minimum=0)
FULLRECORD_STOP_SECONDS = conf.env_int("FULLRECORD_STOP_SECONDS", 30, minimum=1)
FULLRECORD_RESTART_SECONDS = conf.env_int("FULLRECORD_RESTART_SECONDS", 5, minimum=0)
# Behind nginx: the internal location that serves FULLRECORD_DATA_DIR (docs/operations.md,
# "Behind nginx"); playback bytes then go out by X-Accel-Redirect. Empty: sent from here.
FULLRECORD_ACCEL_REDIRECT = conf.env_str("FULLRECORD_ACCEL_REDIRECT", "") or ""
if FULLRECORD_ACCEL_REDIRECT and not (
    FULLRECORD_ACCEL_REDIRECT.startswith("/") and FULLRECORD_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        f"FULLRECORD_ACCEL_REDIRECT={FULLRECORD_ACCEL_REDIRECT!r} must start and end with /"
    )

# Operations: JSON logs with the request id (core/requestlog.py), /metrics (core/metrics.py).
FULLRECORD_LOG_FORMAT = conf.env_str("FULLRECORD_LOG_FORMAT", "json") or "json"
if FULLRECORD_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"FULLRECORD_LOG_FORMAT={FULLRECORD_LOG_FORMAT!r}: use json or text")
LOGGING["filters"] = {"request_id": {"()": "fullrecord.core.requestlog.RequestIdFilter"}}
LOGGING["formatters"] = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
}
LOGGING["handlers"]["console"].update(formatter=FULLRECORD_LOG_FORMAT, filters=["request_id"])
FULLRECORD_METRICS_TOKEN = conf.env_str("FULLRECORD_METRICS_TOKEN", "") or ""
FULLRECORD_METRICS_ALLOW = conf.env_list("FULLRECORD_METRICS_ALLOW", [])
for _network in FULLRECORD_METRICS_ALLOW:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"FULLRECORD_METRICS_ALLOW: {_network!r} is not an address or network"
        ) from None
