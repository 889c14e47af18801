"""Processor emails and the schedule: send a queued email, remind, escalate past the deadline.

Reminders and escalations claim the request with a conditional UPDATE, so two beat ticks or two
workers cannot both remind; an email row is sent under a row lock and marked sent once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from destruction.models import ProcessorEmail, ProcessorRequest
from destruction.processor_mail import build_processor_email
from destruction.services.processor_common import audit_request, queue_email

log = logging.getLogger(__name__)


@transaction.atomic
def processor_request_remind(*, request_id: int) -> ProcessorEmail | None:
    """Email a reminder if the request is unanswered and the reminder interval has passed."""
    now = timezone.now()
    interval = dt.timedelta(days=settings.DESTRUCTION_PROCESSOR_REMINDER_DAYS)
    claimed = ProcessorRequest.objects.filter(
        pk=request_id,
        status__in=ProcessorRequest.OPEN,
        last_contacted_at__lte=now - interval,
    ).update(last_contacted_at=now, reminders_sent=F("reminders_sent") + 1)
    if claimed != 1:
        return None
    request = ProcessorRequest.objects.select_related("winddown", "system").get(pk=request_id)
    email = queue_email(request, ProcessorEmail.Kind.REMINDER, request.reminders_sent)
    audit_request(
        request,
        "reminded",
        label="system",
        number=request.reminders_sent,
        to=email.to,
        message_id=email.message_id,
        deadline=request.deadline,
    )
    return email


@transaction.atomic
def processor_request_escalate(*, request_id: int) -> bool:
    """Mark an unanswered request whose deadline has passed as overdue (it blocks certifying)."""
    now = timezone.now()
    escalated = ProcessorRequest.objects.filter(
        pk=request_id, status=ProcessorRequest.Status.SENT, deadline__lt=timezone.localdate(now)
    ).update(status=ProcessorRequest.Status.OVERDUE, escalated_at=now)
    if escalated != 1:
        return False
    request = ProcessorRequest.objects.select_related("winddown", "system").get(pk=request_id)
    audit_request(request, "escalated", label="system", deadline=request.deadline)
    return True


def processor_email_deliver(*, email_id: int) -> bool:
    """Send one queued processor email once; say whether it went.

    A refused or failed send keeps the email queued with its error (beat sends it again later);
    a sent email is never sent twice, except if the worker dies between the SMTP answer and the
    commit, when the same Message-ID goes out again.
    """
    with transaction.atomic():
        email = (
            ProcessorEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request__winddown", "request__system", "request__created_by__user")
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        try:
            get_connection(fail_silently=False).send_messages([build_processor_email(email)])
        except Exception as error:  # SMTP refusals, connection errors: kept for the retry
            failure = str(error)[:2000] or type(error).__name__
        else:
            email.sent_at, email.error = timezone.now(), ""
            email.save(update_fields=["sent_at", "error"])
            audit_request(
                email.request,
                "email_sent",
                label="system",
                kind=email.kind,
                number=email.number,
                to=email.to,
                message_id=email.message_id,
            )
            return True
    log.warning("Processor email %s not sent: %s", email_id, failure)
    ProcessorEmail.objects.filter(pk=email_id).update(error=failure)
    return False
