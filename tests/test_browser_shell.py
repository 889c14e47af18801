"""A person signs in, finds their wind-down, switches the UI to Chinese and invites a colleague."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from windown.models import Membership
from windown.tests.factories import PASSWORD
from windown.tests.fixtures import sign_in

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_director_signs_in_switches_to_chinese_and_invites_a_colleague(browser_page, director):
    page = browser_page
    sign_in(page, director.user.email, PASSWORD)
    page.click("text=Acme Trading Ltd")
    expect(page.locator("nav.phases")).to_contain_text("Dashboard")

    page.select_option("form.lang select", "zh-hans")
    expect(page.locator("nav.phases")).to_contain_text("数据盘点")

    page.click("nav.phases >> text=团队")
    page.fill("#invite-form input[name=email]", "wang.fang@example.com")
    page.select_option("#invite-form select[name=role]", "support")
    page.click("#invite-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("邀请已发送至 wang.fang@example.com")
    assert Membership.objects.get(user__email="wang.fang@example.com").role == "support"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "team-zh.png"), full_page=True)


def test_a_wrong_password_keeps_the_person_on_the_sign_in_page(browser_page, director):
    sign_in(browser_page, director.user.email, "not the password")
    expect(browser_page.locator("[role=alert]")).to_be_visible()
    assert "/accounts/login/" in browser_page.url
