"""Production: refuses to start without its secrets; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    EMAIL_URL,
    INTEGRITAS_MASTER_KEY,
    INTEGRITAS_RECEIPT_PEPPER,
    SECRET_KEY,
    decode_master_key,
    env,
    mailers_from_url,
)

DEBUG = False
INTEGRITAS_DEMO_ALLOWED = False
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set (at least 50 characters) in production.")
if not INTEGRITAS_MASTER_KEY:
    raise ImproperlyConfigured("INTEGRITAS_MASTER_KEY must be set in production.")
decode_master_key(INTEGRITAS_MASTER_KEY)
if len(INTEGRITAS_RECEIPT_PEPPER) < 32:
    raise ImproperlyConfigured(
        "INTEGRITAS_RECEIPT_PEPPER must be set (32+ characters) in production."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-integritas_session"
CSRF_COOKIE_NAME = "__Host-integritas_csrf"
# Without EMAIL_URL, mail goes to the local MTA; never to the console in production.
MAILERS = mailers_from_url(EMAIL_URL or "smtp://localhost:25")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
