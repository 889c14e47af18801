"""Fixtures shared by every app's tests (a pytest plugin: pyproject.toml loads it with -p)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # models are imported inside the fixtures: this plugin loads before Django
    from windown.models import Membership


@pytest.fixture(scope="session", autouse=True)
def audit_trail_truncatable_in_test_database(django_db_setup, django_db_blocker):
    """Let transactional tests empty the audit table of the throwaway test database.

    On PostgreSQL a trigger forbids TRUNCATE on the audit trail unless the database sets
    `windown.allow_truncate`; pytest-django flushes tables with TRUNCATE after such tests.
    (A fixture of its own, not an override of django_db_setup: in a plugin module an
    override would lose to pytest-django's own.)
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            if not name.startswith("test_"):
                return  # no test of this run uses the database: none was created
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{name}" SET windown.allow_truncate = on')
                cursor.execute("SET windown.allow_truncate = on")


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the message catalogues when a .mo is missing or older than its .po.

    `make` compiles them too; this lets `pytest` run on a fresh clone (the .mo files are not
    committed) and after a catalogue was edited.
    """
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    catalogues = Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/django.po")
    stale = [
        po
        for po in catalogues
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request in zh-Hans leaves the thread's language active (LocaleMiddleware does not
    reset it): put the default back so no test depends on which test ran before it."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def files_in_a_temporary_folder(settings, tmp_path_factory):
    """Keep stored files (archives, evidence) and demo secrets out of the checkout's var/."""
    folder = tmp_path_factory.mktemp("var")
    settings.MEDIA_ROOT = str(folder / "media")
    settings.WINDOWN_DEMO_DIR = folder / "demo"


@pytest.fixture
def winddown(db):
    from windown.tests.factories import make_winddown

    return make_winddown(slug="acme")


@pytest.fixture
def director(winddown) -> Membership:
    from windown.roles import Role

    return winddown.memberships.get(role=Role.DIRECTOR)


@pytest.fixture
def member(winddown):
    """Make a member of `winddown` with a role: member("custodian", department="Sales")."""

    from windown.roles import Role
    from windown.tests.factories import MembershipFactory

    def make(role: str, department: str = "", winddown=winddown) -> Membership:
        if role == Role.CUSTODIAN and not department:
            department = "Sales"
        return MembershipFactory(winddown=winddown, role=role, department=department)

    return make


@pytest.fixture
def other_winddown(db):
    """A second tenant whose objects no member of `winddown` may see."""
    from windown.tests.factories import make_winddown

    return make_winddown(slug="other-co", company_legal_name="Other Co")


@pytest.fixture
def client_for(client):
    """Return a Django test client signed in as the membership's user."""

    def sign_in(membership: Membership):
        client.force_login(membership.user)
        return client

    return sign_in


@pytest.fixture
def api_for():
    """Return a DRF client authenticated with the membership's API token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def authenticate(membership: Membership):
        api = APIClient()
        token, _ = Token.objects.get_or_create(user=membership.user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return authenticate


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Where browser tests save their screenshots (and where a failing one leaves its last page).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def save_failure_screenshots(item, pages) -> list[Path]:
    """Save a full-page screenshot of every page still open when a browser test failed:
    var/screenshots/failures/<test>[-<n>].png (CI keeps the folder as an artifact)."""
    report = getattr(item, "report_call", None)
    if report is None or not report.failed:
        return []
    folder = SCREENSHOTS / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", item.nodeid.split("::", 1)[-1])
    saved = []
    for n, page in enumerate(p for p in pages if not p.is_closed()):
        path = folder / (f"{name}.png" if n == 0 else f"{name}-{n}.png")
        try:
            page.screenshot(path=str(path), full_page=True, timeout=10_000)
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"no failure screenshot of {page.url}: {error}")
            continue
        saved.append(path)
        print(f"failure screenshot: {path} ({page.url})")
    return saved


@pytest.fixture
def browser(live_server, monkeypatch, request):
    """A headless Debian Chromium (Playwright) for the live test server; `browser.new_page()`
    opens a page (another person's session: a fresh context) at `page.base_url`. If the test
    fails, every open page is saved as a screenshot (see save_failure_screenshots)."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    # Playwright's sync API runs an event loop in this thread; the ORM calls Django makes for
    # the test itself are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium_browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        pages = []

        class Browser:
            def new_page(self, **options):
                context = chromium_browser.new_context(
                    viewport={"width": 1280, "height": 900}, accept_downloads=True, **options
                )
                page = context.new_page()
                page.base_url = live_server.url
                pages.append(page)
                return page

        yield Browser()
        save_failure_screenshots(request.node, pages)
        chromium_browser.close()


@pytest.fixture
def browser_page(browser):
    """A headless Debian Chromium page (Playwright) pointed at the live test server; saved as a
    screenshot if the test fails."""
    return browser.new_page()


def sign_in(page, email: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


@pytest.fixture(scope="session")
def signing_ca_dir(tmp_path_factory):
    """A local root CA and signing certificate, made once per test session (RSA keys are slow)."""
    from windown.localca import local_ca_create

    directory = tmp_path_factory.mktemp("signing")
    local_ca_create(directory=directory, organization="Test Installation")
    return directory


@pytest.fixture
def signing_ca(settings, signing_ca_dir):
    """Point the installation's signing settings at the session's local CA."""
    settings.WINDOWN_SIGNING_DIR = signing_ca_dir
    return signing_ca_dir
