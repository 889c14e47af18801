"""A request whose database fails half-way answers the same 503 as an unreachable database,
even with DEBUG on (no technical 500 page, no traceback)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cancels a query with PostgreSQL's statement_timeout"
)


@needs_postgres
@pytest.mark.urls("tests.faults.urls_broken")
def test_a_query_failing_mid_request_is_a_503_page(client, settings):
    settings.DEBUG = True
    client.raise_request_exception = False  # the test client re-raises what Django signalled
    page = client.get("/broken/", headers={"accept-language": "zh-hans"})
    assert page.status_code == 503
    assert page["Retry-After"] == str(settings.WINDOWN_UNAVAILABLE_RETRY_AFTER)
    assert "no-store" in page["Cache-Control"]
    assert "暂时无法使用" in page.content.decode() and "Traceback" not in page.content.decode()


@needs_postgres
@pytest.mark.urls("tests.faults.urls_broken")
def test_an_api_query_failing_mid_request_is_a_json_503(client):
    client.raise_request_exception = False
    answer = client.get("/api/v1/broken/")
    assert answer.status_code == 503 and answer["Retry-After"]
    assert answer.json()["code"] == "service_unavailable"
