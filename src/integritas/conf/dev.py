"""Development: `make run`. Keys come from the `.env` that `make setup` writes."""

from .base import *  # noqa: F403
from .base import INTEGRITAS_RECEIPT_PEPPER, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=True)
if not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-run-make-setup"  # noqa: S105
INTEGRITAS_DEMO_ALLOWED = True
WHITENOISE_USE_FINDERS = True
if not INTEGRITAS_RECEIPT_PEPPER:
    INTEGRITAS_RECEIPT_PEPPER = "dev-only-receipt-pepper-run-make-setup"
