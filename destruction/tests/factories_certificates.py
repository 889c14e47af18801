"""Verified destruction jobs ready for a certificate (the legal path, through the services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from destruction.models import DestructionJob, JobItem
from destruction.services import jobs as service
from destruction.tests import factories as f
from windown.models import Membership

METHOD = {
    "sanitization_level": "clear",
    "technique": "logical_deletion",
    "deletion_statement": "DELETE FROM orders WHERE country = 'DE'",
    "verification_query": "SELECT count(*) FROM orders WHERE country = 'DE'",
    "verification_query_result": "0",
    "tool": "psql",
    "tool_version": "15.8",
    "location": "Frankfurt data centre",
    "performer_name": "Li Wei",
    "performer_title": "IT lead, Lumen",
    "performer_contact": "it@example.com",
    "witness_name": "王芳",
    "witness_title": "合规经理, Lumen",
}


def verified_job(
    winddown,
    *,
    it: Membership,
    legal: Membership,
    items: int = 1,
    outcomes: list[tuple[str, str]] | None = None,
    title: str = "Delete order data",
) -> DestructionJob:
    """Create a job of `items` holdings, schedule, perform (with `outcomes`) and verify it."""
    if not winddown.recipients.exists():
        f.notified(winddown)
    job = service.job_create(by=it, title=title)
    for _ in range(items):
        holding = f.holding(winddown)
        f.decision(holding, legal)
        service.job_item_add(by=it, job=job, kind=JobItem.Kind.HOLDING, holding=holding)
    now = timezone.now()
    service.job_schedule(by=it, job=job, scheduled_for=now + dt.timedelta(minutes=1))
    outcomes = outcomes or [("destroyed", "")] * items
    service.job_perform(
        by=it,
        job=job,
        outcomes={
            item.pk: {"outcome": outcome, "exception_text": exception}
            for item, (outcome, exception) in zip(job.items.order_by("pk"), outcomes, strict=True)
        },
        started_at=now - dt.timedelta(hours=2),
        finished_at=now - dt.timedelta(hours=1),
        **METHOD,
    )
    service.job_verify(
        by=it,
        job=job,
        validator_name="Anna Weber",
        validator_title="Auditor, Weber & Co",
        verification_method="full",
        verification_result="query returned 0 rows",
    )
    job.refresh_from_db()
    return job
