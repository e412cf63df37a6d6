"""Settings shared by every environment.

Every environment variable Integritas reads is read here, with its documented default
(see README.md, "Configuratie"). dev.py, test.py and production.py only change defaults.
Values in the real environment override those in `.env`.
"""

import base64
import binascii
import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
ENV_FILE = Path(os.environ.get("INTEGRITAS_ENV_FILE", REPO_DIR / ".env"))
if ENV_FILE.is_file():
    # overwrite=False: the real environment wins over .env.
    env.read_env(str(ENV_FILE), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# SECRET_KEY: signs sessions and tokens. Required in production; dev/test set a default.
SECRET_KEY = env.str("SECRET_KEY", default="")
# ALLOWED_HOSTS: comma-separated host names this installation answers to.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# CSRF_TRUSTED_ORIGINS: comma-separated origins behind a TLS-terminating proxy.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# DATABASE_URL: sqlite:///path or postgres://user:pass@host:5432/name.
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{REPO_DIR / 'integritas.sqlite3'}")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# INTEGRITAS_MASTER_KEY: 32 random bytes, url-safe base64. Wraps the data keys of
# encrypted records. Never stored in the database; see docs/operations.md for custody.
INTEGRITAS_MASTER_KEY = env.str("INTEGRITAS_MASTER_KEY", default="")
# INTEGRITAS_MASTER_KEY_ID: a label stored next to every wrapped key, for rotation.
INTEGRITAS_MASTER_KEY_ID = env.str("INTEGRITAS_MASTER_KEY_ID", default="k1")
# INTEGRITAS_PREVIOUS_MASTER_KEYS: "id:key,id:key" — earlier master keys, kept only while
# `integritas rotate_master_key` re-wraps the data keys they wrapped.
INTEGRITAS_PREVIOUS_MASTER_KEYS = env.list("INTEGRITAS_PREVIOUS_MASTER_KEYS", default=[])
# INTEGRITAS_RECEIPT_PEPPER: at least 32 random characters. Keys the slow hash of receipt
# codes and the blind index of involved persons, and derives the Ed25519 key that signs
# proofs of receipt; deliberately independent of the master key, so that rotating the
# master key leaves every receipt code and every proof working.
INTEGRITAS_RECEIPT_PEPPER = env.str("INTEGRITAS_RECEIPT_PEPPER", default="")
# INTEGRITAS_BACKUP_KEY: 32 random bytes, url-safe base64, never the master key. Encrypts
# the archives of `integritas backup`; only backup and restore need it (docs/operations.md).
INTEGRITAS_BACKUP_KEY = env.str("INTEGRITAS_BACKUP_KEY", default="")


def decode_master_key(value: str) -> bytes:
    """Return the 32 raw bytes of a url-safe base64 master key, or raise."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        # b64decode would silently drop such characters (quotes, spaces, "+" and "/").
        raise ImproperlyConfigured("INTEGRITAS_MASTER_KEY is not url-safe base64.")
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii") + b"=" * (-len(value) % 4))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured("INTEGRITAS_MASTER_KEY is not url-safe base64.") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured("INTEGRITAS_MASTER_KEY must decode to exactly 32 bytes.")
    return raw


# EMAIL_URL: smtp://user:pass@host:587 (smtp+tls://, consolemail://, dummymail://).
# Default: consolemail:// (printed) in development, smtp://localhost:25 in production.
EMAIL_URL = env.str("EMAIL_URL", default="")


def mailers_from_url(url: str) -> dict:
    """Django 6.1's MAILERS setting from one EMAIL_URL."""
    config = env.email_url_config(url)
    mailer: dict = {"BACKEND": config["EMAIL_BACKEND"]}
    if config["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        mailer["OPTIONS"] = {
            "host": config.get("EMAIL_HOST", "localhost"),
            "port": config.get("EMAIL_PORT", 25),
            "username": config.get("EMAIL_HOST_USER", ""),
            "password": config.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": bool(config.get("EMAIL_USE_TLS", False)),
            "use_ssl": bool(config.get("EMAIL_USE_SSL", False)),
            "timeout": 30,
        }
    return {"default": mailer}


MAILERS = mailers_from_url(EMAIL_URL or "consolemail://")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="integritas@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# OIDC_PROVIDERS: comma-separated organisation slugs with single sign-on. For each slug
# OIDC_<SLUG>_SERVER_URL, OIDC_<SLUG>_CLIENT_ID and OIDC_<SLUG>_CLIENT_SECRET are read;
# OIDC_<SLUG>_MFA_AMR (default "mfa,hwk,otp,swk,sms") lists the amr values that count as
# a second factor, OIDC_<SLUG>_MFA_ACR optionally an acr value that does.
OIDC_PROVIDERS = env.list("OIDC_PROVIDERS", default=[])
OIDC_APPS = []
INTEGRITAS_OIDC_MFA = {}
for _slug in OIDC_PROVIDERS:
    _prefix = f"OIDC_{_slug.upper()}_"
    OIDC_APPS.append(
        {
            "provider_id": _slug,
            "name": env.str(_prefix + "NAME", default=_slug),
            "client_id": env.str(_prefix + "CLIENT_ID"),
            "secret": env.str(_prefix + "CLIENT_SECRET"),
            "settings": {
                "server_url": env.str(_prefix + "SERVER_URL"),
                "fetch_userinfo": True,
                "oauth_pkce_enabled": True,
                "scope": ["openid", "email", "profile"],
            },
        }
    )
    INTEGRITAS_OIDC_MFA[_slug] = {
        "amr": env.list(_prefix + "MFA_AMR", default=["mfa", "hwk", "otp", "swk", "sms"]),
        "acr": env.list(_prefix + "MFA_ACR", default=[]),
    }

# LANGUAGE_CODE: nl (default) or en.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="nl")
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
# locale_overrides first: Django's and django-allauth's own Dutch where it says "je/jouw"
# or is missing, in the "u" of the application. Kept by hand (not by makemessages);
# locale holds the application's catalogues.
LOCALE_PATHS = [PACKAGE_DIR / "locale_overrides", PACKAGE_DIR / "locale"]
# The language is the one chosen in the application (never the browser's Accept-Language,
# see core.middleware.LanguageMiddleware), kept for a year in this cookie.
LANGUAGE_COOKIE_NAME = "integritas_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Session lifetimes in minutes (R-BIO-2): idle expiry for everyone and for privileged roles.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_IDLE_MINUTES_PRIVILEGED = env.int("SESSION_IDLE_MINUTES_PRIVILEGED", default=15)
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "integritas_session"
CSRF_COOKIE_NAME = "integritas_csrf"
CSRF_COOKIE_HTTPONLY = True

# AXES_FAILURE_LIMIT / AXES_COOLOFF_MINUTES: brute-force lock-out of the login.
# Guessing is held back in three ways, and only the first one ever locks (README,
# "Inlogpogingen"):
# 1. django-axes locks a login name *from one address* after AXES_FAILURE_LIMIT failures,
#    for AXES_COOLOFF_MINUTES: the combination, never the name alone, so that a guesser
#    elsewhere cannot lock the real user out of their own workstation.
# 2. allauth's ACCOUNT_RATE_LIMITS (below) only per address: many names from one address.
# 3. Per login name over all addresses only a slowdown (INTEGRITAS_LOGIN_SLOWDOWN_*): a
#    distributed guess costs time; the right password still logs in.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# After this many failures of one login name within AXES_COOLOFF_MINUTES, counted over
# every address (axes' own records, nothing new is stored), each further password check
# for that name waits one second more per failure, up to the maximum; never refused.
INTEGRITAS_LOGIN_SLOWDOWN_AFTER = 10
INTEGRITAS_LOGIN_SLOWDOWN_MAX_SECONDS = 5
AXES_USERNAME_CALLABLE = "integritas.accounts.lockout.username_from_request"
# The client behind trusted proxies (INTEGRITAS_TRUSTED_PROXIES), as for the throttle.
AXES_CLIENT_IP_CALLABLE = "integritas.core.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Axes must not keep the user agent (our handler drops it); the login name and IP address
# are kept for the lock-out and the failure log only. Successful logins are in the audit log.
AXES_HANDLER = "integritas.accounts.lockout.PrivacyAxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True

# SECURE_PROXY_SSL_HEADER / USE_X_FORWARDED_HOST: set when behind a TLS proxy.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth's list of passkeys loads humanize; without it that page fails once a key exists.
    "django.contrib.humanize",
    "django.forms",
    "pgtrigger",
    "rules",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "django_tasks_db",
    # In layers, from the bottom (docs/architecture.md; import-linter checks them).
    "integritas.core",
    "integritas.audit",
    "integritas.organisations",
    "integritas.accounts",
    "integritas.notifications",
    # Domain apps: independent of each other.
    "integritas.counsel",
    "integritas.cases",
    "integritas.registers",
    "integritas.policies",
    "integritas.obligations",
    "integritas.risks",
    "integritas.awareness",
    # Composition on top.
    "integritas.portal",
    "rest_framework",
    "drf_spectacular",
    "integritas.api",
    "integritas.demo",
]

# Background work (DESIGN §2: tasks carry ids only). The database queue needs no extra
# server; `integritas db_worker` runs it (make run starts one; production: a service).
# One worker on SQLite, which has no SKIP LOCKED.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "integritas.core.middleware.SessionlessPathsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Instead of LocaleMiddleware (which follows Accept-Language); needs request.user.
    "integritas.core.middleware.LanguageMiddleware",
    "integritas.core.middleware.WorkListsMarkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "integritas.accounts.middleware.IdleSessionMiddleware",
    "integritas.accounts.middleware.LoginRequiredMiddleware",
    "integritas.accounts.middleware.SecondFactorRequiredMiddleware",
    "integritas.core.middleware.NoStoreForAuthenticatedMiddleware",
    # Sees every 404/403 a view raises: refused access is audited (R-BIO-1).
    "integritas.accounts.refusals.DeniedAccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Django REST framework (the public JSON API under /api/v1/). No authentication class by
# default: the API never reads or writes a session (DESIGN §2), and an endpoint is closed
# unless it opens itself (the Meldpunt's two endpoints say AllowAny). JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Integritas API",
    "VERSION": "v1",
    "DESCRIPTION": (
        "De API van Integritas. Het Meldpunt Integriteit: melden en het postvak, zonder "
        "inloggen. De HR-koppeling onder /api/v1/hr/: afdelingen, functies en "
        "medewerkers lezen en bijwerken en de verplichtingen van medewerkers lezen, met "
        "een API-sleutel van de organisatie (Authorization: Bearer)."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail login, no self sign-up (accounts come from HR and administrators).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "integritas.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# allauth's own rate limits, set deliberately (they merge over allauth's defaults). Its
# default "login_failed" also counts per login name ("5/5m/key"): five wrong passwords
# from anywhere refused the right one everywhere ("Te veel inlogpogingen"). Here it counts
# per address only (a password spray over many names from one address); the lock per name
# and address is axes' (above). Generous enough for a town hall behind one address; the
# address is the client behind trusted proxies (AccountAdapter.get_client_ip). allauth
# keeps these counts in the cache (per process unless CACHES is shared): axes, in the
# database, is the lock that holds across processes.
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "20/m/ip",
}
SOCIALACCOUNT_ADAPTER = "integritas.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": OIDC_APPS}}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# allauth's passkey forms, with a Dutch label for the key's name.
MFA_FORMS = {
    "add_webauthn": "integritas.accounts.mfa_forms.AddKeyForm",
    "edit_webauthn": "integritas.accounts.mfa_forms.EditKeyForm",
}
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Integritas")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

ROOT_URLCONF = "integritas.urls"
# Handlers for 400, 403, 404 and 500 are in urls.py; all of them in core/errors.py.
CSRF_FAILURE_VIEW = "integritas.core.errors.csrf_failure"
WSGI_APPLICATION = "integritas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "integritas.portal.context_processors.navigation",
            ],
        },
    },
    # Jinja2 for the templates that need its speed: the form renderer and the busiest
    # pages, whose Django template includes the Jinja2 body (core/jinja.py). Templates in
    # jinja2/ folders, apart from the Django templates; Django's widgets from django.forms.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "integritas.core.jinja.environment"},
    },
]
FORM_RENDERER = "integritas.core.forms.IntegritasFormRenderer"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(REPO_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# MEDIA_ROOT: where encrypted uploads are kept (never served directly).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(REPO_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# HR_IMPORT_MAX_BYTES: largest HR file the upload page accepts.
HR_IMPORT_MAX_BYTES = env.int("HR_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# Content-Security-Policy: strict, no inline script or style, in every environment.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry paths and client addresses; keep them out of the log.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # weasyprint logs every step of every PDF (and fontTools every font subset) at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# INTEGRITAS_WBK_WORKER_THRESHOLD: workers from which an internal procedure is due (R-WBK-1).
INTEGRITAS_WBK_WORKER_THRESHOLD = env.int("INTEGRITAS_WBK_WORKER_THRESHOLD", default=50)
# Argon2id cost of the receipt-code hash (slow on purpose: guessing must be expensive).
INTEGRITAS_RECEIPT_HASH_TIME_COST = env.int("INTEGRITAS_RECEIPT_HASH_TIME_COST", default=3)
INTEGRITAS_RECEIPT_HASH_MEMORY_KIB = env.int("INTEGRITAS_RECEIPT_HASH_MEMORY_KIB", default=65536)
# Retention of closed cases in years (R-DP-2; defaults from REQUIREMENTS.md).
INTEGRITAS_RETENTION_YEARS_WITH_MEASURE = env.int(
    "INTEGRITAS_RETENTION_YEARS_WITH_MEASURE", default=10
)
INTEGRITAS_RETENTION_YEARS_WITHOUT_MEASURE = env.int(
    "INTEGRITAS_RETENTION_YEARS_WITHOUT_MEASURE", default=5
)
# Per outcome and per type of case, for cases closed without a measure ("key=years;...").
# By finding: founded, partly_founded, unfounded, not_assessable, or `none` for a case
# closed without an investigation. By kind: integrity_violation, wrongdoing, irregularity,
# unwanted_behaviour. The finding's period comes before the kind's, both before the
# default; a disciplinary measure always keeps the case WITH_MEASURE years.
INTEGRITAS_RETENTION_YEARS_BY_FINDING = env.dict(
    "INTEGRITAS_RETENTION_YEARS_BY_FINDING", cast={"value": int}, default={}
)
INTEGRITAS_RETENTION_YEARS_BY_KIND = env.dict(
    "INTEGRITAS_RETENTION_YEARS_BY_KIND", cast={"value": int}, default={}
)
# INTEGRITAS_API_CALL_RETENTION_DAYS: the HR API's call records (ids and counts, next
# to their audit events) are purged by `purge_expired` after this many days.
INTEGRITAS_API_CALL_RETENTION_DAYS = env.int("INTEGRITAS_API_CALL_RETENTION_DAYS", default=365)
# INTEGRITAS_BASE_URL: the address users reach this installation at (links in e-mails).
INTEGRITAS_BASE_URL = env.str("INTEGRITAS_BASE_URL", default="http://127.0.0.1:8000")
# INTEGRITAS_ATTACHMENT_MAX_FILES / _MAX_BYTES: how many files a report or message may
# carry, and the largest size of one file (checked while reading, not from headers).
INTEGRITAS_ATTACHMENT_MAX_FILES = env.int("INTEGRITAS_ATTACHMENT_MAX_FILES", default=10)
INTEGRITAS_ATTACHMENT_MAX_BYTES = env.int(
    "INTEGRITAS_ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024
)
# INTEGRITAS_CLAMD_SOCKET: clamd to scan attachments with, a unix socket path
# ("/run/clamav/clamd.ctl") or host:port ("127.0.0.1:3310"). Empty: no scan, files stay
# "pending" and the download page warns. INTEGRITAS_CLAMD_TIMEOUT in seconds.
INTEGRITAS_CLAMD_SOCKET = env.str("INTEGRITAS_CLAMD_SOCKET", default="")
INTEGRITAS_CLAMD_TIMEOUT = env.float("INTEGRITAS_CLAMD_TIMEOUT", default=30.0)
# INTEGRITAS_TRUSTED_PROXIES: addresses or networks of the reverse proxies in front of
# the app ("127.0.0.1,10.0.0.0/24"). Only from these is X-Forwarded-For believed, for the
# receipt-code throttle's client key; the address itself is never stored. Empty: the
# connection's own address is the client (no proxy, or a proxy speaking PROXY protocol).
INTEGRITAS_TRUSTED_PROXIES = env.list("INTEGRITAS_TRUSTED_PROXIES", default=[])
# The flood defence of the public intake (cases/intake/budget.py, ADR 0006); nothing here
# refuses a report.
# INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR: reports one source (a keyed hash of its
# address, under a key that lives one hour) sends in an hour without proof of work.
INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR = env.int(
    "INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR", default=20
)
# INTEGRITAS_INTAKE_REPORTS_PER_HOUR: reports over all sources in an hour after which
# every report needs a proof of work (or, without JavaScript, goes to the held queue).
INTEGRITAS_INTAKE_REPORTS_PER_HOUR = env.int("INTEGRITAS_INTAKE_REPORTS_PER_HOUR", default=60)
# The proof of work (altcha, PBKDF2/SHA-256): the browser must find a counter between
# MIN and MAX, each try INTEGRITAS_INTAKE_POW_COST iterations. 2000 x 5000 = 10 million
# iterations: at least 2 seconds of one core in a fast browser (ADR 0006).
INTEGRITAS_INTAKE_POW_COST = env.int("INTEGRITAS_INTAKE_POW_COST", default=5000)
INTEGRITAS_INTAKE_POW_COUNTER_MIN = env.int("INTEGRITAS_INTAKE_POW_COUNTER_MIN", default=2000)
INTEGRITAS_INTAKE_POW_COUNTER_MAX = env.int("INTEGRITAS_INTAKE_POW_COUNTER_MAX", default=4000)

# The home page's work lists (counts, dates, links) are kept this many seconds per user
# (core/work_cache.py): others' work shows within this time, the user's own at once.
# Several server processes should share one cache (CACHES, e.g. Redis) so that they keep
# the lists once; without it each process keeps its own copy, which is still correct.
INTEGRITAS_WORK_LISTS_SECONDS = env.int("INTEGRITAS_WORK_LISTS_SECONDS", default=30)
