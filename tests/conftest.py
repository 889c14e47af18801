"""The demo wind-down, loaded once per test module and rolled back after it.

`load_demo` takes several seconds; tests that only read it (the auditor's walk, the audited
downloads) share one load. It runs inside a transaction the module holds open; each test
runs in a savepoint of it (pytest-django's `db`), so nothing leaks into other modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Demo:
    winddown: object
    members: dict
    media_root: str
    demo_dir: str
    signing_dir: str

    def member(self, role: str, department: str = ""):
        return next(
            m
            for m in self.members.values()
            if m.role == role and (not department or m.department == department)
        )


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory, signing_ca_dir):
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from windown.models import WindDown

    folder = tmp_path_factory.mktemp("demo-var")
    paths = {
        "MEDIA_ROOT": str(folder / "media"),
        "WINDOWN_DEMO_DIR": folder / "demo",
        "WINDOWN_SIGNING_DIR": signing_ca_dir,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }
    with django_db_blocker.unblock(), override_settings(**paths), transaction.atomic():
        call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        winddown = WindDown.objects.get(slug="lumen-electronics")
        members = {m.user.email: m for m in winddown.memberships.select_related("user")}
        yield Demo(
            winddown,
            members,
            paths["MEDIA_ROOT"],
            str(paths["WINDOWN_DEMO_DIR"]),
            str(signing_ca_dir),
        )
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db, settings) -> Demo:
    """The module's demo wind-down, with the settings its files were written under."""
    settings.MEDIA_ROOT = demo_data.media_root
    settings.WINDOWN_DEMO_DIR = demo_data.demo_dir
    settings.WINDOWN_SIGNING_DIR = demo_data.signing_dir
    return demo_data
