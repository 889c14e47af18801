"""Pages answer a styled 503 with Retry-After while the database is unreachable, then recover.

The middleware sits right after the static files (which need no database). Django signals
every uncaught exception before it makes a 500 of it; a request that failed because the
database could not be reached or the connection broke on the way (connecting for the session,
in a view, a serializer, the session's save) is answered with the 503 instead of a 500 or a
traceback, even with DEBUG on. A page that needs no database is served as usual. Nothing is
cached: the next request connects again, so the app recovers by itself when the server is back.
"""

from __future__ import annotations

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver

from windown.views.errors import unavailable_response

DATABASE_DOWN = (OperationalError, InterfaceError)
_FLAG = "_windown_database_down"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _FLAG, False):
            return unavailable_response(request)
        return response


@receiver(got_request_exception)
def _note_database_down(sender, request=None, **kwargs) -> None:
    """Django signals every uncaught exception before making it a 500: note the lost database."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_DOWN):
        setattr(request, _FLAG, True)
