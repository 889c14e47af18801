"""Celery tasks of the processor requests: thin, carrying ids, calling the services.

`processor_requests_poll` runs from beat (CELERY_BEAT_SCHEDULE, a django-celery-beat periodic
task): it escalates requests past their deadline, queues due reminders and re-queues emails
whose send did not finish. Nothing is scheduled with an ETA.
"""

from __future__ import annotations

from celery import shared_task

from destruction.selectors.processors import (
    emails_not_sent,
    requests_due_for_reminder,
    requests_past_deadline,
)
from destruction.services.processor_emails import (
    processor_email_deliver,
    processor_request_escalate,
    processor_request_remind,
)


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
