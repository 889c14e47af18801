"""Celery tasks of the inventory phase: thin, carrying ids only."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from inventory.services.datamap_jobs import datamap_job_run


# Checking 200,000 rows takes seconds to a minute; the job row guards against a second run
# (a retry takes the job back from the status it was left in). A lost database connection
# rolls the import back whole; the task tries again, waiting longer each time, for ~10 minutes.
@shared_task(
    name="inventory.datamap_import_run",
    acks_late=True,
    soft_time_limit=900,
    time_limit=960,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=8,
)
def datamap_import_run(job_id: int) -> None:
    """Check an uploaded data map (its report is the preview), or import a confirmed one."""
    datamap_job_run(job_id)
