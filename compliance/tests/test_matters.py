"""Open matters keep the data they need until resolved; they can be imported from CSV."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from compliance.models import Decision, OpenMatter
from compliance.services import (
    decision_approve,
    decisions_evaluate,
    matter_create,
    matter_report_by_customer,
    matter_resolve,
    matters_import_csv,
)
from compliance.tests.factories import DataSystemFactory, make_holding
from windown.models import AuditEvent
from windown.roles import Role


@pytest.fixture
def support(member):
    return member(Role.SUPPORT)


def test_an_open_matter_retains_and_its_resolution_re_evaluates(winddown, support, legal):
    holding = make_holding(winddown, key="commerce.marketing_profile", fields=["email"])
    decisions_evaluate(winddown=winddown)
    assert Decision.objects.get().disposition == "delete"
    matter = matter_create(
        by=support,
        reference="RET-1",
        matter_type="return",
        customer_reference="C-100",
        opened_on=dt.date(2026, 10, 2),
        holdings=[holding],
    )
    decision = Decision.objects.get()
    assert decision.disposition == "retain_until_resolved" and "RET-1" in decision.basis
    decision_approve(by=legal, decision=decision)
    matter_resolve(by=support, matter=matter, resolved_on=dt.date(2026, 11, 20))
    decision = Decision.objects.get()
    assert decision.disposition == "delete"
    assert decision.status == "proposed"  # the approved proposal changed: back to review
    assert "matter RET-1 resolved" in decision.review_note
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("seq"))
    assert actions[-2:] == ["compliance.matter_resolved", "compliance.decisions_evaluated"]


def test_a_matter_cannot_be_resolved_before_it_opened(winddown, support):
    matter = matter_create(
        by=support,
        reference="D-1",
        matter_type="dispute",
        customer_reference="C-1",
        opened_on=dt.date(2026, 10, 2),
        holdings=[],
    )
    with pytest.raises(ValidationError):
        matter_resolve(by=support, matter=matter, resolved_on=dt.date(2026, 9, 1))


GOOD_CSV = (
    "reference,type,customer_reference,opened_on,resolved_on,system,category,jurisdiction\n"
    "ORD-1,order,C-1,2026-11-01,,Shop,commerce.order,\n"
    "ORD-1,order,C-1,2026-11-01,,Shop,commerce.invoice,\n"
    "CB-7,chargeback,C-2,2026-10-01,2026-11-10,,,DE\n"
)


@pytest.fixture
def shop(winddown):
    shop = DataSystemFactory(winddown=winddown, name="Shop")
    make_holding(winddown, system=shop, key="commerce.order", jurisdiction="CN")
    make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="CN")
    make_holding(winddown, system=shop, key="commerce.invoice", jurisdiction="DE")
    return shop


def test_matters_are_imported_from_csv_and_audited_with_the_file_hash(winddown, shop, support):
    result = matters_import_csv(by=support, content=GOOD_CSV.encode(), filename="m.csv")
    assert (result.created, result.updated, result.rows) == (2, 0, 3)
    order = OpenMatter.objects.get(reference="ORD-1")
    assert order.holdings.count() == 3  # orders and invoices in the shop, both jurisdictions
    chargeback = OpenMatter.objects.get(reference="CB-7")
    assert chargeback.resolved_on == dt.date(2026, 11, 10) and chargeback.holdings.count() == 1
    event = AuditEvent.objects.get(action="compliance.matters_imported")
    assert len(event.payload["sha256"]) == 64 and event.payload["created"] == 2


def test_importing_the_same_file_again_changes_nothing(winddown, shop, support):
    matters_import_csv(by=support, content=GOOD_CSV.encode())
    result = matters_import_csv(by=support, content=GOOD_CSV.encode())
    assert (result.created, result.updated) == (0, 0)
    assert OpenMatter.objects.count() == 2


HEADER = "reference,type,customer_reference,opened_on,resolved_on,system,category,jurisdiction\n"


@pytest.mark.parametrize(
    "content, message",
    [
        ("reference,type\nX,order\n", "Missing columns: customer_reference, opened_on"),
        (HEADER + "X,refund,C-1,2026-11-01,,Shop,,\n", "line 2: type 'refund' is not one of"),
        (HEADER + "X,order,C-1,01/11/2026,,Shop,,\n", "line 2: opened_on '01/11/2026' is not"),
        (HEADER + "X,order,C-1,2026-11-01,2026-10-01,Shop,,\n", "line 2: resolved_on is before"),
        (HEADER + "X,order,C-1,2026-11-01,,CRM,,\n", "line 2: no holding in system 'CRM'"),
        (HEADER + "X,order,C-1,2026-11-01,,,user.nope,\n", "line 2: unknown category"),
        (HEADER + "X,order,C-1,2026-11-01,,,,\n", "line 2: name a system, a category"),
        (HEADER + "X,order,,2026-11-01,,Shop,,\n", "line 2: customer_reference is empty"),
        (HEADER + "X,order,C-1,2026-11-01,,Shop,,US\n", "line 2: no holding matches"),
        (
            HEADER + "X,order,C-1,2026-11-01,,Shop,,\nX,return,C-1,2026-11-01,,Shop,,\n",
            "line 3: matter X differs from its earlier line",
        ),
    ],
)
def test_an_invalid_csv_is_refused_whole_with_the_line_named(shop, support, content, message):
    with pytest.raises(ValidationError) as error:
        matters_import_csv(by=support, content=content.encode())
    assert any(message in m for m in error.value.messages), error.value.messages
    assert not OpenMatter.objects.exists()


def test_a_csv_in_a_legacy_chinese_encoding_is_read(shop, support):
    description = "客户投诉耳机在运输途中损坏。要求退款并保留订单记录。"
    line = f"投诉-1,complaint,客户-1,2026-11-01,,Shop,,,{description}\n"
    content = (HEADER.replace("\n", ",description\n") + line).encode("gb18030")
    matters_import_csv(by=support, content=content)
    assert OpenMatter.objects.get().description == description


def test_a_customer_report_without_jurisdiction_covers_nothing_until_legal_attaches_it(
    winddown, shop, support
):
    matter = matter_report_by_customer(
        winddown=winddown,
        actor_label="customer:9 via personal page",
        reference="PP-9",
        customer_reference="C-9",
        jurisdiction="",
    )
    assert matter.matter_type == "order" and not matter.holdings.exists()
    event = AuditEvent.objects.get(action="compliance.matter_opened")
    assert event.actor is None and event.actor_label == "customer:9 via personal page"
    csv = "reference,type,customer_reference,opened_on,system,category\n"
    csv += f"PP-9,order,C-9,{matter.opened_on},Shop,commerce.order\n"
    assert matters_import_csv(by=support, content=csv.encode()).updated == 1
    assert matter.holdings.count() == 1
