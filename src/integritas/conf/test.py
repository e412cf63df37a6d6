"""Tests: fixed keys, fast hashing, SQLite unless DATABASE_URL points elsewhere."""

import base64

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
INTEGRITAS_MASTER_KEY = base64.urlsafe_b64encode(b"t" * 32).decode()
INTEGRITAS_MASTER_KEY_ID = "test"
INTEGRITAS_RECEIPT_PEPPER = "test-only-receipt-pepper-0123456789abcdef"
INTEGRITAS_DEMO_ALLOWED = True
PASSWORD_HASHERS = [
    "integritas.accounts.hashers.FastArgon2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
# Tasks run at once, in the request, after commit; tests/cases/test_tasks.py runs the
# database queue and its worker as production does.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_SQLITE_NAME", default="")}
LANGUAGE_CODE = "nl"
WHITENOISE_USE_FINDERS = True
INTEGRITAS_RECEIPT_HASH_TIME_COST = 1
INTEGRITAS_RECEIPT_HASH_MEMORY_KIB = 1024
# Tests read the work lists fresh on every home page unless they ask for the cache
# (tests/portal/test_work_list_cache.py); benchmarks/run.py sets production's value.
INTEGRITAS_WORK_LISTS_SECONDS = env.int("INTEGRITAS_WORK_LISTS_SECONDS", default=0)
