"""In Chromium, legal's override form shows the archive date only for "archive": choosing
"delete" hides and empties it and offers the deletion deadline; switching back restores it."""

import pytest
from playwright.sync_api import expect

from compliance.models import Decision
from compliance.services import decisions_evaluate
from compliance.tests.factories import make_holding
from windown.roles import Role
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_delete_hides_and_clears_the_archive_date(winddown, member, browser_page):
    legal = member(Role.LEGAL)
    make_holding(winddown, jurisdiction="CN")  # invoices: archived under the voucher rules
    decisions_evaluate(winddown=winddown)
    decision = Decision.objects.get()
    page = browser_page
    sign_in(page, legal.user.email, PASSWORD)
    page.goto(f"{page.base_url}{decision.get_absolute_url()}")
    retain_until, delete_by = page.locator("#id_retain_until"), page.locator("#id_delete_by")
    expect(retain_until).to_have_value("2054-12-31")
    expect(delete_by).to_have_value("2055-01-01")

    page.select_option("#id_disposition", "delete")
    expect(retain_until).to_be_hidden()
    expect(retain_until).to_have_value("")
    expect(delete_by).to_have_value(winddown.deletion_deadline.isoformat())

    page.select_option("#id_disposition", "archive")
    expect(retain_until).to_be_visible()
    expect(delete_by).to_have_value("2055-01-01")
