"""Scheduling a job once its gates pass, and recording it performed with each item's outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import DestructionJob, JobItem
from destruction.models.sanitization import TECHNIQUE_PARAMETERS
from destruction.services.gates import GateReport, gates_evaluate
from destruction.services.jobs.machine import (
    PERFORM_FIELDS,
    Status,
    _locked,
    _refuse,
    _refuse_failed_gates,
    _transition,
)
from destruction.services.jobs.outcomes import _apply_outcomes, _record_destroyed
from windown import roles
from windown.models import Membership


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
