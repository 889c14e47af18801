"""Production settings fail loudly when unsafe and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_a_short_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def collected_static(folder: Path) -> Path:
    """A STATIC_ROOT whose manifest names every static file, as collectstatic would leave it
    (the deploy check compares the two; collecting for real takes minutes on CI)."""
    import json

    from django.contrib.staticfiles import finders

    paths = {p: p for f in finders.get_finders() for p, _ in f.list(["CVS", ".*", "*~"])}
    folder.mkdir()
    (folder / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1"}))
    return folder


def test_check_deploy_is_clean_in_a_production_like_environment(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="windown.example.com",
        STATIC_ROOT=str(collected_static(tmp_path / "static")),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_mode_starts_without_configuration():
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr
