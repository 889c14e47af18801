"""Journey 1 (issue 15): the finance director signs in to the demo, reads the dashboard,
follows a blocker's link to the page that fixes it, switches the UI to 中文 and sees the same
page with no English UI text, then downloads the progress report — in headless Debian
Chromium. A failing run leaves screenshots in var/screenshots/failures/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.english_text import english_text_of
from windown.demo.core import DEMO_PASSWORD
from windown.models import Membership
from windown.roles import Role
from windown.tests.fixtures import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "lumen-electronics"


@pytest.fixture
def demo_director(transactional_db, signing_ca):
    """The demo wind-down's director (loaded before the browser starts: signing a certificate
    runs asyncio, which Playwright's loop in this thread forbids)."""
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Membership.objects.get(winddown__slug=SLUG, role=Role.DIRECTOR)


def test_the_director_follows_a_blocker_reads_it_in_chinese_and_downloads_the_report(
    demo_director, browser_page, tmp_path
):
    page = browser_page
    sign_in(page, demo_director.user.email, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/w/{SLUG}/")
    expect(page.locator("#live progress").first).to_be_visible()
    blocker = page.locator("#blockers tbody tr", has_text="not attested")
    expect(blocker).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "journey-director-dashboard.png"), full_page=True)

    blocker.locator("a", has_text="Fix it").click()
    expect(page).to_have_url(f"{page.base_url}/w/{SLUG}/inventory/attestations/")
    fixes_it = page.url
    expect(page.locator("td .badge.risk", has_text="not attested").first).to_be_visible()

    page.select_option("form.lang select", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert page.url == fixes_it  # the same page, now in Chinese
    expect(page.locator("td .badge.risk", has_text="未确认").first).to_be_visible()
    assert english_text_of(page.content()) == []
    page.screenshot(path=str(SCREENSHOTS / "journey-director-blocker-zh.png"), full_page=True)

    page.goto(f"{page.base_url}/w/{SLUG}/")
    with page.expect_download() as download:
        page.click(".report-links a:has-text('简体中文')")
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)
    assert report.suffix == ".pdf" and report.read_bytes().startswith(b"%PDF-")
