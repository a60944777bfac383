"""Django settings for Jixiao: wiring only, every knob read from the environment once.

Environment variables (all optional):
- ``JIXIAO_DATA_DIR``: where the embedded database, the secret key and uploads live (default ``./var``).
- ``JIXIAO_DATABASE_URL``: ``sqlite:///path``, ``postgres://user:pass@host:port/name`` or
  ``mysql://user:pass@host:port/name``; the embedded SQLite file in the data dir when unset.
- ``JIXIAO_PRODUCTION``: ``1`` turns on HTTPS-only cookies, HSTS and the other deploy checks.
- ``JIXIAO_ALLOWED_HOSTS``: comma-separated host names (default: localhost names).
- ``JIXIAO_SECRET_KEY``: overrides the key generated into the data dir.

E-mail for notifications (off unless ``JIXIAO_EMAIL_HOST`` is set; the in-app centre always works):
- ``JIXIAO_EMAIL_HOST``: the SMTP server; ``JIXIAO_EMAIL_PORT`` its port (default 25, 587 with TLS).
- ``JIXIAO_EMAIL_USER`` / ``JIXIAO_EMAIL_PASSWORD``: the SMTP login, if the server wants one.
- ``JIXIAO_EMAIL_FROM``: the sender address (default ``jixiao@localhost``).
- ``JIXIAO_EMAIL_TLS``: ``1`` for STARTTLS.
- ``JIXIAO_SITE_URL``: the address people open Jixiao at, for the links in mails
  (default ``http://127.0.0.1:8000``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(env_str("JIXIAO_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
PRODUCTION = env_bool("JIXIAO_PRODUCTION")


def _secret_key() -> str:
    """Return the configured key, or the one generated once into the data dir (never committed)."""
    configured = env_str("JIXIAO_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``JIXIAO_DATABASE_URL`` into a Django DATABASES entry."""
    if not url:
        url = f"sqlite:///{DATA_DIR / 'jixiao.sqlite3'}"
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:] if parts.path.startswith("//") else parts.path) or ":memory:",
            # IMMEDIATE takes the write lock at BEGIN, which is what stops "database is locked"
            # and lost updates under concurrent saves (see DESIGN.md); WAL lets reads go on.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": str(DATA_DIR / "test_jixiao.sqlite3")},
        }
    engines = {
        "postgres": "django.db.backends.postgresql",
        "postgresql": "django.db.backends.postgresql",
        "mysql": "django.db.backends.mysql",
        "mariadb": "django.db.backends.mysql",
    }
    if parts.scheme not in engines:
        raise ValueError(f"JIXIAO_DATABASE_URL: unsupported scheme {parts.scheme!r}")
    entry: dict[str, object] = {
        "ENGINE": engines[parts.scheme],
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }
    if engines[parts.scheme].endswith("mysql"):
        entry["OPTIONS"] = {"charset": "utf8mb4", "isolation_level": "read committed"}
        entry["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    return entry


SECRET_KEY = _secret_key()
DEBUG = env_bool("JIXIAO_DEBUG")
ALLOWED_HOSTS = env_list("JIXIAO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jixiao.common",
    "jixiao.jobs",
    "jixiao.audit.apps.AuditConfig",
    "jixiao.access",
    "jixiao.notifications",
    "jixiao.org",
    "jixiao.plans",
    "jixiao.cycles",
    "jixiao.pay",
    "jixiao.cases",
    "jixiao.cases.appeals",
    "jixiao.cases.concerns",
    "jixiao.cases.suggestions",
    "jixiao.people",
    "jixiao.people.rules",
    "jixiao.people.improvement",
    "jixiao.people.cadres",
    "jixiao.people.training",
    "jixiao.people.workplans",
    "jixiao.people.handbook",
    "jixiao.reports",
    "jixiao.reports.monthly",
    "jixiao.integrity",
    "jixiao.api",
    "jixiao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jixiao.common.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "jixiao.common.middleware.JixiaoErrorMiddleware",
]

ROOT_URLCONF = "jixiao.urls"
WSGI_APPLICATION = "jixiao.wsgi.application"

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
                "jixiao.access.context.navigation",
                "jixiao.notifications.context.unread",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("JIXIAO_DATABASE_URL"))}

# The cache holds short-lived counters (wrong follow-up codes per address, cases.concerns.codes):
# a file cache in the data directory, shared by every web worker on the machine; several app
# servers share one through ``JIXIAO_CACHE_URL=redis://host:6379/0`` (needs ``pip install redis``).
_CACHE_URL = env_str("JIXIAO_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    )
}

# Background jobs (closing a cycle's scoring): django-tasks with its database backend; `make run`
# starts one `jixiao db_worker` beside the web server. ``JIXIAO_TASKS_IMMEDIATE=1`` runs each job
# inside the request instead (no worker; for a quick try, never for 100,000 people).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("JIXIAO_TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# E-mail for notifications (notifications.mail): a job after commit sends each one over SMTP.
EMAIL_HOST = env_str("JIXIAO_EMAIL_HOST")
JIXIAO_EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_USE_TLS = env_bool("JIXIAO_EMAIL_TLS")
_EMAIL_PORT = env_str("JIXIAO_EMAIL_PORT").strip()
EMAIL_PORT = int(_EMAIL_PORT) if _EMAIL_PORT.isdigit() else (587 if EMAIL_USE_TLS else 25)
EMAIL_HOST_USER = env_str("JIXIAO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("JIXIAO_EMAIL_PASSWORD")
DEFAULT_FROM_EMAIL = env_str("JIXIAO_EMAIL_FROM", "jixiao@localhost")
EMAIL_TIMEOUT = 20  # seconds: a silent server fails the job, it does not hang the worker
JIXIAO_SITE_URL = env_str("JIXIAO_SITE_URL", "http://127.0.0.1:8000")
# Tests only: seconds to pause between chunks of stored results, so a kill lands midway.
JIXIAO_CLOSE_STORE_PAUSE = float(env_str("JIXIAO_CLOSE_STORE_PAUSE", "0") or 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock the username+address pair for 15 minutes, and twenty
# failures within an hour lock the address whatever the usernames (jixiao.access.throttle).
AXES_HANDLER = "jixiao.access.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
JIXIAO_LOGIN_ADDRESS_LIMIT = 20
JIXIAO_LOGIN_ADDRESS_WINDOW = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded spreadsheets: refuse anything larger before parsing it (see common.excel).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
JIXIAO_MAX_UPLOAD_BYTES = 64 * 1024 * 1024
# Uploads past the limit are counted, not stored, and refused as too large (common.spreadsheet).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "jixiao.common.spreadsheet.SizeCappedUploadHandler",
]
# Money bounds (docs/decisions.md, decision 33): one money entry (reward, penalty, adjustment,
# pay amount) at most this many yuan; a net profit (entered or simulated) at most the profit
# ceiling; a reward or penalty above the second-approval threshold is approved only by the
# committee leader, with a reason.
JIXIAO_MONEY_CEILING_YUAN = int(env_str("JIXIAO_MONEY_CEILING_YUAN", "10000000") or 10_000_000)
JIXIAO_PROFIT_CEILING_YUAN = int(env_str("JIXIAO_PROFIT_CEILING_YUAN", "100000000000") or 100_000_000_000)
JIXIAO_SECOND_APPROVAL_YUAN = int(env_str("JIXIAO_SECOND_APPROVAL_YUAN", "50000") or 50_000)
# Serve static files straight from the apps in development; `collectstatic` + manifest in production.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Everything the pages need is served by the app itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("JIXIAO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JIXIAO_LOG_LEVEL", "WARNING")},
}
