"""IT records a scheduled destruction in the browser: uploads the tool log as evidence on the
perform page, fills in the method and the outcome, and the job shows as performed."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from destruction.models import DestructionJob
from destruction.services import jobs as service
from destruction.tests import factories as f
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_performs_a_job_with_an_evidence_upload(browser_page, winddown, member, tmp_path):
    it, legal = member("it"), member("legal")
    holding = f.holding(winddown)
    f.decision(holding, legal)
    f.notified(winddown)
    job = service.job_create(by=it, title="Delete German order data")
    item = service.job_item_add(by=it, job=job, kind="holding", holding=holding)
    service.job_schedule(by=it, job=job, scheduled_for=timezone.now() + dt.timedelta(hours=1))
    log = tmp_path / "psql-session.log"
    log.write_bytes(b"DELETE 100\nCOMMIT\n count\n-------\n     0\n")

    page = browser_page
    sign_in(page, it.user.email, PASSWORD)
    page.goto(f"{page.base_url}/w/{winddown.slug}/destruction/jobs/{job.pk}/")
    page.click("#perform-link")
    page.select_option("select[name=kind]", "tool_log")
    page.set_input_files("input[name=file]", str(log))
    page.click("text=Upload evidence")
    expect(page.locator("code.sha256")).to_have_text(hashlib.sha256(log.read_bytes()).hexdigest())

    form = page.locator("#perform-form")
    form.locator("select[name=sanitization_level]").select_option("clear")
    form.locator("select[name=technique]").select_option("logical_deletion")
    form.locator("[name=deletion_statement]").fill("DELETE FROM orders WHERE country = 'DE'")
    form.locator("[name=verification_query]").fill(
        "SELECT count(*) FROM orders WHERE country = 'DE'"
    )
    form.locator("[name=verification_query_result]").fill("0")
    start = (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.now() - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    form.locator("[name=started_at]").fill(start)
    form.locator("[name=finished_at]").fill(end)
    form.locator("[name=performer_name]").fill("Li Wei")
    form.locator(f"select[name=outcome_{item.pk}]").select_option("destroyed")
    form.locator("button[type=submit]").click()

    expect(page.locator("#job-status")).to_have_text("Performed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "destruction-job-performed.png"), full_page=True)
    job.refresh_from_db()
    assert job.status == DestructionJob.Status.PERFORMED and job.performer_name == "Li Wei"
    assert job.evidence.get().original_name == "psql-session.log"
    holding.refresh_from_db()
    assert holding.destroyed_by_job == job.reference
