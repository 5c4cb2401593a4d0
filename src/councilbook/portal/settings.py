"""The portal's Django settings, read from the environment (documented in README, "The members' portal").

``COUNCILBOOK_PORTAL``      the portal's folder: database, stored files, secret key (default ``portal/`` beside
                            the parameters folder)
``COUNCILBOOK_PARAMS``      the council's parameters folder (default ``parameters``)
``COUNCILBOOK_SMTP``        the mail server as host:port (default localhost:25)
``COUNCILBOOK_SMTP_USER``, ``COUNCILBOOK_SMTP_PASSWORD``, ``COUNCILBOOK_SMTP_TLS=1`` (STARTTLS)
``COUNCILBOOK_MAIL_FROM``   the sender of every e-mail (default ``sekretariat@localhost``)
``COUNCILBOOK_PORTAL_URL``  the address members reach the portal at, for the links in e-mails
                            (default ``http://127.0.0.1:8000``)
``COUNCILBOOK_SECRET_KEY``  Django's secret key (default: made once and kept in the portal folder, mode 600)
``COUNCILBOOK_ALLOWED_HOSTS`` comma-separated host names (default the portal address's host, 127.0.0.1, localhost)
``COUNCILBOOK_HTTPS=1``     behind the council's web server with TLS: redirect to https, HSTS, trust
                            ``X-Forwarded-Proto`` from that server
``COUNCILBOOK_DEBUG=1``     Django's debug pages (never on by default; never in production)
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF

from councilbook.parameters.records import portal_folder

PARAMS_DIR = Path(os.environ.get("COUNCILBOOK_PARAMS", "parameters"))
PORTAL_DIR = portal_folder(PARAMS_DIR).resolve()
FILES_DIR = PORTAL_DIR / "files"
PORTAL_URL = os.environ.get("COUNCILBOOK_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
HTTPS = os.environ.get("COUNCILBOOK_HTTPS") == "1"
DEBUG = os.environ.get("COUNCILBOOK_DEBUG") == "1"


def _secret_key() -> str:
    configured = os.environ.get("COUNCILBOOK_SECRET_KEY")
    if configured:
        return configured
    path = PORTAL_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    PORTAL_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key)
    return key


SECRET_KEY = _secret_key()
_hosts = os.environ.get("COUNCILBOOK_ALLOWED_HOSTS")
ALLOWED_HOSTS = (
    [h.strip() for h in _hosts.split(",") if h.strip()]
    if _hosts
    else sorted({urlsplit(PORTAL_URL).hostname or "127.0.0.1", "127.0.0.1", "localhost"})
)
CSRF_TRUSTED_ORIGINS = [PORTAL_URL] if PORTAL_URL.startswith("https://") else []

INSTALLED_APPS = [
    "councilbook.portal.apps.PortalConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "councilbook.portal.access.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "councilbook.portal.root_urls"
WSGI_APPLICATION = "councilbook.portal.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "councilbook.portal.access.portal_context",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": PORTAL_DIR / "portal.sqlite3",
        # Several gunicorn workers write the access log: wait for the lock instead of failing.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {  # the rate limits, shared by every worker
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": PORTAL_DIR / "cache"}
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses while locked out, counts failures
    "sesame.backends.ModelBackend",  # the members' login links
    "django.contrib.auth.backends.ModelBackend",  # staff: password (and TOTP, django-otp)
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:meetings"

# A login link: valid 10 minutes and once (a login changes last_login, which the token is bound to).
SESAME_MAX_AGE = 600
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "t"

# Five failed logins lock out for half an hour: a staff user's wrong passwords or codes that user from that client
# address; false or used login links (no user named) the links from that address, not the secretariat's login.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked.html"
AXES_IPWARE_PROXY_COUNT = 1 if HTTPS else None

# Sessions: a new id at every login (Django's login), gone after 30 minutes without use or when the browser
# closes; cookies only over https (localhost counts as secure to browsers), never to scripts, same site only.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "councilbook_session"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

_smtp = os.environ.get("COUNCILBOOK_SMTP", "localhost:25")
EMAIL_HOST, _, _port = _smtp.rpartition(":") if ":" in _smtp else (_smtp, "", "25")
EMAIL_PORT = int(_port or 25)
EMAIL_HOST_USER = os.environ.get("COUNCILBOOK_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COUNCILBOOK_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("COUNCILBOOK_SMTP_TLS") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("COUNCILBOOK_MAIL_FROM", "sekretariat@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "da"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # served from the package: no collectstatic step, no STATIC_ROOT
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}, "axes": {"level": "WARNING"}},
}
