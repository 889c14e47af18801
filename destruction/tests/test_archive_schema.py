"""The archive endpoints are in the OpenAPI schema."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_archive_endpoints(client, director):
    client.force_login(director.user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/winddowns/{winddown_slug}/destruction/archives/",
        "/api/v1/winddowns/{winddown_slug}/destruction/archives/{id}/verify/",
        "/api/v1/winddowns/{winddown_slug}/destruction/archives/due/",
        "/api/v1/winddowns/{winddown_slug}/destruction/custodian-keys/",
        "/api/v1/winddowns/{winddown_slug}/destruction/custodian-keys/{id}/retire/",
    ):
        assert path in schema
