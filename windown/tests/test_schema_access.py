"""The OpenAPI schema and docs need a signed-in user in production (WINDOWN_API_SCHEMA_PUBLIC,
off by default when DEBUG is off); in development they are open. The docs page runs no inline
script (its initialisation is a script file, as the Content-Security-Policy requires)."""

import os
import subprocess
import sys
from pathlib import Path

from windown.tests.test_settings import collected_static

ROOT = Path(__file__).resolve().parents[2]
ASK = """
import django; django.setup()
from django.test import Client
client = Client()
for url in ("/api/schema/", "/api/docs/"):
    print(url, client.get(url, secure=True).status_code)
"""


def statuses(**env) -> dict[str, int]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", ASK],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "windown.settings", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {line.split()[0]: int(line.split()[1]) for line in result.stdout.splitlines()}


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "p" * 64, "ALLOWED_HOSTS": "testserver"}


def test_in_production_the_schema_and_docs_need_a_signed_in_user():
    assert statuses(**PRODUCTION) == {"/api/schema/": 401, "/api/docs/": 401}


def test_a_setting_opens_them_in_production(tmp_path):
    static = collected_static(tmp_path / "static")
    opened = statuses(**PRODUCTION, WINDOWN_API_SCHEMA_PUBLIC="true", STATIC_ROOT=str(static))
    assert opened == {"/api/schema/": 200, "/api/docs/": 200}


def test_in_development_they_are_open_and_the_docs_run_no_inline_script(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "<script>" not in body and "?script" in body
    assert "script-src 'self'" in docs["Content-Security-Policy"]
