"""A URLconf whose views lose the database half-way (for test_unavailable_midrequest)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def cancelled_query(request):
    """A real query that PostgreSQL cancels: Django raises OperationalError, as on a lost link."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1")
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse("unreachable")


urlpatterns = [
    path("broken/", cancelled_query),
    path("api/v1/broken/", cancelled_query),
    path("", include("windown.urls")),
]
