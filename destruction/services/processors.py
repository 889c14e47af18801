"""Processor deletion requests: draft, change, send and cancel (IT or the director).

State changes lock the request's row and are audited in the same transaction; the instruction
email is recorded as a row and sent by a task queued on commit (services/processor_emails.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.engine.jurisdictions import EU_MEMBER_STATES
from destruction.models import ProcessorEmail, ProcessorRequest, ProcessorRequestItem
from destruction.selectors.processors import request_scope
from destruction.services.processor_common import MANAGE, audit_request, queue_email
from destruction.services.revocations import revocation_checklist_ensure
from inventory.models import DataSystem
from windown import roles
from windown.models import Membership
from windown.updates import update_audited

__all__ = [
    "MANAGE",
    "legal_basis_for",
    "processor_request_cancel",
    "processor_request_create",
    "processor_request_send",
    "processor_request_update",
]

EEA_OUTSIDE_EU = frozenset({"IS", "LI", "NO"})
EDITABLE = (
    "processor_name",
    "processor_email",
    "contact_name",
    "language",
    "legal_basis",
    "deadline",
    "message",
)


def legal_basis_for(jurisdictions: Iterable[str]) -> str:
    """Name the provisions that oblige a processor to delete, for these subject jurisdictions."""
    codes = set(jurisdictions)
    lines = []
    if codes & (EU_MEMBER_STATES | EEA_OUTSIDE_EU):
        lines.append(
            "GDPR art. 28(3)(g): the processor deletes all personal data after the end of the "
            "provision of services relating to processing, at the controller's choice."
        )
    if "GB" in codes:
        lines.append("UK GDPR art. 28(3)(g) (the same obligation under UK law).")
    if "CN" in codes:
        lines.append(
            "PIPL art. 21: when the entrustment ends, the entrusted party returns or deletes "
            "the personal information and does not retain it."
        )
    if "US-CA" in codes:
        lines.append(
            "CCPA, Cal. Civ. Code §1798.105(c): a service provider deletes the consumer's "
            "personal information as directed by the business."
        )
    lines.append("The data processing agreement between us, and its termination.")
    return "\n".join(lines)


@transaction.atomic
def processor_request_create(
    *,
    by: Membership,
    system: DataSystem,
    processor_name: str = "",
    processor_email: str = "",
    contact_name: str = "",
    language: str = ProcessorRequest.Language.EN,
    legal_basis: str = "",
    deadline: dt.date | None = None,
    message: str = "",
    categories: list[str] | None = None,
) -> ProcessorRequest:
    """Draft a deletion request for the processor of `system`, scoped by its holdings."""
    roles.require(by, MANAGE)
    if system.winddown_id != by.winddown_id:
        raise ValidationError({"system": _("The system must belong to this wind-down.")})
    scope = request_scope(system)
    if categories:
        unknown = set(categories) - {entry.category.key for entry in scope}
        if unknown:
            raise ValidationError(
                {"categories": _("Not held in this system: %s") % ", ".join(sorted(unknown))}
            )
        scope = [entry for entry in scope if entry.category.key in categories]
    if not scope:
        raise ValidationError(
            {"system": _("The data map records no holdings in this system: nothing to delete.")}
        )
    request = ProcessorRequest(
        winddown=by.winddown,
        system=system,
        processor_name=processor_name.strip() or system.processor_name,
        processor_email=processor_email.strip() or system.processor_email,
        contact_name=contact_name.strip(),
        language=language,
        legal_basis=legal_basis.strip()
        or legal_basis_for(code for entry in scope for code in entry.jurisdictions),
        deadline=deadline,
        message=message.strip(),
        created_by=by,
    )
    if not request.processor_name or not request.processor_email:
        raise ValidationError(
            {
                "processor_email": _(
                    "Name the processor and its contact email (here, or on the system in the "
                    "data map)."
                )
            }
        )
    if ProcessorRequest.objects.filter(
        system=system, status__in=[ProcessorRequest.Status.DRAFT, *ProcessorRequest.OPEN]
    ).exists():
        raise ValidationError({"system": _("This system already has a pending request.")})
    request.full_clean()
    request.save()
    ProcessorRequestItem.objects.bulk_create(
        ProcessorRequestItem(
            request=request,
            category=entry.category,
            jurisdictions=entry.jurisdictions,
            records_total=entry.records_total,
        )
        for entry in scope
    )
    revocation_checklist_ensure(system=system)
    audit_request(
        request,
        "created",
        by=by,
        processor=request.processor_name,
        email=request.processor_email,
        categories={entry.category.key: entry.jurisdictions for entry in scope},
        legal_basis=request.legal_basis,
    )
    return request


def _locked(request: ProcessorRequest) -> ProcessorRequest:
    return (
        ProcessorRequest.objects.select_for_update()
        .select_related("winddown", "system")
        .get(pk=request.pk)
    )


@transaction.atomic
def processor_request_update(
    *, by: Membership, request: ProcessorRequest, **changes: Any
) -> ProcessorRequest:
    """Change a draft request's contact, language, legal basis, deadline or note."""
    roles.require(by, MANAGE)
    request = _locked(request)
    if request.status != ProcessorRequest.Status.DRAFT:
        raise ValidationError(_("Only a draft request can be changed."))
    update_audited(
        instance=request,
        changes=changes,
        editable=EDITABLE,
        winddown=request.winddown,
        actor=by.user,
        action="destruction.processor_request_updated",
        payload={"reference": request.reference},
    )
    return request


@transaction.atomic
def processor_request_send(*, by: Membership, request: ProcessorRequest) -> ProcessorRequest:
    """Send the instruction email: the request waits for the processor's answer by its deadline."""
    roles.require(by, MANAGE)
    request = _locked(request)
    if request.status != ProcessorRequest.Status.DRAFT:
        raise ValidationError(_("This request was already sent."))
    now = timezone.now()
    today = timezone.localdate(now)
    deadline = request.deadline or today + dt.timedelta(
        days=settings.DESTRUCTION_PROCESSOR_DEADLINE_DAYS
    )
    if deadline <= today:
        raise ValidationError({"deadline": _("The deadline must be after today.")})
    request.status = ProcessorRequest.Status.SENT
    request.deadline, request.sent_at, request.last_contacted_at = deadline, now, now
    request.full_clean()
    request.save()
    email = queue_email(request, ProcessorEmail.Kind.INSTRUCTION, 0)
    audit_request(
        request,
        "sent",
        by=by,
        to=email.to,
        deadline=deadline,
        message_id=email.message_id,
        link_expires=email.link_expires,
    )
    return request


@transaction.atomic
def processor_request_cancel(
    *, by: Membership, request: ProcessorRequest, reason: str
) -> ProcessorRequest:
    """Withdraw a request that was not answered (its link then says so); a reason is required."""
    roles.require(by, MANAGE)
    request = _locked(request)
    if request.status not in (ProcessorRequest.Status.DRAFT, *ProcessorRequest.OPEN):
        raise ValidationError(_("An answered or cancelled request cannot be cancelled."))
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Give the reason for cancelling.")})
    request.status = ProcessorRequest.Status.CANCELLED
    request.cancelled_at, request.cancel_reason = timezone.now(), reason.strip()
    request.full_clean()
    request.save()
    audit_request(request, "cancelled", by=by, reason=request.cancel_reason)
    return request
