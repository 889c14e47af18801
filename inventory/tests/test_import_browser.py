"""In a real browser, a large upload shows its progress and lands on the preview."""

import pytest

from inventory.models import Holding
from inventory.tests.sheets import csv_bytes, row
from windown.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def big_file(tmp_path):
    jurisdictions = ["DE", "FR", "GB", "US", "JP", "CN", "NL", "IT"]
    rows = [
        row(system=f"Export {n // 8}", jurisdiction=jurisdictions[n % 8], notes="x" * 120)
        for n in range(6000)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(rows))
    assert path.stat().st_size > 1_000_000  # above the page's "large file" threshold
    return path


def test_a_large_upload_shows_progress_then_the_preview_then_imports(
    live_server, director, tmp_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls below are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    path = big_file(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", director.user.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/w/acme/inventory/import/")
        page.set_input_files("input[type=file]", str(path))
        page.click("button[value=preview]")
        page.wait_for_selector("#import-progress", state="visible", timeout=5000)
        page.wait_for_selector("text=Import now", timeout=120_000)
        assert not Holding.objects.exists()
        page.click("text=Import now")
        page.wait_for_selector("text=Imported 6000 rows", timeout=120_000)
        browser.close()
    assert Holding.objects.count() == 6000
