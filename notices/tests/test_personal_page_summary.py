"""The personal page tells the customer what is deleted when and kept until when, in general
terms, from the decisions legal approved for their jurisdiction."""

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import Decision
from compliance.services import (
    decision_approve,
    decision_override,
    decision_second_approve,
    decisions_evaluate,
    hold_place,
    matter_create,
)
from compliance.tests.factories import DataSystemFactory, make_holding
from notices.defaults import category_labels
from notices.messages import format_date
from notices.tests.factories import RecipientFactory
from notices.tokens import make_token
from windown.roles import Role

pytestmark = pytest.mark.django_db


def page(client, recipient) -> str:
    path = reverse("notices:personal-page", kwargs={"slug": "acme", "token": make_token(recipient)})
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def groups(body: str) -> dict[str, list[str]]:
    """Return the page's summary as {"Deleted by 2027-03-31": ["Name", ...], ...}."""
    found = re.findall(r"<li><strong>(.*?)</strong>.*?<br>(.*?)</li>", body)
    return {html.unescape(head): html.unescape(labels).split(" · ") for head, labels in found}


def approve(legal, holding) -> Decision:
    decision = Decision.objects.get(holding=holding)
    return decision_approve(by=legal, decision=decision, reason="checked")


@pytest.fixture
def legal(member):
    return member(Role.LEGAL)


@pytest.fixture
def shop(winddown):
    return DataSystemFactory(winddown=winddown, name="Shop database (internal)")


def test_it_shows_approved_decisions_and_not_proposed_ones(client, winddown, legal, shop):
    marketing = make_holding(
        winddown, system=shop, key="commerce.marketing_profile", jurisdiction="JP", fields=[]
    )
    make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="JP")
    decisions_evaluate(winddown=winddown)
    approve(legal, marketing)

    body = page(client, RecipientFactory(winddown=winddown, jurisdiction="JP"))

    assert groups(body) == {"Deleted by 2027-03-31": ["Marketing profile and consent"]}
    # still only proposed: legal has not decided, and the page says so instead of leaving it out
    under_review = body.split("Still being reviewed")[1]
    assert "Invoices" in under_review and "Invoices" not in body.split("Still being reviewed")[0]
    assert "Records the law requires us to keep" in body  # the general text stands in
    assert "Shop database" not in body


def test_once_legal_decides_a_category_it_leaves_the_review_list(client, winddown, legal, shop):
    invoice = make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="JP")
    decisions_evaluate(winddown=winddown)
    customer = RecipientFactory(winddown=winddown, jurisdiction="JP", language="zh-hans")
    assert "仍在审核中" in page(client, customer)
    approve(legal, invoice)
    assert "仍在审核中" not in page(client, customer)


def test_it_shows_what_is_kept_until_when_and_why_in_general_terms(client, winddown, legal, shop):
    invoices = make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="JP")
    decisions_evaluate(winddown=winddown)
    decision = approve(legal, invoices)
    assert decision.disposition == "archive"

    body = page(client, RecipientFactory(winddown=winddown, jurisdiction="JP"))

    until = decision.retain_until
    assert groups(body) == {f"Kept until {format_date(until, 'en')}": ["Invoices"]}
    assert "(legal retention period, for example under tax, accounting or commercial law)" in body
    assert decision.citations[0] not in body  # no rule names or citations


def test_other_jurisdictions_are_not_shown(client, winddown, legal, shop):
    for jurisdiction in ("CN", "JP"):
        holding = make_holding(
            winddown, system=shop, key="commerce.invoice", jurisdiction=jurisdiction
        )
        decisions_evaluate(winddown=winddown)
        approve(legal, holding)
    make_holding(winddown, system=shop, key="commerce.marketing_profile", jurisdiction="CN")
    decisions_evaluate(winddown=winddown)
    approve(legal, Decision.objects.get(disposition="delete").holding)

    japanese_view = page(client, RecipientFactory(winddown=winddown, jurisdiction="JP"))

    assert list(groups(japanese_view).values()) == [["Invoices"]]
    assert "Marketing profile" not in japanese_view  # approved, but for Chinese customers


def test_the_latest_kept_until_date_of_a_category_wins(client, winddown, legal):
    older = make_holding(winddown, key="commerce.invoice", jurisdiction="JP")
    newer = make_holding(
        winddown, key="commerce.invoice", jurisdiction="JP", newest=dt.date(2026, 6, 1)
    )
    decisions_evaluate(winddown=winddown)
    for holding in (older, newer):
        approve(legal, holding)
    first, last = (Decision.objects.get(holding=h).retain_until for h in (older, newer))
    assert first < last

    body = page(client, RecipientFactory(winddown=winddown, jurisdiction="JP"))

    assert groups(body) == {f"Kept until {format_date(last, 'en')}": ["Invoices"]}
    assert format_date(first, "en") not in body


def test_an_approved_override_shows_legals_date(client, winddown, legal, member, shop):
    invoices = make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="JP")
    decisions_evaluate(winddown=winddown)
    decision = decision_override(
        by=legal,
        decision=Decision.objects.get(holding=invoices),
        disposition="archive",
        retain_until=dt.date(2031, 12, 31),
        delete_by=dt.date(2032, 1, 31),
        reason="Only the Japanese period applies",
    )
    customer = RecipientFactory(winddown=winddown, jurisdiction="JP")
    waiting = page(client, customer)  # awaits the second legal member: still under review
    assert groups(waiting) == {} and "Invoices" in waiting.split("Still being reviewed")[1]

    decision_second_approve(by=member(Role.LEGAL), decision=decision)

    assert groups(page(client, customer)) == {"Kept until 2031-12-31": ["Invoices"]}


def test_an_open_matter_and_a_hold_are_shown_without_their_names(
    client, winddown, legal, member, shop
):
    orders = make_holding(winddown, system=shop, key="commerce.order", jurisdiction="JP")
    chats = DataSystemFactory(winddown=winddown, name="WeChat exports")
    names = make_holding(winddown, system=chats, key="user.name", jurisdiction="JP", fields=[])
    decisions_evaluate(winddown=winddown)
    matter_create(
        by=member(Role.SUPPORT),
        reference="RMA-4471",
        matter_type="return",
        customer_reference="CUST-10442",
        opened_on=dt.date(2026, 11, 3),
        holdings=[orders],
    )
    hold_place(by=legal, reference="LH-7", reason="Lawsuit of Mr Tanaka", systems=[chats])
    approve(legal, orders)
    approve(legal, names)

    body = page(client, RecipientFactory(winddown=winddown, jurisdiction="JP"))

    assert groups(body) == {
        "Kept until an open order, return or dispute is settled": ["Orders"],
        "Kept while a legal hold (for example for court proceedings) applies": ["Name"],
    }
    for internal in ("RMA-4471", "CUST-10442", "LH-7", "Tanaka", "WeChat"):
        assert internal not in body


def test_a_chinese_customer_reads_chinese_labels_and_dates(client, winddown, legal, shop):
    invoices = make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="CN")
    passwords = make_holding(
        winddown, system=shop, key="user.authorization.password", jurisdiction="CN"
    )
    decisions_evaluate(winddown=winddown)
    until = approve(legal, invoices).retain_until
    approve(legal, passwords)

    body = page(client, RecipientFactory(winddown=winddown, jurisdiction="CN", language="zh-hans"))

    assert groups(body) == {
        "立即删除": ["密码或支付密码"],
        f"保留至 {until.year}年{until.month}月{until.day}日": ["发票"],
    }
    assert "法定保存期限" in body


def test_a_german_customer_reads_german_category_names(client, winddown, legal, shop):
    orders = make_holding(winddown, system=shop, key="commerce.order", jurisdiction="DE")
    passwords = make_holding(
        winddown, system=shop, key="user.authorization.password", jurisdiction="DE"
    )
    decisions_evaluate(winddown=winddown)
    approve(legal, passwords)
    approve(legal, orders)

    body = page(client, RecipientFactory(winddown=winddown, jurisdiction="DE", language="de"))

    labels = {label for names in groups(body).values() for label in names}
    assert {"Passwort oder Zahlungspasswort", "Bestellungen"} <= labels
    assert "Orders" not in body and "Password or payment password" not in body


@pytest.mark.parametrize("language", ["de", "fr", "ja", "es"])
def test_every_shipped_category_has_a_name_in_each_notice_language(language):
    taxonomy = yaml.safe_load(
        (Path(settings.BASE_DIR) / "inventory" / "data" / "taxonomy.yaml").read_text("utf-8")
    )
    keys = {category["key"] for category in taxonomy["categories"]}
    names = category_labels(language)
    assert set(names) == keys
    assert all(name.strip() for name in names.values())


def test_the_page_runs_the_same_queries_whatever_the_data(client, winddown, legal):
    customer = RecipientFactory(winddown=winddown, jurisdiction="JP")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, customer)
        return len(captured)

    make_holding(winddown, key="commerce.invoice", jurisdiction="JP")
    decisions_evaluate(winddown=winddown)
    for decision in Decision.objects.all():
        decision_approve(by=legal, decision=decision, reason="checked")
    few = queries()
    for key in ("commerce.invoice", "commerce.order", "commerce.payment", "user.name"):
        for _ in range(3):
            make_holding(winddown, key=key, jurisdiction="JP")
    decisions_evaluate(winddown=winddown)
    for decision in Decision.objects.filter(status="proposed"):
        decision_approve(by=legal, decision=decision, reason="checked")
    assert sum(len(labels) for labels in groups(page(client, customer)).values()) == 4

    assert queries() == few
