"""Shared steps of the processor request services: audit an event, queue an email."""

from __future__ import annotations

import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from destruction.models import ProcessorEmail, ProcessorRequest
from destruction.processor_links import link_expiry
from windown.audit import audit_record

MANAGE = "destruction.processor.manage"


def audit_request(
    request: ProcessorRequest, action: str, *, by=None, label=None, **payload
) -> None:
    audit_record(
        winddown=request.winddown,
        actor=by.user if by is not None else None,
        actor_label=label,
        action=f"destruction.processor_request_{action}",
        obj=request,
        payload={"reference": request.reference, "system": request.system.name, **payload},
    )


def queue_email(request: ProcessorRequest, kind: str, number: int) -> ProcessorEmail:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "windown.localhost"
    email = ProcessorEmail.objects.create(
        request=request,
        kind=kind,
        number=number,
        message_id=f"<pr{request.pk}.{kind}{number}.{uuid.uuid4().hex[:12]}@{domain}>",
        to=request.processor_email,
        link_expires=link_expiry(request.deadline),
        created_at=timezone.now(),
    )
    from destruction.tasks import processor_email_send  # it imports the services

    transaction.on_commit(lambda: processor_email_send.delay(email.pk))
    return email
