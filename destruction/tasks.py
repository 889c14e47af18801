"""Celery tasks of the destruction phase: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from destruction.services.archives import archives_notice_due
from destruction.tasks_processors import processor_email_send, processor_requests_poll

__all__ = ["notice_archives_due", "processor_email_send", "processor_requests_poll"]


@shared_task(name="destruction.notice_archives_due")
def notice_archives_due() -> list[int]:
    """List archives whose retention has passed and no hold covers (hourly, from beat)."""
    return archives_notice_due()
