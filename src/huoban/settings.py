"""Django settings, read from the environment (ARCHITECTURE §4).

Every value has a safe default for a single-box install. Production (secure cookies, HSTS,
HTTPS redirect) is on when DEBUG is off and ALLOWED_HOSTS names a host other than the loopback,
or when HUOBAN_PRODUCTION says so; it refuses to start without ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool) -> bool:
    """Read a strict boolean: only true/false/1/0/yes/no are accepted."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def database_from_url(url: str) -> dict[str, object]:
    """Turn a DATABASE_URL (postgres://, postgresql://, sqlite:///) into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": "test_" + unquote(parsed.path.lstrip("/"))},
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Kept open between requests (per server thread), as on PostgreSQL: opening the file and
        # running the PRAGMAs below on every request cost the portal about 6% of its time.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock
            # at BEGIN so two writers queue instead of deadlocking on lock upgrade.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATA_DIR = Path(os.environ.get("HUOBAN_DATA_DIR", "./var")).resolve()
DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = os.environ.get("SECRET_KEY_FILE")
    if key_file:
        return Path(key_file).read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

_hosts = os.environ.get("ALLOWED_HOSTS", "")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver", "[::1]"})
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or sorted(LOCAL_HOSTS)
# Production (secure cookies, HSTS, HTTPS redirect) unless told otherwise as soon as DEBUG is off
# and the site answers to a name other than this machine's loopback: `huoban demo` on
# http://127.0.0.1 stays plain HTTP, `ALLOWED_HOSTS=prm.example.cn` is production by default.
# HUOBAN_PRODUCTION=false keeps a plain-HTTP intranet install working (check --deploy warns).
PRODUCTION = envbool(
    "HUOBAN_PRODUCTION", not DEBUG and any(h not in LOCAL_HOSTS for h in ALLOWED_HOSTS)
)
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",
    "huoban.core",
    "huoban.accounts",
    "huoban.audit",
    "huoban.partners",
    "huoban.notifications",
    "huoban.customers",
    "huoban.leads",
    "huoban.terms",
    "huoban.projects",
    "huoban.commissions",
    "huoban.profiles",
    "huoban.agreements",
    "huoban.sharing",
    "huoban.selection",
    "huoban.performance",
    "huoban.credit",
    "huoban.analytics",
    "huoban.imports",
    "huoban.demo",
    "huoban.portal",
    "huoban.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "huoban.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huoban.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "huoban.core.middleware.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "huoban.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "huoban.accounts.middleware.SessionTimeoutMiddleware",
    "huoban.accounts.middleware.PasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "huoban.urls"
WSGI_APPLICATION = "huoban.wsgi.application"

# Forms render with Django's form templates and the project's field partial (D-FRAME-21).
FORM_RENDERER = "huoban.core.forms.FormRenderer"

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
            ],
        },
    },
]

_db_url = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_db_url)
    if _db_url
    else sqlite_database(DATA_DIR / "huoban.sqlite3")
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["huoban.accounts.backends.RoleBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = os.environ.get("HUOBAN_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("HUOBAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_ROOT = DATA_DIR / "uploads"
# The reports `huoban tick` writes (the monthly partner overview PDF, R-PRF-3).
REPORTS_DIR = DATA_DIR / "reports"
MEDIA_URL = "media/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"  # "/" sends partners to the portal, staff to the console
LOGOUT_REDIRECT_URL = "/login/"

# A session ends 8 h after sign-in however busy (SessionTimeoutMiddleware holds it to that even
# though each save moves the stored expiry), after HUOBAN_SESSION_IDLE_MINUTES without a request,
# and with the browser (no persistent cookie on a shared office computer).
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer's plain-HTTP health check

# E-mail (R-NOTE-2): sent by the worker through Django's SMTP backend. No HUOBAN_EMAIL_HOST,
# no e-mail channel: people are told in the app, by robots and webhooks only.
EMAIL_HOST = os.environ.get("HUOBAN_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("HUOBAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HUOBAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HUOBAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("HUOBAN_EMAIL_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = envbool("HUOBAN_EMAIL_SSL", False)  # implicit TLS, usually port 465
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("HUOBAN_EMAIL_FROM", "伙伴 Huoban <noreply@localhost>")

# Where people reach Huoban: the links in e-mails and robot messages start with it.
# R-ANL-1: the gross margin that turns a customer's lifetime cash into its value (CLV).
HUOBAN_GROSS_MARGIN = os.environ.get("HUOBAN_GROSS_MARGIN", "0.30")
HUOBAN_BASE_URL = os.environ.get("HUOBAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Business settings (SPEC): the thresholds and deadlines a company may tune.
HUOBAN: dict[str, Any] = {
    # R-ATT-2: fuzzy name similarity (0–100, rapidfuzz) above HIGH is a match,
    # between LOW and HIGH a possible match an officer decides.
    "MATCH_HIGH": float(os.environ.get("HUOBAN_MATCH_HIGH", "92")),
    "MATCH_LOW": float(os.environ.get("HUOBAN_MATCH_LOW", "75")),
    # R-HOOK-1: webhook addresses in private ranges are refused unless this is set (intranets).
    "WEBHOOK_ALLOW_PRIVATE": os.environ.get("HUOBAN_WEBHOOK_ALLOW_PRIVATE", "").lower()
    in ("1", "true", "yes"),
    # R-NOTE-2: people are told by e-mail only when a mail server is configured.
    "EMAIL_ENABLED": bool(EMAIL_HOST),
    # R-LEAD-3: verdict due this many hours after submission.
    "LEAD_SLA_HOURS": int(os.environ.get("HUOBAN_LEAD_SLA_HOURS", "24")),
    # R-LEAD-4: appeal window (days) and second-review due (business days).
    "APPEAL_WINDOW_DAYS": int(os.environ.get("HUOBAN_APPEAL_WINDOW_DAYS", "30")),
    "SECOND_REVIEW_BUSINESS_DAYS": int(os.environ.get("HUOBAN_SECOND_REVIEW_DAYS", "2")),
    # Security baseline (docs/decisions.md): idle sign-out, API token lifetime (0 = never
    # expires), login throttling, the portal's name-check rate, trusted reverse proxies.
    "SESSION_IDLE_MINUTES": int(os.environ.get("HUOBAN_SESSION_IDLE_MINUTES", "30")),
    "API_TOKEN_DAYS": int(os.environ.get("HUOBAN_API_TOKEN_DAYS", "90")),
    "LOGIN_FAILURES_PER_USERNAME": 5,
    "LOGIN_FAILURES_PER_IP": 20,
    "LOGIN_WINDOW_MINUTES": 15,
    "LOGIN_LOCKOUT_MINUTES": 15,
    "NAME_CHECKS_PER_MINUTE": 30,
    # How many reverse proxies append to X-Forwarded-For in front of gunicorn: the client's
    # address is the one the outermost trusted proxy saw. 0 = REMOTE_ADDR (no proxy).
    "TRUSTED_PROXIES": int(os.environ.get("HUOBAN_TRUSTED_PROXIES", "1" if PRODUCTION else "0")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HUOBAN_LOG_LEVEL", "WARNING")},
}
