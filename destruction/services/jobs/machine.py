"""The job status machine: its table, the fields each step records, and the one transition.

The status machine is one table (`TRANSITIONS`); every transition goes through `_transition`,
which checks the table and the role matrix, moves the status with a conditional UPDATE (two
people cannot perform the same job) and audits it. The refusals shared by the job services
live here too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from destruction.models import DestructionJob
from destruction.services.gates import GateReport
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

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
