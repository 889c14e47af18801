"""The certificate endpoints are in the OpenAPI schema, and the schema validates."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_certificate_endpoints(client, director):
    client.force_login(director.user)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    base = "/api/v1/winddowns/{winddown_slug}/certificates/"
    for path, methods in (
        (base, {"get", "post"}),
        (base + "{serial}/", {"get"}),
        (base + "{serial}/pdf/", {"get"}),
        (base + "{serial}/revoke/", {"post"}),
        (base + "{serial}/reissue/", {"post"}),
    ):
        assert methods <= set(schema["paths"][path]), path
    pdf = schema["paths"][base + "{serial}/pdf/"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in pdf


def test_spectacular_validates_the_schema(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
