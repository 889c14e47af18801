"""Celery tasks of the destruction phase: thin, carrying ids, calling the services.

`notice_archives_due` and `processor_requests_poll` run from beat (CELERY_BEAT_SCHEDULE): the
first lists archives past retention that no hold covers; the second escalates processor requests
past their deadline, queues due reminders and re-queues emails whose send did not finish.
Nothing is scheduled with an ETA.
"""

from __future__ import annotations

from celery import shared_task

from destruction.selectors.processors import (
    emails_not_sent,
    requests_due_for_reminder,
    requests_past_deadline,
)
from destruction.services.archives import archives_notice_due
from destruction.services.certificates.bulk import certificate_issue_queued
from destruction.services.processor_emails import (
    processor_email_deliver,
    processor_request_escalate,
    processor_request_remind,
)
from destruction.services.receipts import receipts_send_certified
from windown.models import WindDown


@shared_task(name="destruction.notice_archives_due")
def notice_archives_due() -> list[int]:
    """List archives whose retention has passed and no hold covers (hourly, from beat)."""
    return archives_notice_due()


@shared_task(name="destruction.processor_email_send", acks_late=True)
def processor_email_send(email_id: int) -> bool:
    """Send one queued processor email."""
    return processor_email_deliver(email_id=email_id)


@shared_task(name="destruction.processor_requests_poll")
def processor_requests_poll() -> dict:
    """Escalate overdue requests, remind unanswered ones, retry unsent emails."""
    escalated = sum(processor_request_escalate(request_id=pk) for pk in requests_past_deadline())
    reminded = sum(
        processor_request_remind(request_id=pk) is not None for pk in requests_due_for_reminder()
    )
    retried = emails_not_sent()
    for email_id in retried:
        processor_email_send.delay(email_id)
    return {"escalated": escalated, "reminded": reminded, "retried": len(retried)}


@shared_task(name="destruction.certificate_issue_job", acks_late=True)
def certificate_issue_job(job_id: int, membership_id: int) -> str:
    """Issue one verified job's certificate (WeasyPrint is imported inside the render)."""
    certificate = certificate_issue_queued(job_id=job_id, membership_id=membership_id)
    return certificate.serial if certificate else ""


@shared_task(name="destruction.receipts_send", acks_late=True)
def receipts_send(winddown_id: int) -> int:
    """Start the completion receipts of newly certified jurisdictions (nothing twice)."""
    winddown = WindDown.objects.get(pk=winddown_id)
    return len(receipts_send_certified(winddown=winddown))
