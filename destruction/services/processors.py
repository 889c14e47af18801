"""Processor deletion requests: create, send, remind, escalate, answer (once), cancel; revocation.

Every state change is a conditional UPDATE (or a locked row) so that two workers, two beat
ticks or two submissions of the form cannot both win; each is audited in the same transaction.
Emails are recorded as rows first and sent by a task queued on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.engine.jurisdictions import EU_MEMBER_STATES
from destruction.models import (
    ProcessorEmail,
    ProcessorRequest,
    ProcessorRequestItem,
    RevocationItem,
)
from destruction.processor_links import link_expiry
from destruction.processor_mail import build_processor_email
from destruction.selectors.processors import request_scope
from destruction.services.evidence import store_upload
from inventory.models import DataSystem
from windown import roles
from windown.audit import audit_record
from windown.models import Membership
from windown.updates import update_audited

log = logging.getLogger(__name__)

MANAGE = "destruction.processor.manage"
CERTIFICATE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
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


class RequestLocked(ValidationError):
    """The request was already answered (or is not open): the form is locked."""


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


def _audit(request: ProcessorRequest, action: str, *, by=None, label=None, **payload) -> None:
    audit_record(
        winddown=request.winddown,
        actor=by.user if by is not None else None,
        actor_label=label,
        action=f"destruction.processor_request_{action}",
        obj=request,
        payload={"reference": request.reference, "system": request.system.name, **payload},
    )


def _queue_email(request: ProcessorRequest, kind: str, number: int) -> ProcessorEmail:
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
    from destruction.tasks_processors import processor_email_send  # the task calls this module

    transaction.on_commit(lambda: processor_email_send.delay(email.pk))
    return email


def revocation_checklist_ensure(*, system: DataSystem) -> list[RevocationItem]:
    """Create the system's revocation checklist (one item per kind of access) if missing."""
    for kind in RevocationItem.Kind.values:
        RevocationItem.objects.get_or_create(
            system=system, kind=kind, defaults={"winddown": system.winddown}
        )
    return list(system.revocation_items.all())


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
    _audit(
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
    email = _queue_email(request, ProcessorEmail.Kind.INSTRUCTION, 0)
    _audit(
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
    email = _queue_email(request, ProcessorEmail.Kind.REMINDER, request.reminders_sent)
    _audit(
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
    _audit(request, "escalated", label="system", deadline=request.deadline)
    return True


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
    _audit(request, "cancelled", by=by, reason=request.cancel_reason)
    return request


def _check_answers(
    request: ProcessorRequest, answers: Mapping[int, Mapping[str, str]]
) -> tuple[dict[int, dict[str, str]], dict[str, ValidationError]]:
    """Return the cleaned answer of every item and an error for each missing part."""
    errors: dict[str, ValidationError] = {}
    cleaned = {}
    for item in request.items.all():
        given = answers.get(item.pk) or {}
        answer = (given.get("answer") or "").strip()
        basis = (given.get("retention_basis") or "").strip()
        reason = (given.get("refusal_reason") or "").strip()
        if answer not in ProcessorRequestItem.Answer.values:
            errors[f"answer_{item.pk}"] = ValidationError(
                _("Choose an answer for this category."), code="answer_required"
            )
        elif answer == ProcessorRequestItem.Answer.RETAINED and not basis:
            errors[f"retention_basis_{item.pk}"] = ValidationError(
                _("Name the law that requires you to keep it."), code="retention_basis_required"
            )
        elif answer == ProcessorRequestItem.Answer.REFUSED and not reason:
            errors[f"refusal_reason_{item.pk}"] = ValidationError(
                _("Give the reason for refusing."), code="refusal_reason_required"
            )
        cleaned[item.pk] = {
            "answer": answer,
            "retention_basis": basis if answer == ProcessorRequestItem.Answer.RETAINED else "",
            "refusal_reason": reason if answer == ProcessorRequestItem.Answer.REFUSED else "",
        }
    return cleaned, errors


def processor_request_answer(
    *,
    request: ProcessorRequest,
    answers: Mapping[int, Mapping[str, str]],
    attester_name: str,
    attester_role: str,
    attester_email: str,
    attested: bool,
    remarks: str = "",
    certificate=None,
) -> ProcessorRequest:
    """Record the processor's answer once; a second submission raises RequestLocked.

    The answer claims the request with a conditional UPDATE (open and not answered), so of two
    simultaneous submissions exactly one wins; the loser changes nothing.
    """
    if request.status not in ProcessorRequest.OPEN:
        raise RequestLocked(_("This request was already answered or is closed."))
    cleaned, errors = _check_answers(request, answers)
    for field, value in (("attester_name", attester_name), ("attester_role", attester_role)):
        if not value.strip():
            errors[field] = ValidationError(_("This field is required."), code="required")
    try:
        validate_email(attester_email.strip())
    except ValidationError:
        errors["attester_email"] = ValidationError(
            _("Enter the attester's email address."), code="attester_email_invalid"
        )
    if not attested:
        errors["attested"] = ValidationError(
            _("Confirm that the answer is true and complete."), code="attestation_required"
        )
    if errors:
        raise ValidationError(errors)
    stored = None
    try:
        with transaction.atomic():
            now = timezone.now()
            claimed = ProcessorRequest.objects.filter(
                pk=request.pk, status__in=ProcessorRequest.OPEN, answered_at__isnull=True
            ).update(
                status=ProcessorRequest.Status.ANSWERED,
                answered_at=now,
                attester_name=attester_name.strip()[:200],
                attester_role=attester_role.strip()[:200],
                attester_email=attester_email.strip(),
                attested=True,
                answer_remarks=remarks.strip()[:5000],
            )
            if claimed != 1:
                raise RequestLocked(_("This request was already answered or is closed."))
            request = ProcessorRequest.objects.select_related("winddown", "system").get(
                pk=request.pk
            )
            for item in request.items.all():
                for name, value in cleaned[item.pk].items():
                    setattr(item, name, value)
                item.full_clean()
                item.save(update_fields=["answer", "retention_basis", "refusal_reason"])
            if certificate is not None:
                stored = store_upload(
                    fileobj=certificate,
                    name=certificate.name,
                    max_bytes=settings.DESTRUCTION_PROCESSOR_CERTIFICATE_MAX_BYTES,
                )
                if stored.content_type not in CERTIFICATE_TYPES:
                    raise ValidationError(
                        {
                            "certificate": ValidationError(
                                _("The certificate must be a PDF, PNG or JPEG file."),
                                code="file_type",
                            )
                        }
                    )
                request.certificate_name, request.certificate_path = (
                    stored.name,
                    stored.storage_path,
                )
                request.certificate_size, request.certificate_sha256 = stored.size, stored.sha256
                request.certificate_content_type = stored.content_type
                request.save(
                    update_fields=[
                        "certificate_name",
                        "certificate_path",
                        "certificate_size",
                        "certificate_sha256",
                        "certificate_content_type",
                    ]
                )
            _audit(
                request,
                "answered",
                label=f"processor:{request.attester_email}",
                answers={
                    item.category.key: cleaned[item.pk]
                    for item in request.items.select_related("category")
                },
                attester={
                    "name": request.attester_name,
                    "role": request.attester_role,
                    "email": request.attester_email,
                },
                late=request.escalated_at is not None,
                certificate_sha256=request.certificate_sha256,
            )
    except Exception:
        if stored is not None:
            default_storage.delete(stored.storage_path)
        raise
    return request


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
            _audit(
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


@transaction.atomic
def revocation_item_record(
    *, by: Membership, item: RevocationItem, status: str, note: str = ""
) -> RevocationItem:
    """Record that an access was revoked (or does not exist), or reopen it; who and when."""
    roles.require(by, MANAGE)
    item = RevocationItem.objects.select_for_update().select_related("system").get(pk=item.pk)
    if item.winddown_id != by.winddown_id:
        raise ValidationError(_("This checklist belongs to another wind-down."))
    if status not in RevocationItem.Status.values:
        raise ValidationError({"status": _("Choose revoked, not applicable or to do.")})
    if status == RevocationItem.Status.NOT_APPLICABLE and not note.strip():
        raise ValidationError({"note": _("Say why this access does not apply.")})
    before = item.status
    item.status, item.note = status, note.strip()
    if status == RevocationItem.Status.OPEN:
        item.done_at, item.done_by, item.done_by_label = None, None, ""
    else:
        item.done_at, item.done_by, item.done_by_label = timezone.now(), by, by.user.email
    item.full_clean()
    item.save()
    audit_record(
        winddown=item.winddown,
        actor=by.user,
        action="destruction.revocation_recorded",
        obj=item,
        payload={
            "system": item.system.name,
            "kind": item.kind,
            "status": [before, item.status],
            "note": item.note,
        },
    )
    return item
