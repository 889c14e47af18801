"""In a real browser, a large upload shows its progress, then the job's page follows the worker
to the preview, and "Import now" to the import (the test runs the worker's task body)."""

import time

import pytest

from inventory.models import DataMapImport, Holding
from inventory.services.datamap_jobs import datamap_job_run
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


def run_when(status: str, timeout: float = 60) -> DataMapImport:
    """Wait for a job in `status`, then do what the worker does with it."""
    deadline = time.monotonic() + timeout
    while not (job := DataMapImport.objects.filter(status=status).first()):
        assert time.monotonic() < deadline, f"no job became {status}"
        time.sleep(0.1)
    datamap_job_run(job.pk)
    return job


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
    page.wait_for_selector("#import-status[data-status=pending]", timeout=60_000)
    run_when("pending")
    page.wait_for_selector("text=Import now", timeout=60_000)  # the page reloaded by itself
    assert "6,000" in page.inner_text("#import-report") and not Holding.objects.exists()
    page.click("text=Import now")
    page.wait_for_selector("#import-status[data-status=queued]", timeout=30_000)
    run_when("queued")
    page.wait_for_selector("#import-status[data-status=done]", timeout=60_000)
    assert Holding.objects.count() == 6000
