"""A planned job's contents: add and remove items, record custody handovers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from destruction.models import CustodyHandover, DestructionJob, JobItem
from destruction.services.jobs.machine import Status, _refuse, _same_winddown
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


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
