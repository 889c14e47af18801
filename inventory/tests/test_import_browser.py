"""In a real browser, a large upload shows its progress and lands on the preview."""

import pytest

from inventory.models import Holding
from inventory.tests.sheets import csv_bytes, row
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    browser_page, director, tmp_path
):
    page = browser_page
    path = big_file(tmp_path)
    sign_in(page, director.user.email, PASSWORD)
    page.goto(f"{page.base_url}/w/acme/inventory/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("button[value=preview]")
    page.wait_for_selector("#import-progress", state="visible", timeout=5000)
    page.wait_for_selector("text=Import now", timeout=120_000)
    assert not Holding.objects.exists()
    page.click("text=Import now")
    page.wait_for_selector("text=Imported 6000 rows", timeout=120_000)
    assert Holding.objects.count() == 6000
