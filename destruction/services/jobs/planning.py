"""Planning a job: create it with its reference, change its plan or vendor while editable."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import DestructionJob, Vendor
from destruction.services.jobs.machine import (
    EDITABLE_STATUSES,
    PLAN_FIELDS,
    _refuse,
    _same_winddown,
)
from destruction.services.vendors import vendor_certified_on
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import update_audited


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
