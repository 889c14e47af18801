"""Legal holds beat everything, through the service, until they are released with a reason."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from compliance.models import Decision, LegalHold
from compliance.services import (
    decision_approve,
    decisions_evaluate,
    hold_place,
    hold_release,
    holds_remind_reviews,
)
from compliance.tests.factories import DataSystemFactory, category, make_holding
from windown.models import AuditEvent


@pytest.fixture
def data_map(winddown):
    crm = DataSystemFactory(winddown=winddown, name="CRM")
    shop = DataSystemFactory(winddown=winddown, name="Shop")
    holdings = {
        "cards": make_holding(
            winddown, system=crm, key="user.financial.credit_card", fields=["card_number"]
        ),
        "invoices": make_holding(winddown, system=crm),
        "shop_invoices": make_holding(winddown, system=shop),
        "de_profiles": make_holding(
            winddown, system=shop, key="commerce.marketing_profile", jurisdiction="DE"
        ),
    }
    decisions_evaluate(winddown=winddown)
    return holdings


def disposition(holding):
    return Decision.objects.get(holding=holding).disposition


def test_a_hold_turns_covered_decisions_to_hold_at_once_even_never_keep_data(
    winddown, data_map, legal
):
    decision_approve(by=legal, decision=Decision.objects.get(holding=data_map["invoices"]))
    crm = data_map["cards"].system
    hold_place(by=legal, reference="LH-1", reason="Müller v. Lumen", systems=[crm])
    assert disposition(data_map["cards"]) == "hold"  # beats never-keep
    invoices = Decision.objects.get(holding=data_map["invoices"])
    assert invoices.disposition == "hold" and invoices.status == "proposed"  # back to review
    assert disposition(data_map["shop_invoices"]) == "archive"  # outside the scope
    event = AuditEvent.objects.get(action="compliance.hold_placed")
    assert event.payload["holdings_covered"] == 2 and event.actor == legal.user


def test_a_hold_on_the_eu_covers_a_german_subjects_holding(winddown, data_map, legal):
    hold_place(by=legal, reference="LH-2", reason="EU regulator inquiry", jurisdictions=["EU"])
    assert disposition(data_map["de_profiles"]) == "hold"
    assert disposition(data_map["invoices"]) == "archive"


def test_a_hold_scoped_by_category_covers_that_category_in_every_system(winddown, data_map, legal):
    invoices = category(winddown, "commerce.invoice")
    hold_place(by=legal, reference="LH-3", reason="tax audit", categories=[invoices])
    assert {disposition(data_map["invoices"]), disposition(data_map["shop_invoices"])} == {"hold"}
    assert disposition(data_map["cards"]) == "delete_now"


def test_releasing_a_hold_needs_a_reason_and_proposes_again(winddown, data_map, legal):
    crm = data_map["cards"].system
    hold = hold_place(by=legal, reference="LH-1", reason="litigation", systems=[crm])
    with pytest.raises(ValidationError):
        hold_release(by=legal, hold=hold, reason="  ")
    assert disposition(data_map["cards"]) == "hold"
    hold_release(by=legal, hold=hold, reason="Settled on 2026-11-30.")
    assert disposition(data_map["cards"]) == "delete_now"
    assert disposition(data_map["invoices"]) == "archive"
    hold.refresh_from_db()
    assert (hold.status, hold.released_by) == ("released", legal.user)
    assert AuditEvent.objects.get(action="compliance.hold_released").payload["reason"] == (
        "Settled on 2026-11-30."
    )


def test_a_released_hold_without_a_reason_is_refused_by_the_database(winddown, legal):
    hold = hold_place(by=legal, reference="LH-9", reason="x")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LegalHold.objects.filter(pk=hold.pk).update(status="released")


def test_legal_is_reminded_once_when_a_hold_is_due_for_review(winddown, legal):
    hold_place(by=legal, reference="LH-4", reason="x", review_on=dt.date(2026, 12, 1))
    assert holds_remind_reviews(today=dt.date(2026, 11, 30)) == 0
    assert holds_remind_reviews(today=dt.date(2026, 12, 1)) == 1
    assert holds_remind_reviews(today=dt.date(2026, 12, 2)) == 0
    assert len(mail.outbox) == 1 and legal.user.email in mail.outbox[0].to
    assert "LH-4" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="compliance.hold_review_reminded").count() == 1
