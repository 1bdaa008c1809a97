"""Django settings. Everything configurable comes from the environment via ``conf``."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fullrecord import conf

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

SECRET_KEY = conf.secret_key(DATA_DIR)
DEBUG = conf.env_bool("FULLRECORD_DEBUG", False)
ALLOWED_HOSTS = conf.env_list("FULLRECORD_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = conf.env_list("FULLRECORD_CSRF_TRUSTED_ORIGINS", [])

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "fullrecord.core",
    "fullrecord.accounts",
    "fullrecord.audit",
    "fullrecord.notifications",
    "fullrecord.calendars",
    "fullrecord.cases",
    "fullrecord.media",
    "fullrecord.access",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fullrecord.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fullrecord.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
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
]
SESSION_COOKIE_AGE = conf.env_int("FULLRECORD_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
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
        "fullrecord.accounts.authentication.TokenAuthentication",  # refuses locked users
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
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
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "fullrecord.cases.choices.CaseState",
        "PartyKindEnum": "fullrecord.cases.choices.PartyKind",
        "LimitKindEnum": "fullrecord.cases.choices.LimitKind",
        "OrgUnitKindEnum": "fullrecord.accounts.choices.OrgUnitKind",
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
FULLRECORD_SPOOL_DIR = DATA_DIR / "spool"
FULLRECORD_DERIVED_DIR = DATA_DIR / "derived"
# tus uploads: the largest accepted, and how long an unfinished one is kept.
FULLRECORD_UPLOAD_MAX_BYTES = conf.env_int("FULLRECORD_UPLOAD_MAX_BYTES", 64 * 1024**3, minimum=1)
FULLRECORD_UPLOAD_EXPIRY_HOURS = conf.env_int("FULLRECORD_UPLOAD_EXPIRY_HOURS", 72, minimum=1)
# 第九条第三项: a gap between segments of one device longer than this is an interruption;
# a gap longer than the session break starts a new recording session.
FULLRECORD_SEGMENT_GAP_SECONDS = conf.env_int("FULLRECORD_SEGMENT_GAP_SECONDS", 2, minimum=0)
FULLRECORD_SESSION_BREAK_MINUTES = conf.env_int("FULLRECORD_SESSION_BREAK_MINUTES", 10, minimum=1)
# How long a playback's signed URL and grant last (at least twice the item's duration):
# one audit entry covers the ranges of one playback. Sign-out, deactivation and
# revocation end a playback at its next range whatever this is (media/playback.py).
FULLRECORD_PLAYBACK_SECONDS = conf.env_int("FULLRECORD_PLAYBACK_SECONDS", 3600, minimum=60)

# --- Audit log: a signed tree head at least every N entries (and at least daily).
FULLRECORD_AUDIT_SIGN_EVERY = conf.env_int("FULLRECORD_AUDIT_SIGN_EVERY", 1000, minimum=1)

# --- Access approvals (第十七条): how long an approval lasts by default, and at most.
FULLRECORD_ACCESS_DAYS = conf.env_int("FULLRECORD_ACCESS_DAYS", 7, minimum=1)
FULLRECORD_ACCESS_MAX_DAYS = conf.env_int("FULLRECORD_ACCESS_MAX_DAYS", 90, minimum=1)
if FULLRECORD_ACCESS_DAYS > FULLRECORD_ACCESS_MAX_DAYS:
    raise ImproperlyConfigured("FULLRECORD_ACCESS_DAYS is longer than FULLRECORD_ACCESS_MAX_DAYS")
FULLRECORD_COPIES_DIR = DATA_DIR / "copies"

# --- Domain settings.
# Cases due within this many working days show as "due soon".
FULLRECORD_DUE_SOON_WORKING_DAYS = conf.env_int("FULLRECORD_DUE_SOON_WORKING_DAYS", 3, minimum=0)
# Sign-in lockout: this many failed sign-ins of one username within the window lock it.
FULLRECORD_LOGIN_MAX_FAILURES = conf.env_int("FULLRECORD_LOGIN_MAX_FAILURES", 5, minimum=1)
FULLRECORD_LOGIN_WINDOW_MINUTES = conf.env_int("FULLRECORD_LOGIN_WINDOW_MINUTES", 15, minimum=1)
FULLRECORD_LOCKOUT_MINUTES = conf.env_int("FULLRECORD_LOCKOUT_MINUTES", 15, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": conf.env_str("FULLRECORD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
