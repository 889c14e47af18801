"""Pages answer a styled 503 with Retry-After while the database is unreachable, then recover.

The middleware sits right after the static files (which need no database): it connects before
the request goes on, so an unreachable server is answered at once, and it turns any request
that failed because the connection broke on the way (in a view, a serializer, the session's
save) into the same 503 instead of a 500 or a traceback, even with DEBUG on. Nothing is
cached: the next request connects again, so the app recovers by itself when the server is back.
"""

from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver

from windown.views.errors import unavailable_response

log = logging.getLogger(__name__)
DATABASE_DOWN = (OperationalError, InterfaceError)
_FLAG = "_windown_database_down"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            connection.ensure_connection()
        except DATABASE_DOWN as error:
            log.error("Database unreachable, answering 503: %s", error)
            return unavailable_response(request)
        response = self.get_response(request)
        if getattr(request, _FLAG, False):
            return unavailable_response(request)
        return response


@receiver(got_request_exception)
def _note_database_down(sender, request=None, **kwargs) -> None:
    """Django signals every uncaught exception before making it a 500: note the lost database."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_DOWN):
        setattr(request, _FLAG, True)
