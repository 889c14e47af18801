"""Closing a job: verify and certify a performed job, or record that it failed or was cancelled."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import DestructionJob, JobItem, ProcessorRequest
from destruction.services.jobs.machine import VERIFY_FIELDS, Status, _locked, _refuse, _transition
from windown import roles
from windown.models import Membership


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
