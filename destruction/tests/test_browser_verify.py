"""An auditor downloads a certificate, verifies it on the public page (green), then a tampered
copy (red, with the reason) — in headless Debian Chromium."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from destruction.tests.fixtures_verification import one_byte_changed
from windown.models import AuditEvent
from windown.roles import Role
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_auditor_downloads_a_certificate_and_verifies_it_then_a_tampered_copy(
    issued, member, browser_page, tmp_path
):
    # (issued before browser_page: pyHanko signs with asyncio.run, which Playwright's loop forbids)
    auditor = member(Role.AUDITOR)
    page = browser_page
    sign_in(page, auditor.user.email, PASSWORD)
    page.goto(f"{page.base_url}{issued.get_absolute_url()}")
    with page.expect_download() as download:
        page.click("#download-certificate")
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == f"{issued.serial}.pdf"

    page.goto(f"{page.base_url}/verify/")  # the public page: no account needed, same tab
    page.set_input_files("input[name=pdf]", str(pdf))
    page.click("#verify-submit")
    expect(page.locator("#verify-result")).to_have_class("verify-valid")
    expect(page.locator("#verify-verdict")).to_contain_text(issued.serial)
    expect(page.locator("li.check.ok")).to_have_count(6)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "verify-valid.png"), full_page=True)

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(one_byte_changed(pdf.read_bytes(), "content"))
    page.set_input_files("input[name=pdf]", str(tampered))
    page.click("#verify-submit")
    expect(page.locator("#verify-result")).to_have_class("verify-invalid")
    expect(page.locator('li.check.bad[data-check="signature"] .reason')).to_contain_text(
        "The digest does not match"
    )
    page.screenshot(path=str(SCREENSHOTS / "verify-tampered.png"), full_page=True)
    assert AuditEvent.objects.filter(
        winddown=issued.winddown, actor=auditor.user, action="destruction.certificate_downloaded"
    ).exists()
