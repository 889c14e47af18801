"""Legal review: approvals, bulk approval of identical proposals, four-eyes overrides."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from compliance.models import Decision
from compliance.selectors import review_groups
from compliance.services import (
    decision_approve,
    decision_override,
    decision_reject,
    decision_second_approve,
    decisions_approve_group,
    decisions_evaluate,
)
from compliance.tests.factories import DataSystemFactory, make_holding
from windown.audit import audit_verify
from windown.models import AuditEvent
from windown.roles import Role


@pytest.fixture
def decision(winddown):
    make_holding(winddown, jurisdiction="CN")
    decisions_evaluate(winddown=winddown)
    return Decision.objects.get()


def override(by, decision, **changes):
    values = dict(
        disposition="delete",
        delete_by=dt.date(2027, 3, 31),
        reason="No Chinese voucher duty covers these: the shop invoiced from Hong Kong.",
    )
    return decision_override(by=by, decision=decision, **{**values, **changes})


def test_legal_approves_a_proposal_and_it_is_audited(decision, legal):
    decision = decision_approve(by=legal, decision=decision, fingerprint=decision.fingerprint)
    assert (decision.status, decision.approved_by, decision.reviewed_by) == (
        "approved",
        legal.user,
        legal.user,
    )
    event = AuditEvent.objects.get(action="compliance.decision_approved")
    assert event.actor == legal.user and event.object_id == str(decision.pk)


def test_a_proposal_that_changed_since_it_was_shown_is_not_approved(decision, legal):
    with pytest.raises(ValidationError, match="changed since you looked"):
        decision_approve(by=legal, decision=decision, fingerprint="0" * 64)
    assert Decision.objects.get().status == "proposed"


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.IT, Role.SUPPORT, Role.AUDITOR])
def test_only_legal_decides(decision, member, role):
    with pytest.raises(PermissionDenied):
        decision_approve(by=member(role), decision=decision)
    assert Decision.objects.get().status == "proposed"


def in_force(decision):
    return Decision.objects.with_effective().get(pk=decision.pk)


def test_an_override_waits_for_a_second_legal_member(decision, legal, legal2):
    decision = override(legal, decision)
    assert decision.status == "pending_second_approval"
    assert in_force(decision).effective_disposition == "archive"  # not effective yet
    decision = decision_second_approve(by=legal2, decision=decision)
    assert decision.status == "overridden" and decision.second_approver == legal2.user
    assert (in_force(decision).effective_disposition, in_force(decision).effective_delete_by) == (
        "delete",
        dt.date(2027, 3, 31),
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"compliance.decision_overridden", "compliance.override_approved"} <= actions
    overridden = AuditEvent.objects.get(action="compliance.decision_overridden")
    assert overridden.actor == legal.user and overridden.payload["reason"].startswith("No Chinese")
    assert audit_verify(decision.winddown).ok


def test_four_eyes_the_overrider_cannot_approve_their_own_override(decision, legal):
    override(legal, decision)
    with pytest.raises(ValidationError, match="different legal member"):
        decision_second_approve(by=legal, decision=decision)
    assert Decision.objects.get().status == "pending_second_approval"


def test_four_eyes_is_a_database_constraint_too(decision, legal):
    override(legal, decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(
            status="overridden", second_approver=legal.user
        )


def test_an_override_needs_a_reason_and_consistent_dates(decision, legal):
    with pytest.raises(ValidationError) as error:
        override(legal, decision, reason=" ", disposition="archive")
    assert set(error.value.message_dict) == {"reason", "retain_until"}
    assert Decision.objects.get().status == "proposed"


def test_rejecting_a_pending_override_drops_it_and_proposes_again(decision, legal, legal2):
    override(legal, decision)
    decision = decision_reject(by=legal2, decision=decision, reason="The 30 years do apply.")
    assert decision.status == "proposed" and decision.override_disposition == ""
    assert "The 30 years do apply." in decision.review_note


def _groups(winddown):
    return {(g.category_key, g.jurisdiction, g.disposition): g for g in review_groups(winddown)}


def test_identical_proposals_are_grouped_and_approved_together(winddown, legal):
    for _ in range(3):
        make_holding(winddown, system=DataSystemFactory(winddown=winddown), jurisdiction="CN")
    make_holding(winddown, key="commerce.marketing_profile", jurisdiction="CN", fields=["email"])
    decisions_evaluate(winddown=winddown)
    group = _groups(winddown)[("commerce.invoice", "CN", "archive")]
    assert (group.decisions, group.records, group.conflict) == (3, 300, False)
    count = decisions_approve_group(
        by=legal,
        category_id=group.category_id,
        jurisdiction="CN",
        disposition="archive",
        signature=group.signature,
    )
    assert count == 3
    assert Decision.objects.filter(status="approved").count() == 3
    assert Decision.objects.filter(status="proposed").count() == 1  # the marketing profile
    event = AuditEvent.objects.get(action="compliance.decisions_approved_in_bulk")
    assert event.payload["count"] == 3


def test_conflicted_proposals_cannot_be_bulk_approved(winddown, legal):
    make_holding(winddown, jurisdiction="DE")  # CN vouchers law vs GDPR: a conflict
    make_holding(winddown, jurisdiction="DE")
    decisions_evaluate(winddown=winddown)
    group = _groups(winddown)[("commerce.invoice", "DE", "archive")]
    assert group.conflict
    with pytest.raises(ValidationError, match="conflicted"):
        decisions_approve_group(
            by=legal,
            category_id=group.category_id,
            jurisdiction="DE",
            disposition="archive",
            signature=group.signature,
        )
    assert not Decision.objects.filter(status="approved").exists()


def test_a_conflicted_proposal_is_approved_one_by_one_with_a_reason(winddown, legal):
    make_holding(winddown, jurisdiction="DE")
    decisions_evaluate(winddown=winddown)
    decision = Decision.objects.get()
    assert decision.conflict and "GDPR" in decision.conflict_reason
    with pytest.raises(ValidationError, match="conflict"):
        decision_approve(by=legal, decision=decision)
    decision = decision_approve(by=legal, decision=decision, reason="Art. 17(3)(e): claims.")
    assert decision.status == "approved"


def test_a_group_that_changed_since_it_was_shown_is_not_approved(winddown, legal):
    make_holding(winddown)
    decisions_evaluate(winddown=winddown)
    group = review_groups(winddown)[0]
    make_holding(winddown, system=DataSystemFactory(winddown=winddown))
    decisions_evaluate(winddown=winddown)
    with pytest.raises(ValidationError, match="changed"):
        decisions_approve_group(
            by=legal,
            category_id=group.category_id,
            jurisdiction=group.jurisdiction,
            disposition=group.disposition,
            signature=group.signature,
        )
