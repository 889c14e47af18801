"""Bulk issuance: one Celery task per verified job, queued after the request commits."""

from __future__ import annotations

from django.db import transaction

from destruction.models import Certificate, DestructionJob
from destruction.services.certificates.issue import certificate_issue
from windown import roles
from windown.audit import audit_record
from windown.models import Membership


def certificates_issue_bulk(*, actor: Membership, enqueue) -> list[int]:
    """Queue the issuance of every verified job of the actor's wind-down; return the job ids.

    `enqueue(job_id, membership_id)` queues one task (destruction.tasks.certificate_issue_job).
    """
    roles.require(actor, "destruction.certificate.issue")
    job_ids = list(
        DestructionJob.objects.filter(
            winddown_id=actor.winddown_id, status=DestructionJob.Status.VERIFIED
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        audit_record(
            winddown=actor.winddown,
            actor=actor.user,
            action="destruction.certificates_bulk_requested",
            payload={"jobs": len(job_ids)},
        )
        for job_id in job_ids:
            transaction.on_commit(lambda job_id=job_id: enqueue(job_id, actor.pk))
    return job_ids


def certificate_issue_queued(*, job_id: int, membership_id: int) -> Certificate | None:
    """Issue a queued job's certificate; a job no longer verified (issued meanwhile) is skipped."""
    actor = Membership.objects.select_related("user", "winddown").get(pk=membership_id)
    job = DestructionJob.objects.select_related("winddown").get(pk=job_id)
    if job.status != DestructionJob.Status.VERIFIED:
        return None
    return certificate_issue(job=job, actor=actor)
