"""The email that confirms a customer's request: what was asked, its number and the due date.

Sent by a Celery task after the request is committed (notices.request_acknowledge), retried
when the mail server fails, and audited once sent.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notices.defaults import acknowledgement_texts, request_label
from notices.messages import format_date, from_address_for
from notices.models import SubjectRequest
from notices.tokens import personal_url, receipted_link_expiry
from windown.audit import audit_record
from windown.headers import EmailMessage


def acknowledgement_email(request: SubjectRequest) -> EmailMessage:
    recipient = request.recipient
    winddown = request.winddown
    language = recipient.language
    received = timezone.localdate(request.created_at)
    subject, body = acknowledgement_texts(
        language,
        {
            "company_name": winddown.company_legal_name,
            "customer_name": recipient.name,
            "request_label": request_label(language, request.type),
            "request_number": str(request.pk),
            "received_date": format_date(received, language),
            "due_date": format_date(request.due_date, language),
            "message": request.message,
            "personal_link": personal_url(recipient, expires=receipted_link_expiry(recipient)),
            "support_email": winddown.support_email,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_address_for(winddown),
        to=[recipient.email],
        reply_to=[winddown.support_email] if winddown.support_email else None,
        headers={"Auto-Submitted": "auto-replied", "Content-Language": language},
    )


def request_acknowledge(request_id: int) -> bool:
    """Send the confirmation once (a retried task after a send that went through sends no
    second one); the send raises on failure so the task retries it."""
    with transaction.atomic():
        request = (
            SubjectRequest.objects.select_for_update()
            .select_related("recipient", "winddown")
            .get(pk=request_id)
        )
        if request.acknowledged_at:
            return False
        acknowledgement_email(request).send(fail_silently=False)
        request.acknowledged_at = timezone.now()
        request.save(update_fields=["acknowledged_at"])
        audit_record(
            winddown=request.winddown,
            actor=None,
            actor_label="system",
            action="notices.request_acknowledged",
            obj=request,
            payload={"language": request.recipient.language, "due_date": request.due_date},
        )
    return True
