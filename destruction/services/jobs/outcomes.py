"""Item outcomes of a performed job, and carrying the destroyed ones into the phases below.

Holdings and systems become destroyed or cleaned, decisions show they were executed by the
job, processor requests take the processor's answer, and archives are crypto-shredded.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from compliance.services.execution import decision_mark_executed
from destruction.models import DestructionJob, JobItem, ProcessorRequestItem
from destruction.models.sanitization import SanitizationLevel
from destruction.selectors.jobs import decision_of
from destruction.selectors.processors import processor_request_outcome
from destruction.services.archives import archive_crypto_shred
from inventory.models import DataSystem
from inventory.services.sanitization import holding_mark_destroyed, system_mark_sanitized
from windown.models import Membership


def _apply_outcomes(items: list[JobItem], outcomes: dict[int, dict[str, str]]) -> dict:
    errors: dict[str, str] = {}
    for item in items:
        given = outcomes.get(item.pk) or outcomes.get(str(item.pk)) or {}
        item.outcome = given.get("outcome", "")
        item.exception_text = (given.get("exception_text") or "").strip()
        item.notes = (given.get("notes") or "").strip()
        key = f"item_{item.pk}"
        if item.kind == JobItem.Kind.PROCESSOR_REQUEST:
            error = _processor_outcome(item)
            if error:
                errors[key] = error
            continue
        if item.outcome not in JobItem.Outcome.values:
            errors[key] = _("Give the outcome of %(item)s.") % {"item": item.label}
        elif item.outcome == JobItem.Outcome.DESTROYED_WITH_EXCEPTIONS and not item.exception_text:
            errors[key] = _("Say what was not destroyed on %(item)s.") % {"item": item.label}
    return errors


def _processor_outcome(item: JobItem) -> str | None:
    """A processor request's item records what the processor answered, not what IT types.

    Unanswered, it can only be recorded as failed; answered, its outcome is the answer's
    (`processor_request_outcome`), and what was retained or refused is carried into the item.
    """
    request = item.processor_request
    answered = processor_request_outcome(request)
    if answered is None:
        if item.outcome != JobItem.Outcome.FAILED:
            return _("The processor has not answered %(item)s yet: record it as failed.") % {
                "item": item.label
            }
        return None
    item.outcome = answered
    kept = [
        f"{answer.category.key}: {answer.retention_basis or answer.refusal_reason}"
        for answer in request.items.select_related("category").filter(
            answer__in=[ProcessorRequestItem.Answer.RETAINED, ProcessorRequestItem.Answer.REFUSED]
        )
    ]
    if kept and not item.exception_text:
        item.exception_text = "; ".join(kept)
    return None


def _mark_holding(*, by: Membership, job: DestructionJob, holding) -> None:
    if holding.destroyed_at:
        return
    at = job.finished_at
    holding_mark_destroyed(holding=holding, job_reference=job.reference, at=at, actor=by.user)
    decision = decision_of(holding)
    if decision is not None:
        decision_mark_executed(decision=decision, job_reference=job.reference, at=at, actor=by.user)


def _record_destroyed(*, by: Membership, job: DestructionJob, item: JobItem) -> None:
    """Carry a destroyed item's outcome into inventory and compliance."""
    if item.kind in (JobItem.Kind.HOLDING, JobItem.Kind.ARCHIVE_ORIGINAL):
        _mark_holding(by=by, job=job, holding=item.holding)
        system = item.holding.system
        if system.status not in (DataSystem.Status.CLEANED, DataSystem.Status.DESTROYED) and not (
            system.holdings.filter(destroyed_at__isnull=True).exists()
        ):
            system_mark_sanitized(
                system=system,
                status=DataSystem.Status.CLEANED,
                job_reference=job.reference,
                actor=by.user,
            )
    elif item.kind in (JobItem.Kind.MEDIA, JobItem.Kind.PROCESSOR_REQUEST):
        system = item.system if item.kind == JobItem.Kind.MEDIA else item.processor_request.system
        if system is None:
            return
        for holding in system.holdings.all():
            _mark_holding(by=by, job=job, holding=holding)
        physical = (
            item.kind == JobItem.Kind.MEDIA and job.sanitization_level == SanitizationLevel.DESTROY
        )
        status = DataSystem.Status.DESTROYED if physical else DataSystem.Status.CLEANED
        system_mark_sanitized(
            system=system, status=status, job_reference=job.reference, actor=by.user
        )
    elif item.kind == JobItem.Kind.ARCHIVE_SHRED:
        item.result = archive_crypto_shred(by=by, archive=item.archive, job=job)
        item.save(update_fields=["result"])
