"""Journey 2 (issue 15): a department custodian imports a data map with a mistake, reads which
row and column is wrong, fixes the file, imports it and attests the department — in headless
Debian Chromium, with a real Celery worker reading the uploads. A failing run leaves
screenshots in var/screenshots/failures/."""

import pytest
from playwright.sync_api import expect

from inventory.models import Attestation, Holding
from inventory.tests.sheets import csv_bytes, sales_rows
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import SCREENSHOTS, sign_in
from windown.tests.workers import BROKER, WORKER_TEST, celery_worker, tasks_sent_to

pytestmark = [pytest.mark.browser, *WORKER_TEST]


@pytest.fixture
def worker(settings, tmp_path):
    """A real worker reading the files the page stores; this process's tasks go to its broker."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with tasks_sent_to(BROKER), celery_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT)) as process:
        yield process


def test_a_custodian_fixes_a_data_map_imports_it_and_attests_the_department(
    worker, browser_page, winddown, member, tmp_path
):
    custodian = member("custodian", department="Sales")
    rows = sales_rows(6)
    rows[2]["records_total"] = "about ten thousand"  # the file's row 4 (after the header)
    wrong, fixed = tmp_path / "sales-datamap.csv", tmp_path / "sales-datamap-fixed.csv"
    wrong.write_bytes(csv_bytes(rows))
    rows[2]["records_total"] = "10000"
    fixed.write_bytes(csv_bytes(rows))

    page = browser_page
    sign_in(page, custodian.user.email, PASSWORD)
    page.goto(f"{page.base_url}/w/{winddown.slug}/inventory/import/")
    page.set_input_files("#import-form input[type=file]", str(wrong))
    page.click("#import-form button[value=preview]")
    problem = page.locator("table.problems tbody tr")
    expect(problem).to_have_count(1, timeout=60_000)  # the worker read it; the page followed
    expect(problem.locator("td").nth(0)).to_have_text("4")
    expect(problem.locator("td").nth(1)).to_have_text("records_total")
    expect(problem.locator("td").nth(2)).not_to_be_empty()
    expect(page.locator("#confirm-form")).to_have_count(0)  # nothing to import from a bad file
    page.screenshot(path=str(SCREENSHOTS / "journey-custodian-problem.png"), full_page=True)
    assert not Holding.objects.exists()

    page.set_input_files("#import-form input[type=file]", str(fixed))
    page.click("#import-form button[value=preview]")
    expect(page.locator("#confirm-form")).to_be_visible(timeout=60_000)
    expect(page.locator("table.problems")).to_have_count(0)
    page.click("#confirm-form button[type=submit]")
    expect(page.locator("#import-status[data-status=done]")).to_be_attached(timeout=60_000)
    assert Holding.objects.filter(system__winddown=winddown).count() == 6

    page.goto(f"{page.base_url}/w/{winddown.slug}/inventory/attestations/Sales/")
    expect(page.locator("hgroup .badge")).to_have_text("not attested")
    page.check("input[name=confirm]")
    page.click("form button[type=submit] >> text=Sign the attestation")
    expect(page.locator(".messages")).to_contain_text("the declaration is attested")
    page.goto(f"{page.base_url}/w/{winddown.slug}/inventory/attestations/Sales/")
    expect(page.locator("hgroup .badge")).to_have_text("attested")
    page.screenshot(path=str(SCREENSHOTS / "journey-custodian-attested.png"), full_page=True)
    attestation = Attestation.objects.get(winddown=winddown, department="Sales")
    assert attestation.attested_by == custodian
