"""WSGI entry point (gunicorn windown.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
application = get_wsgi_application()
