"""Celery tasks of the inventory phase: thin, carrying ids only."""

from __future__ import annotations

from celery import shared_task

from inventory.services.datamap_jobs import datamap_job_run


# Checking 200,000 rows takes seconds to a minute; the job row guards against a second run.
@shared_task(
    name="inventory.datamap_import_run", acks_late=True, soft_time_limit=900, time_limit=960
)
def datamap_import_run(job_id: int) -> None:
    """Check an uploaded data map (its report is the preview), or import a confirmed one."""
    datamap_job_run(job_id)
