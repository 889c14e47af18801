"""Journey 3 (issue 15): legal approves a group of identical proposals at once, overrides one
with a written reason, sees it wait for a second legal member, who approves it in their own
session; then a hold is placed and the decisions it covers are held — their reviews kept — in
headless Debian Chromium. A failing run leaves screenshots in var/screenshots/failures/."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from compliance.models import Decision
from compliance.services import decisions_evaluate
from compliance.tests.factories import DataSystemFactory, make_holding
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_approves_a_group_overrides_one_with_four_eyes_and_places_a_hold(
    browser, winddown, legal, legal2
):
    crm = DataSystemFactory(winddown=winddown, name="CRM")
    shop = DataSystemFactory(winddown=winddown, name="Shop")
    crm_invoices, shop_invoices = (
        make_holding(winddown, system=crm),
        make_holding(winddown, system=shop),
    )
    decisions_evaluate(winddown=winddown)
    crm_decision = Decision.objects.get(holding=crm_invoices)
    shop_decision = Decision.objects.get(holding=shop_invoices)
    review = f"/w/{winddown.slug}/compliance/review/"

    first = browser.new_page()
    sign_in(first, legal.user.email, PASSWORD)
    first.goto(first.base_url + review)
    group = first.locator("tr", has_text="commerce.invoice").filter(has_text="CN")
    group.locator("button", has_text="Approve all 2").click()
    expect(first.locator(".messages")).to_contain_text("2 decisions approved")
    assert set(Decision.objects.values_list("status", flat=True)) == {"approved"}

    first.goto(first.base_url + shop_decision.get_absolute_url())
    override = first.locator("form[action$='/override/']")
    override.locator("select[name=disposition]").select_option("delete")
    expect(override.locator("input[name=retain_until]")).to_be_hidden()  # no archive date
    delete_by = dt.date.today() + dt.timedelta(days=30)
    override.locator("input[name=delete_by]").fill(delete_by.isoformat())
    reason = "The shop's invoices were duplicated into the ERP archive (ticket L-88)."
    override.locator("textarea[name=reason]").fill(reason)
    override.locator("button[type=submit]").click()
    expect(first.locator("article header .badge").first).to_have_text("Pending second approval")
    expect(first.locator("text=Approve the override")).to_have_count(0)  # not by the same person
    first.goto(first.base_url + review)
    expect(first.locator("table", has_text="Shop")).to_contain_text(reason[:40])

    second = browser.new_page()  # the second legal member, in their own session
    sign_in(second, legal2.user.email, PASSWORD)
    second.goto(second.base_url + review)
    second.click("a:has-text('Shop')")
    second.click("text=Approve the override")
    expect(second.locator("article header .badge").first).to_have_text("Overridden")
    shop_decision.refresh_from_db()
    assert shop_decision.status == "overridden" and shop_decision.override_reason == reason

    second.goto(f"{second.base_url}/w/{winddown.slug}/compliance/holds/")
    second.fill("input[name=reference]", "LH-7")
    second.fill("textarea[name=reason]", "Müller v. Lumen: keep every invoice")
    second.select_option("select[name=systems]", [str(crm.pk), str(shop.pk)])
    second.click("text=Place the hold")
    expect(second.locator(".messages")).to_contain_text("Hold LH-7 placed")
    expect(second.locator("tr", has_text="Holdings covered").locator("td")).to_have_text("2")

    for decision, status in ((crm_decision, "Approved"), (shop_decision, "Overridden")):
        second.goto(second.base_url + decision.get_absolute_url())
        expect(second.locator("article p.badge.warn").first).to_contain_text("Held by LH-7")
        expect(second.locator("article header .badge").first).to_have_text(status)
    second.screenshot(path=str(SCREENSHOTS / "journey-legal-held.png"), full_page=True)
    statuses = dict(Decision.objects.values_list("holding_id", "status"))
    assert statuses == {crm_invoices.pk: "approved", shop_invoices.pk: "overridden"}
    held = Decision.objects.with_effective().filter(winddown=winddown)
    assert {d.effective_disposition for d in held} == {"hold"}
