"""WSGI entry point for gunicorn: `gunicorn integritas.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.conf.production")
application = get_wsgi_application()
