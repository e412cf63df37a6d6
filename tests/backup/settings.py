"""The test settings with files on disk (MEDIA_ROOT), as production keeps them.

The suite keeps files in memory and fixes its keys; a backup test runs `integritas` in
subprocesses that must see the same files, and plays several installations with keys of
their own, so these settings store files in MEDIA_ROOT and take the keys from the
environment when it has them.
"""

from integritas.conf.test import *  # noqa: F403
from integritas.conf.test import (
    INTEGRITAS_MASTER_KEY,
    INTEGRITAS_MASTER_KEY_ID,
    INTEGRITAS_RECEIPT_PEPPER,
    env,
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
INTEGRITAS_MASTER_KEY = env.str("INTEGRITAS_MASTER_KEY", default=INTEGRITAS_MASTER_KEY)
INTEGRITAS_MASTER_KEY_ID = env.str("INTEGRITAS_MASTER_KEY_ID", default=INTEGRITAS_MASTER_KEY_ID)
INTEGRITAS_RECEIPT_PEPPER = env.str("INTEGRITAS_RECEIPT_PEPPER", default=INTEGRITAS_RECEIPT_PEPPER)
