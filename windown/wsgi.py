"""WSGI entry point (gunicorn windown.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "windown.settings")
application = get_wsgi_application()

# With DEBUG off, refuse to start without collected static files (every page would be a 500).
from windown.security.startup import require_collected_static  # noqa: E402

require_collected_static()
