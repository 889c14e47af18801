"""Refuse to serve without collected static files when DEBUG is off.

With DEBUG off, static files are served by WhiteNoise from STATIC_ROOT through a manifest that
`collectstatic` writes; without it, every page fails with a 500 ("Missing staticfiles manifest
entry"). The WSGI/ASGI entry points call `require_collected_static` so the server does not
start at all and says why; `manage.py check --deploy` reports the same (windown.E001).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

_IGNORED = ["CVS", ".*", "*~"]  # collectstatic's default ignore patterns
_FIX = "Run `python manage.py collectstatic --no-input` (with the same settings) and start again."


def static_problem() -> str | None:
    """Say what is wrong with the collected static files, or None when they serve every file."""
    if settings.DEBUG or "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]:
        return None
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        return f"DEBUG is off and {manifest} does not exist: static files were never collected."
    try:
        paths = set(json.loads(manifest.read_text(encoding="utf-8"))["paths"])
    except (ValueError, KeyError) as error:
        return f"{manifest} is not a staticfiles manifest ({error})."
    found = (path for finder in finders.get_finders() for path, _ in finder.list(_IGNORED))
    missing = sorted(path for path in found if path not in paths)
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        return f"{len(missing)} static files are newer than the last collectstatic: {shown}."
    return None


def require_collected_static() -> None:
    """Raise ImproperlyConfigured, naming the fix, when `static_problem` finds one."""
    problem = static_problem()
    if problem:
        raise ImproperlyConfigured(f"windown cannot serve pages: {problem} {_FIX}")


@checks.register(checks.Tags.staticfiles, deploy=True)
def check_collected_static(app_configs=None, **kwargs):
    problem = static_problem()
    return [checks.Error(problem, hint=_FIX, id="windown.E001")] if problem else []
