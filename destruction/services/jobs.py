"""Destruction jobs: plan, add items and custody handovers, and move through the status machine.

The status machine is one table (`TRANSITIONS`); every transition goes through `_transition`,
which checks the table and the role matrix, moves the status with a conditional UPDATE (two
people cannot perform the same job) and audits it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.services.execution import decision_mark_executed
from destruction.models import (
    CustodyHandover,
    DestructionJob,
    JobItem,
    ProcessorRequest,
    ProcessorRequestItem,
    Vendor,
)
from destruction.models.jobs import TECHNIQUE_PARAMETERS, SanitizationLevel
from destruction.selectors.jobs import decision_of
from destruction.selectors.processors import processor_request_outcome
from destruction.services.archives import archive_crypto_shred
from destruction.services.gates import GateReport, gates_evaluate
from destruction.services.vendors import vendor_certified_on
from inventory.models import DataSystem
from inventory.services.sanitization import holding_mark_destroyed, system_mark_sanitized
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import update_audited

Status = DestructionJob.Status

# from → {to: permission}. Nothing leaves certified, failed or cancelled.
TRANSITIONS: dict[str, dict[str, str]] = {
    Status.PLANNED: {
        Status.SCHEDULED: "destruction.perform",
        Status.CANCELLED: "destruction.perform",
    },
    Status.SCHEDULED: {
        Status.PLANNED: "destruction.perform",
        Status.PERFORMED: "destruction.perform",
        Status.FAILED: "destruction.perform",
        Status.CANCELLED: "destruction.perform",
    },
    Status.PERFORMED: {
        Status.VERIFIED: "destruction.perform",
        Status.FAILED: "destruction.perform",
    },
    Status.VERIFIED: {Status.CERTIFIED: "destruction.certificate.issue"},
    Status.CERTIFIED: {},
    Status.FAILED: {},
    Status.CANCELLED: {},
}
EDITABLE_STATUSES = (Status.PLANNED, Status.SCHEDULED)
PLAN_FIELDS = (
    "title",
    "notes",
    "location",
    "sanitization_level",
    "technique",
    "overwrite_passes",
    "overwrite_pattern",
    "crypto_key_id",
    "degausser",
    "degauss_field_strength",
    "particle_size",
    "deletion_statement",
    "verification_query",
    "tool",
    "tool_version",
)
PERFORM_FIELDS = (
    *PLAN_FIELDS[2:],
    "verification_query_result",
    "started_at",
    "finished_at",
    "performer_name",
    "performer_title",
    "performer_contact",
    "validator_name",
    "validator_title",
    "validator_contact",
    "witness_name",
    "witness_title",
    "witness_contact",
)
VERIFY_FIELDS = (
    "validator_name",
    "validator_title",
    "validator_contact",
    "verification_method",
    "verification_sample_percent",
    "verification_result",
)


def _refuse(message: str, **params: Any) -> None:
    raise ValidationError(message % params if params else message)


def _same_winddown(by: Membership, *objects) -> None:
    if any(o is not None and o.winddown_id != by.winddown_id for o in objects):
        _refuse(_("Everything in a job must belong to this wind-down."))


def _check_vendor(job: DestructionJob, vendor: Vendor | None) -> None:
    """Refuse a vendor with no valid certification unless the director overrode it for this job."""
    if vendor is None:
        return
    day = (job.scheduled_for or timezone.now()).date()
    overridden = job.vendor_overridden and job.vendor_id == vendor.pk
    if not vendor_certified_on(vendor, day) and not overridden:
        _refuse(
            _(
                "%(vendor)s has no certification valid on %(day)s: only the director can "
                "assign it, with a written reason."
            ),
            vendor=vendor,
            day=day,
        )


def _next_reference(job: DestructionJob) -> str:
    year = timezone.now().year
    prefix = f"DJ-{year}-"
    taken = DestructionJob.objects.filter(
        winddown_id=job.winddown_id, reference__startswith=prefix
    ).values_list("reference", flat=True)
    number = max(
        (int(r.rsplit("-", 1)[1]) for r in taken if r.rsplit("-", 1)[1].isdigit()), default=0
    )
    return f"{prefix}{number + 1:04d}"


def job_create(
    *, by: Membership, title: str, vendor: Vendor | None = None, **fields: Any
) -> DestructionJob:
    """Plan a destruction job (items are added next)."""
    roles.require(by, "destruction.perform")
    _same_winddown(by, vendor)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for _attempt in range(3):
        try:
            return _job_create(by=by, title=title, vendor=vendor, **fields)
        except IntegrityError:  # two jobs took the same reference at once: take the next one
            continue
    raise ValidationError(_("Could not allocate a job reference; try again."))


@transaction.atomic
def _job_create(*, by, title, vendor, **fields) -> DestructionJob:
    job = DestructionJob(
        winddown=by.winddown, title=title, vendor=vendor, created_by=by.user, **fields
    )
    _check_vendor(job, vendor)
    job.reference = _next_reference(job)
    job.full_clean()
    job.save()
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.job_created",
        obj=job,
        payload={
            "reference": job.reference,
            "title": title,
            "vendor": vendor.name if vendor else "",
        },
    )
    return job


@transaction.atomic
def job_update(*, by: Membership, job: DestructionJob, **changes: Any) -> DestructionJob:
    """Change a planned or scheduled job's title, notes, vendor or planned method."""
    roles.require(by, "destruction.perform")
    job = DestructionJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in EDITABLE_STATUSES:
        _refuse(_("A %(status)s job cannot be changed."), status=job.get_status_display())
    if "vendor" in changes:
        vendor = changes["vendor"]
        _same_winddown(by, vendor)
        if vendor is None or vendor.pk != job.vendor_id:
            job.vendor_override_by, job.vendor_override_reason, job.vendor_override_at = (
                None,
                "",
                None,
            )
        _check_vendor(job, vendor)
    update_audited(
        instance=job,
        changes=changes,
        editable=(*PLAN_FIELDS, "vendor"),
        winddown=job.winddown,
        actor=by.user,
        action="destruction.job_updated",
        payload={"reference": job.reference},
    )
    return job


@transaction.atomic
def job_item_add(*, by: Membership, job: DestructionJob, kind: str, **fields: Any) -> JobItem:
    """Add an item to a planned job: a holding, an archived original, media, a request, a shred."""
    roles.require(by, "destruction.perform")
    job = DestructionJob.objects.select_for_update().get(pk=job.pk)
    if job.status != Status.PLANNED:
        _refuse(_("Items can only be added while the job is planned."))
    item = JobItem(job=job, kind=kind, **fields)
    _same_winddown(by, job, item.holding, item.system, item.archive, item.processor_request)
    if item.holding is not None:
        if item.holding.destroyed_at:
            _refuse(
                _("%(h)s was already destroyed by %(job)s."),
                h=item.holding,
                job=item.holding.destroyed_by_job,
            )
        busy = (
            JobItem.objects.filter(holding=item.holding)
            .exclude(job=job)
            .exclude(job__status__in=[Status.FAILED, Status.CANCELLED])
            .select_related("job")
            .first()
        )
        if busy:
            _refuse(_("%(h)s is already in job %(job)s."), h=item.holding, job=busy.job.reference)
    if kind == JobItem.Kind.MEDIA and item.system is not None:
        for name, source in (
            ("manufacturer", "make"),
            ("model", "model"),
            ("serial_number", "serial_number"),
            ("asset_number", "asset_number"),
        ):
            if not getattr(item, name):
                setattr(item, name, getattr(item.system, source))
    item.full_clean()
    item.save()
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.job_item_added",
        obj=item,
        payload={"job": job.reference, "kind": kind, "item": item.label},
    )
    return item


@transaction.atomic
def job_item_remove(*, by: Membership, item: JobItem) -> None:
    """Remove an item from a planned job."""
    roles.require(by, "destruction.perform")
    job = DestructionJob.objects.select_for_update().get(pk=item.job_id)
    if job.status != Status.PLANNED:
        _refuse(_("Items can only be removed while the job is planned."))
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.job_item_removed",
        obj=item,
        payload={"job": job.reference, "kind": item.kind, "item": item.label},
    )
    item.delete()


@transaction.atomic
def handover_add(*, by: Membership, job: DestructionJob, **fields: Any) -> CustodyHandover:
    """Record a handover in the job's chain of custody."""
    roles.require(by, "destruction.perform")
    if job.status in (Status.VERIFIED, Status.CERTIFIED, Status.CANCELLED):
        _refuse(
            _("The chain of custody of a %(status)s job is closed."),
            status=job.get_status_display(),
        )
    handover = CustodyHandover(job=job, recorded_by=by.user, **fields)
    handover.full_clean()
    handover.save()
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.custody_handover",
        obj=handover,
        payload={
            "job": job.reference,
            "from": handover.from_party,
            "to": handover.to_party,
            "at": handover.handed_over_at,
            "place": handover.place,
            "seals": handover.seal_ids,
        },
    )
    return handover


def _transition(
    *, by: Membership, job: DestructionJob, to: str, payload: dict | None = None
) -> None:
    """Move `job` (locked by the caller) to `to` if the table allows it; audit the move."""
    if job.winddown_id != by.winddown_id:
        _refuse(_("This job belongs to another wind-down."))
    allowed = TRANSITIONS[job.status]
    if to not in allowed:
        raise ValidationError(
            _("A %(from)s job cannot become %(to)s.")
            % {"from": job.get_status_display(), "to": Status(to).label},
            code="illegal_transition",
        )
    roles.require(by, allowed[to])
    before = job.status
    job.status = to
    job.full_clean()
    job.save()
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action=f"destruction.job_{to}",
        obj=job,
        payload={"reference": job.reference, "status": [before, to], **(payload or {})},
    )


def _locked(job: DestructionJob) -> DestructionJob:
    return DestructionJob.objects.select_for_update().get(pk=job.pk)


def _refuse_failed_gates(report: GateReport) -> None:
    if not report.passed:
        raise ValidationError(
            [
                f"{_('Gate')} {r.gate} ({r.name}) · {r.item or _('job')}"
                f"{' · ' + r.holding if r.holding and r.holding != r.item else ''}: {r.message}"
                for r in report.failures
            ],
            code="gates_failed",
        )


@transaction.atomic
def job_schedule(*, by: Membership, job: DestructionJob, scheduled_for: dt.datetime) -> GateReport:
    """Schedule a planned job once every gate passes for the scheduled date."""
    job = _locked(job)
    roles.require(by, "destruction.perform")
    if not job.items.exists():
        _refuse(_("Add at least one item before scheduling the job."))
    job.scheduled_for = scheduled_for
    report = gates_evaluate(job=job, on=scheduled_for.date())
    _refuse_failed_gates(report)
    job.gates_at_schedule = report.as_list()
    _transition(by=by, job=job, to=Status.SCHEDULED, payload={"scheduled_for": scheduled_for})
    return report


@transaction.atomic
def job_unschedule(*, by: Membership, job: DestructionJob, reason: str) -> DestructionJob:
    """Return a scheduled job to planning (to change its items)."""
    job = _locked(job)
    job.scheduled_for = None
    _transition(by=by, job=job, to=Status.PLANNED, payload={"reason": reason})
    return job


def _check_method(job: DestructionJob) -> None:
    errors = {}
    for name in ("sanitization_level", "technique", "performer_name", "started_at", "finished_at"):
        if not getattr(job, name):
            errors[name] = _("Required to record the destruction.")
    for name in TECHNIQUE_PARAMETERS.get(job.technique, ()):
        if getattr(job, name) in (None, ""):
            errors[name] = _("This technique needs it.")
    if job.technique == "logical_deletion" and not job.verification_query_result:
        errors["verification_query_result"] = _("Record what the verification query returned.")
    if job.finished_at and job.finished_at > timezone.now() + dt.timedelta(minutes=5):
        errors["finished_at"] = _("A destruction cannot finish in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def job_perform(
    *, by: Membership, job: DestructionJob, outcomes: dict[int, dict[str, str]], **method: Any
) -> GateReport:
    """Record a scheduled job as performed: method, people, and each item's outcome.

    The gates are evaluated again for the finishing date and stored with the job; a failing
    gate refuses the whole record. Destroyed items update the phases below: holdings and
    systems become destroyed or cleaned, and each decision shows it was executed by this job.
    If every item failed, the job fails.
    """
    job = _locked(job)
    roles.require(by, "destruction.perform")
    if job.status != Status.SCHEDULED:
        raise ValidationError(
            _("A %(from)s job cannot become %(to)s.")
            % {"from": job.get_status_display(), "to": Status.PERFORMED.label},
            code="illegal_transition",
        )
    unknown = set(method) - set(PERFORM_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in method.items():
        setattr(job, name, value.strip() if isinstance(value, str) else value)
    _check_method(job)
    items = list(
        job.items.select_related(
            "holding__system", "system", "archive", "processor_request__system"
        )
    )
    errors = _apply_outcomes(items, outcomes)
    if errors:
        raise ValidationError(errors)
    report = gates_evaluate(job=job, on=job.finished_at.date())
    _refuse_failed_gates(report)
    job.gates_at_performance = report.as_list()
    job.performed_by = by.user
    failed_all = all(item.outcome == JobItem.Outcome.FAILED for item in items)
    to = Status.FAILED if failed_all else Status.PERFORMED
    for item in items:
        item.full_clean()
        item.save()
    _transition(
        by=by,
        job=job,
        to=to,
        payload={
            "method": {name: getattr(job, name) for name in PERFORM_FIELDS},
            "outcomes": {item.label: item.outcome for item in items},
            "gates": "passed",
        },
    )
    if to == Status.PERFORMED:
        for item in items:
            if item.outcome != JobItem.Outcome.FAILED:
                _record_destroyed(by=by, job=job, item=item)
    return report


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


@transaction.atomic
def job_verify(*, by: Membership, job: DestructionJob, **verification: Any) -> DestructionJob:
    """Record the validator's verification of a performed job (validator ≠ performer)."""
    job = _locked(job)
    roles.require(by, "destruction.perform")
    unknown = set(verification) - set(VERIFY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in verification.items():
        setattr(job, name, value.strip() if isinstance(value, str) else value)
    errors = {}
    if not job.validator_name:
        errors["validator_name"] = _("Verifying needs the validator.")
    elif job.validator_name.casefold() == job.performer_name.casefold():
        errors["validator_name"] = _("The validator must not be the performer.")
    if not job.verification_method:
        errors["verification_method"] = _("Say how the destruction was verified.")
    if not job.verification_result:
        errors["verification_result"] = _("Record the verification result.")
    if job.verification_method != DestructionJob.VerificationMethod.SAMPLING:
        job.verification_sample_percent = None
    elif not job.verification_sample_percent:
        errors["verification_sample_percent"] = _("Give the percentage sampled.")
    if errors:
        raise ValidationError(errors)
    job.verified_by = by.user
    job.verified_at = timezone.now()
    _transition(
        by=by,
        job=job,
        to=Status.VERIFIED,
        payload={name: getattr(job, name) for name in VERIFY_FIELDS},
    )
    return job


@transaction.atomic
def job_certify(*, by: Membership, job: DestructionJob) -> DestructionJob:
    """Mark a verified job certified; an overdue processor request blocks it."""
    job = _locked(job)
    overdue = [
        item.label
        for item in job.items.filter(
            kind=JobItem.Kind.PROCESSOR_REQUEST,
            processor_request__status=ProcessorRequest.Status.OVERDUE,
        ).select_related("processor_request__system")
    ]
    if overdue:
        _refuse(
            _("Overdue processor requests block certifying: %(items)s."), items=", ".join(overdue)
        )
    _transition(by=by, job=job, to=Status.CERTIFIED)
    return job


@transaction.atomic
def job_fail(*, by: Membership, job: DestructionJob, reason: str) -> DestructionJob:
    """Record that a scheduled or performed job failed."""
    job = _locked(job)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the job failed.")})
    job.notes = "\n".join(filter(None, [job.notes, f"{_('Failed')}: {reason.strip()}"]))
    _transition(by=by, job=job, to=Status.FAILED, payload={"reason": reason.strip()})
    return job


@transaction.atomic
def job_cancel(*, by: Membership, job: DestructionJob, reason: str) -> DestructionJob:
    """Cancel a job that was not performed."""
    job = _locked(job)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the job is cancelled.")})
    job.notes = "\n".join(filter(None, [job.notes, f"{_('Cancelled')}: {reason.strip()}"]))
    _transition(by=by, job=job, to=Status.CANCELLED, payload={"reason": reason.strip()})
    return job
