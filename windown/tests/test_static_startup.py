"""With DEBUG off, the web server refuses to start without collected static files and says why
(before, every page was a 500); after `collectstatic` it starts."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def production_env(static_root: Path, settings_module="windown.settings") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "s" * 64,
        "STATIC_ROOT": str(static_root),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": f"{static_root.parent}:{ROOT}",
    }


# Production settings whose manifest storage skips WhiteNoise's compression: compressing every
# file (the API docs' bundles among them) took over two minutes on the shared CI machine, and
# the check looks only at the manifest.
UNCOMPRESSED = """from windown.settings import *  # noqa
STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)
"""


def run(args, env, timeout=120):
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_the_server_refuses_to_start_without_collectstatic_and_starts_after_it(tmp_path):
    (tmp_path / "uncompressed_settings.py").write_text(UNCOMPRESSED)
    env = production_env(tmp_path / "static", "uncompressed_settings")
    load_app = [sys.executable, "-c", "import windown.wsgi"]
    refused = run(load_app, env)
    assert refused.returncode != 0
    assert "windown cannot serve pages" in refused.stderr
    assert "static files were never collected" in refused.stderr
    assert "manage.py collectstatic" in refused.stderr
    check = run([sys.executable, "manage.py", "check", "--deploy"], env)
    assert check.returncode != 0 and "windown.E001" in check.stderr

    collected = run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    assert collected.returncode == 0, collected.stderr
    started = run(load_app, env)
    assert started.returncode == 0, started.stderr

    (ROOT / "windown" / "static" / "windown" / "added-later.css").write_text("p {}")
    try:
        stale = run(load_app, env)
    finally:
        (ROOT / "windown" / "static" / "windown" / "added-later.css").unlink()
    assert stale.returncode != 0
    assert "newer than the last collectstatic: windown/added-later.css" in stale.stderr


def test_gunicorn_exits_with_the_reason_when_static_files_are_missing(tmp_path):
    env = production_env(tmp_path / "static")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    result = run([gunicorn, "--bind", "127.0.0.1:0", "--workers", "1", "windown.wsgi"], env, 60)
    assert result.returncode != 0
    assert "static files were never collected" in result.stderr
