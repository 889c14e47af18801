"""Legal review: approve proposals (one or a whole group), override with four-eyes, reject."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from compliance import reasons
from compliance.models import Decision
from compliance.models.decisions import OVERRIDE_DISPOSITIONS, Disposition
from compliance.selectors import group_signature
from compliance.services.evaluation import decisions_evaluate
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

Status = Decision.Status


def _locked(by: Membership, decision: Decision) -> Decision:
    roles.require(by, "compliance.decide")
    return (
        Decision.objects.select_for_update()
        .select_related("holding")
        .get(pk=decision.pk, winddown_id=by.winddown_id)
    )


def _audit(by: Membership, action: str, decision: Decision, **payload) -> None:
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action=action,
        obj=decision,
        payload={
            "holding": decision.holding_id,
            "disposition": decision.disposition,
            "fingerprint": decision.fingerprint,
            **payload,
        },
    )


@transaction.atomic
def decision_approve(
    *, by: Membership, decision: Decision, fingerprint: str = "", reason: str = ""
) -> Decision:
    """Approve the engine's proposal as shown (`fingerprint`); a conflict needs a reason."""
    decision = _locked(by, decision)
    if decision.status != Status.PROPOSED:
        raise ValidationError(_("Only a proposed decision can be approved."))
    if fingerprint and fingerprint != decision.fingerprint:
        raise ValidationError(_("The proposal changed since you looked at it; review it again."))
    if decision.conflict and not reason.strip():
        raise ValidationError(
            {"reason": _("This proposal has a conflict: say why you approve it as proposed.")}
        )
    now = timezone.now()
    decision.status, decision.review_reasons = Status.APPROVED, []
    decision.reviewed_by = decision.approved_by = by.user
    decision.reviewed_at = decision.approved_at = now
    decision.approved_fingerprint = decision.fingerprint
    decision.save()
    _audit(by, "compliance.decision_approved", decision, reason=reason.strip())
    return decision


@transaction.atomic
def decisions_approve_group(
    *,
    by: Membership,
    category_id: int,
    jurisdiction: str,
    disposition: str,
    signature: str,
    reason: str = "",
) -> int:
    """Approve every proposed decision of one review group; conflicted proposals never are."""
    roles.require(by, "compliance.decide")
    group = Decision.objects.select_for_update().filter(
        winddown_id=by.winddown_id,
        status=Status.PROPOSED,
        holding__category_id=category_id,
        holding__jurisdiction=jurisdiction,
        disposition=disposition,
    )
    decisions = list(group.only("id", "fingerprint", "conflict"))
    if any(d.conflict for d in decisions):
        raise ValidationError(
            _("This group holds conflicted proposals: legal reviews each of them on its own.")
        )
    if not decisions or group_signature(decisions) != signature:
        raise ValidationError(_("The group changed since you looked at it; review it again."))
    now = timezone.now()
    count = Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(
        status=Status.APPROVED,
        review_reasons=[],
        reviewed_by=by.user,
        reviewed_at=now,
        approved_by=by.user,
        approved_at=now,
        approved_fingerprint=F("fingerprint"),
    )
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="compliance.decisions_approved_in_bulk",
        payload={
            "category": category_id,
            "jurisdiction": jurisdiction,
            "disposition": disposition,
            "count": count,
            "signature": signature,
            "reason": reason.strip(),
        },
    )
    return count


@transaction.atomic
def decision_override(
    *,
    by: Membership,
    decision: Decision,
    disposition: str,
    delete_by: date,
    reason: str,
    retain_until: date | None = None,
) -> Decision:
    """Record legal's own disposition with a reason; effective once another member approves."""
    decision = _locked(by, decision)
    if decision.status not in (Status.PROPOSED, Status.APPROVED, Status.OVERRIDDEN):
        raise ValidationError(_("Re-evaluate or finish the pending approval first."))
    errors = {}
    if disposition not in OVERRIDE_DISPOSITIONS:
        errors["disposition"] = _("Choose delete now, delete or archive.")
    if not reason.strip():
        errors["reason"] = _("An override needs a written reason.")
    if disposition == Disposition.ARCHIVE and not retain_until:
        errors["retain_until"] = _("An archive needs the date it is kept until.")
    if disposition != Disposition.ARCHIVE and retain_until:
        errors["retain_until"] = _("Only an archive is kept until a date.")
    if retain_until and delete_by <= retain_until:
        errors["delete_by"] = _("Deletion must come after the archive period.")
    if errors:
        raise ValidationError(errors)
    before = decision.status
    decision.clear_review([])
    decision.status = Status.PENDING_SECOND_APPROVAL
    decision.override_disposition, decision.override_retain_until = disposition, retain_until
    decision.override_delete_by, decision.override_reason = delete_by, reason.strip()
    decision.overridden_by = decision.reviewed_by = by.user
    decision.reviewed_at = timezone.now()
    decision.approved_fingerprint = decision.fingerprint
    decision.full_clean(exclude=["holding", "winddown", "ruleset"])
    decision.save()
    _audit(
        by,
        "compliance.decision_overridden",
        decision,
        status_before=before,
        override={"disposition": disposition, "retain_until": retain_until, "delete_by": delete_by},
        reason=reason.strip(),
    )
    return decision


@transaction.atomic
def decision_second_approve(*, by: Membership, decision: Decision, reason: str = "") -> Decision:
    """Approve another legal member's override (four-eyes): it becomes effective."""
    decision = _locked(by, decision)
    if decision.status != Status.PENDING_SECOND_APPROVAL:
        raise ValidationError(_("This decision awaits no second approval."))
    if decision.overridden_by_id == by.user_id:
        raise ValidationError(_("Four-eyes: a different legal member must approve your override."))
    decision.status = Status.OVERRIDDEN
    decision.second_approver = decision.approved_by = by.user
    decision.approved_at = timezone.now()
    decision.save()
    _audit(
        by,
        "compliance.override_approved",
        decision,
        override_disposition=decision.override_disposition,
        overridden_by=decision.overridden_by_id,
        reason=reason.strip(),
    )
    return decision


@transaction.atomic
def decision_reject(*, by: Membership, decision: Decision, reason: str) -> Decision:
    """Reject a proposal or a pending override: drop the review and evaluate the holding again."""
    decision = _locked(by, decision)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you reject it.")})
    before = decision.status
    decision.clear_review(reasons.note("rejected_by", who=by.user.email, reason=reason.strip()))
    decision.save()
    _audit(by, "compliance.decision_rejected", decision, status_before=before, reason=reason)
    decisions_evaluate(
        winddown=by.winddown,
        holding_ids=[decision.holding_id],
        reason=gettext_noop("rejected by legal"),
    )
    decision.refresh_from_db()
    return decision
