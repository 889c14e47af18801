"""Journey 4 (issue 15): the support lead creates a campaign, previews it in German and
Japanese, sends a test, starts it (confirming the audience) and watches the progress bar reach
100 % while a real Celery worker sends through a real SMTP server; then, as a customer, opens
the personal page from the notice they received and asks for a copy of their data; support sees
the request in the queue with its due date, and the acknowledgement email is in the sink.

Headless Debian Chromium, a Celery worker subprocess on Redis, aiosmtpd. The test process's
own tasks (the start's kick, the request's acknowledgement) are queued on the worker's broker.
A failing run leaves screenshots in var/screenshots/failures/."""

import re
from urllib.parse import urlsplit

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from notices.models import Campaign, NoticeTemplate, SubjectRequest
from notices.tests.helpers import far_deadline, recipients
from notices.tests.worker import BROKER_URL, Worker, flush_redis, services_missing, wait_until
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import SCREENSHOTS, sign_in
from windown.tests.workers import tasks_sent_to

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(smtp_sink):
    """A real Celery worker sending to the sink; this process's tasks go to its broker."""
    reason = services_missing()
    if reason:
        pytest.skip(reason)
    flush_redis()
    with tasks_sent_to(BROKER_URL):
        running = Worker(smtp_sink.port, concurrency=1).start()
        yield running
        running.stop()


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_support_sends_the_notice_and_a_customer_asks_for_a_copy(
    worker, smtp_sink, browser_page, winddown, member
):
    support = member("support")
    far_deadline(winddown)
    customers = recipients(winddown, 6)  # en, de, fr, ja, zh-hans, es
    customer = customers[0]

    page = browser_page
    sign_in(page, support.user.email, PASSWORD)
    page.goto(f"{page.base_url}/w/{winddown.slug}/notices/campaigns/new/")
    page.fill("input[name=name]", "Closure notice")
    page.click("text=Create campaign")
    expect(page.locator("h1")).to_contain_text("Closure notice")
    campaign = Campaign.objects.get(winddown=winddown)

    for language in ("de", "ja"):
        template = NoticeTemplate.objects.get(campaign=campaign, language=language)
        page.goto(f"{page.base_url}{campaign.get_absolute_url()}notice/{language}/preview")
        shipped = template.subject.split("}}")[-1].strip()  # after the company's name
        expect(page.locator("h1")).to_contain_text(f"({language})")
        expect(page.locator("p", has_text="Subject")).to_contain_text(shipped)
        expect(page.locator("pre")).to_contain_text("Acme Trading Ltd")  # placeholders filled
        page.screenshot(path=str(SCREENSHOTS / f"journey-support-preview-{language}.png"))
    page.goto(page.base_url + campaign.get_absolute_url())

    test_send = page.locator("form[action$='/test-send']")
    test_send.locator("select[name=language]").select_option("de")
    test_send.locator("input[name=to]").fill(support.user.email)
    test_send.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(f"Test notice sent to {support.user.email}")
    (test,) = smtp_sink.messages
    assert test["To"] == support.user.email and test["Subject"].startswith("[TEST] ")

    start = page.locator("form[action$='/start/']")
    expect(start.locator("button[type=submit]")).to_have_text("Send to 6 customers now")
    start.locator("input[name=confirm]").check()
    start.locator("button[type=submit]").click()
    progress = page.locator("#progress progress")
    expect(page.locator("#campaign-status")).to_have_text("Done", timeout=60_000)
    expect(progress).to_have_attribute("value", "6")
    expect(progress).to_have_attribute("max", "6")
    expect(page.locator("#progress")).to_contain_text("(100 %)")
    # a finished campaign offers no Pause or Cancel: the page reloads when the status changes
    expect(page.get_by_role("button", name="Cancel campaign")).to_have_count(0)
    expect(page.get_by_role("button", name="Pause")).to_have_count(0)
    expect(page.locator("#campaign-status")).to_have_text("Done")
    page.screenshot(path=str(SCREENSHOTS / "journey-support-done.png"), full_page=True)
    notices = [m for m in smtp_sink.messages if "[TEST]" not in m["Subject"]]
    assert sorted(m["To"] for m in notices) == sorted(c.email for c in customers)

    # the customer follows the link in the notice they received
    (notice,) = [m for m in notices if m["To"] == customer.email]
    link = re.search(r"https?://\S+/notices/p/\S+/", body_of(notice))[0]
    page.context.clear_cookies()  # the customer has no account
    page.goto(page.base_url + urlsplit(link).path)
    page.check("input[name=type][value=export]")
    page.fill("textarea[name=message]", "Please send me my order history.")
    page.click("form button[type=submit]")
    request = SubjectRequest.objects.get(recipient=customer)
    due = request.due_date
    expect(page.locator("section", has_text=str(due.year)).last).to_be_visible()

    sign_in(page, support.user.email, PASSWORD)
    page.goto(f"{page.base_url}/w/{winddown.slug}/notices/requests/")
    row = page.locator("tbody tr", has_text=customer.email)
    expect(row).to_contain_text(request.get_type_display())
    expect(row).to_be_visible()
    assert row.locator("td").nth(6).inner_text() in {due.isoformat(), date_format(due)}
    page.screenshot(path=str(SCREENSHOTS / "journey-support-requests.png"), full_page=True)

    def acknowledged():
        return [m for m in smtp_sink.messages if m["Auto-Submitted"] == "auto-replied"]

    assert wait_until(lambda: acknowledged(), timeout=30), "".join(worker.output[-30:])
    (ack,) = acknowledged()
    assert ack["To"] == customer.email and f"#{request.pk}" in ack["Subject"]
    assert "Please send me my order history." in body_of(ack) and str(due.year) in body_of(ack)
