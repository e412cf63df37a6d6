"""Development: `make run`. Keys come from the `.env` that `make setup` writes."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=True)
if not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-run-make-setup"  # noqa: S105
INTEGRITAS_DEMO_ALLOWED = True
WHITENOISE_USE_FINDERS = True
