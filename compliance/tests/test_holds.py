"""Legal holds lay `hold` over what they cover, keeping legal's review, until released."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from compliance.models import Decision, LegalHold
from compliance.selectors import holding_is_held
from compliance.services import (
    decision_approve,
    decision_override,
    decision_second_approve,
    decisions_evaluate,
    decisions_mark_stale,
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


def in_force(holding):
    """Return (disposition in force, delete by in force, review status) of a holding."""
    d = Decision.objects.with_effective().get(holding=holding)
    return d.effective_disposition, d.effective_delete_by, d.status


def disposition(holding):
    return in_force(holding)[0]


def test_a_hold_covers_decisions_at_once_even_never_keep_data(winddown, data_map, legal):
    crm = data_map["cards"].system
    hold_place(by=legal, reference="LH-1", reason="Müller v. Lumen", systems=[crm])
    assert in_force(data_map["cards"])[:2] == ("hold", None)  # beats never-keep: no date
    assert disposition(data_map["invoices"]) == "hold"
    assert disposition(data_map["shop_invoices"]) == "archive"  # outside the scope
    assert holding_is_held(data_map["cards"]) and not holding_is_held(data_map["shop_invoices"])
    assert Decision.objects.filter(winddown=winddown).under_active_hold().count() == 2
    event = AuditEvent.objects.get(action="compliance.hold_placed")
    assert event.payload["holdings_covered"] == 2 and event.actor == legal.user


# fmt: off
REVIEW_UNDER_A_HOLD = [
    # (sentence, legal's review before the hold, status kept through hold and release)
    ("an approved decision stays approved under a hold and after its release", "approve",
     "approved"),
    ("a pending override stays pending under a hold and after its release", "override",
     "pending_second_approval"),
    ("an approved override stays in force under a hold and after its release", "second",
     "overridden"),
    ("an unreviewed proposal stays a proposal", "", "proposed"),
]
# fmt: on


@pytest.mark.parametrize(
    "review, status",
    [case[1:] for case in REVIEW_UNDER_A_HOLD],
    ids=[case[0] for case in REVIEW_UNDER_A_HOLD],
)
def test_placing_and_releasing_a_hold_keeps_legals_review(
    winddown, data_map, legal, legal2, review, status
):
    invoices = data_map["invoices"]
    decision = Decision.objects.get(holding=invoices)
    if review == "approve":
        decision_approve(by=legal, decision=decision)
    elif review:
        decision_override(
            by=legal, decision=decision, disposition="delete", delete_by=dt.date(2026, 12, 31),
            reason="The customer's orders are all settled.",
        )  # fmt: skip
        if review == "second":
            decision_second_approve(by=legal2, decision=decision)
    before = Decision.objects.get(holding=invoices)
    hold = hold_place(by=legal, reference="LH-1", reason="litigation", systems=[invoices.system])
    held = Decision.objects.get(holding=invoices)
    assert (held.status, held.fingerprint, held.review_note) == (status, before.fingerprint, "")
    assert (held.override_disposition, held.approved_by) == (
        before.override_disposition,
        before.approved_by,
    )
    assert disposition(invoices) == "hold"
    hold_release(by=legal, hold=hold, reason="Settled.")
    after = Decision.objects.get(holding=invoices)
    assert (after.status, after.approved_by, after.override_reason) == (
        status,
        before.approved_by,
        before.override_reason,
    )
    expected = "delete" if review == "second" else "archive"
    assert disposition(invoices) == expected  # in force again as reviewed, without a new review


def test_a_proposal_that_changed_under_the_hold_still_goes_back_to_review(
    winddown, data_map, legal
):
    invoices = data_map["invoices"]
    decision_approve(by=legal, decision=Decision.objects.get(holding=invoices))
    hold = hold_place(by=legal, reference="LH-1", reason="litigation", systems=[invoices.system])
    type(invoices).objects.filter(pk=invoices.pk).update(newest_record=dt.date(2026, 10, 1))
    decisions_mark_stale(winddown=winddown, holding_ids=[invoices.pk], reason="data map edited")
    decisions_evaluate(winddown=winddown, holding_ids=[invoices.pk])
    changed = Decision.objects.get(holding=invoices)
    assert changed.status == "proposed" and "Back in review" in changed.review_note
    assert disposition(invoices) == "hold"  # still held while legal reviews it again
    hold_release(by=legal, hold=hold, reason="Settled.")
    assert in_force(invoices)[::2] == ("archive", "proposed")


def test_a_new_holding_in_a_holds_scope_is_covered_when_evaluated(winddown, data_map, legal):
    crm = data_map["cards"].system
    hold_place(by=legal, reference="LH-1", reason="litigation", systems=[crm])
    late = make_holding(winddown, system=crm, key="commerce.order")
    decisions_evaluate(winddown=winddown, holding_ids=[late.pk])
    assert disposition(late) == "hold" and holding_is_held(late)


def test_a_hold_on_the_eu_covers_a_german_subjects_holding(winddown, data_map, legal):
    hold_place(by=legal, reference="LH-2", reason="EU regulator inquiry", jurisdictions=["EU"])
    assert disposition(data_map["de_profiles"]) == "hold"
    assert disposition(data_map["invoices"]) == "archive"


def test_a_hold_scoped_by_category_covers_that_category_in_every_system(winddown, data_map, legal):
    invoices = category(winddown, "commerce.invoice")
    hold_place(by=legal, reference="LH-3", reason="tax audit", categories=[invoices])
    assert {disposition(data_map["invoices"]), disposition(data_map["shop_invoices"])} == {"hold"}
    assert disposition(data_map["cards"]) == "delete_now"


def test_releasing_a_hold_needs_a_reason_and_lifts_it(winddown, data_map, legal):
    crm = data_map["cards"].system
    hold = hold_place(by=legal, reference="LH-1", reason="litigation", systems=[crm])
    with pytest.raises(ValidationError):
        hold_release(by=legal, hold=hold, reason="  ")
    assert disposition(data_map["cards"]) == "hold"
    hold_release(by=legal, hold=hold, reason="Settled on 2026-11-30.")
    assert disposition(data_map["cards"]) == "delete_now"
    assert disposition(data_map["invoices"]) == "archive"
    assert not Decision.objects.filter(winddown=winddown).under_active_hold().exists()
    hold.refresh_from_db()
    assert (hold.status, hold.released_by) == ("released", legal.user)
    assert hold.holdings.count() == 2  # what it covered stays on record
    assert AuditEvent.objects.get(action="compliance.hold_released").payload["reason"] == (
        "Settled on 2026-11-30."
    )


def test_destruction_may_act_only_on_effective_decisions_no_hold_covers(winddown, data_map, legal):
    for holding in ("invoices", "shop_invoices"):
        decision_approve(by=legal, decision=Decision.objects.get(holding=data_map[holding]))
    hold_place(by=legal, reference="LH-1", reason="litigation", systems=[data_map["cards"].system])
    in_force_now = Decision.objects.filter(winddown=winddown).in_force()
    assert set(in_force_now.values_list("holding", flat=True)) == {data_map["shop_invoices"].pk}


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


def test_the_personal_pages_outcomes_show_held_data_as_held_then_as_reviewed(
    winddown, data_map, legal
):
    from compliance.selectors import effective_outcomes

    decision_approve(by=legal, decision=Decision.objects.get(holding=data_map["invoices"]))

    def invoices():
        return {
            (o.disposition, o.delete_by)
            for o in effective_outcomes(winddown.pk, "CN")
            if o.category_key == "commerce.invoice"
        }

    assert invoices() == {("archive", dt.date(2055, 1, 1))}  # approved; the shop's: proposed
    hold = hold_place(by=legal, reference="LH-1", reason="x", systems=[data_map["cards"].system])
    assert invoices() == {("hold", None)}  # in general terms: kept, no date
    hold_release(by=legal, hold=hold, reason="Settled.")
    assert invoices() == {("archive", dt.date(2055, 1, 1))}


def test_in_force_to_picks_what_the_disposition_in_force_says(winddown, data_map, legal, legal2):
    approve, override = data_map["invoices"], data_map["shop_invoices"]
    decision_approve(by=legal, decision=Decision.objects.get(holding=approve))
    decision_approve(by=legal, decision=Decision.objects.get(holding=data_map["cards"]))
    decision_override(
        by=legal, decision=Decision.objects.get(holding=override), disposition="delete",
        delete_by=dt.date(2026, 12, 31), reason="The customer's orders are all settled.",
    )  # fmt: skip
    decision_second_approve(by=legal2, decision=Decision.objects.get(holding=override))
    hold_place(by=legal, reference="LH-1", reason="x", systems=[data_map["cards"].system])
    decisions = Decision.objects.filter(winddown=winddown)
    for dispositions in (["delete"], ["archive"], ["delete", "delete_now"], ["archive", "delete"]):
        expected = decisions.effective().with_effective()
        expected = expected.filter(effective_disposition__in=dispositions)
        assert set(decisions.in_force_to(dispositions)) == set(expected), dispositions
    assert set(decisions.in_force_to(["delete"])) == {Decision.objects.get(holding=override)}
