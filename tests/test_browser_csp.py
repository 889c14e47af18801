"""In a real browser, windown's pages work under their Content-Security-Policy: nothing is
refused (no inline script, handler or style left), and the behaviours moved to static files
(the language switch, the API docs) still run."""

import pytest
from playwright.sync_api import expect

from windown.tests.factories import PASSWORD
from windown.tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/w/",
    "/w/acme/",
    "/w/acme/team/",
    "/w/acme/audit/",
    "/w/acme/inventory/",
    "/w/acme/inventory/import/",
    "/w/acme/compliance/",
    "/w/acme/notices/",
    "/w/acme/destruction/",
    "/accounts/2fa/enrol/",
]


def test_no_page_breaks_its_content_security_policy(browser_page, director):
    page = browser_page
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, director.user.email, PASSWORD)
    for path in PAGES:
        page.goto(f"{page.base_url}{path}")
        page.wait_for_load_state("load")
    page.goto(f"{page.base_url}/api/docs/")
    expect(page.locator("#swagger-ui .information-container")).to_be_visible(timeout=20000)
    page.goto(f"{page.base_url}/w/acme/")
    page.select_option("form.lang select", "zh-hans")  # submits through a static script
    expect(page.locator("nav.phases")).to_contain_text("数据盘点")
    assert refused == []
