"""The processor's answer: validated per category, attested, recorded once (the form locks).

The answer claims the request with a conditional UPDATE (open and not answered), so of two
simultaneous submissions exactly one wins and the other changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import ProcessorRequest, ProcessorRequestItem
from destruction.services.evidence import StoredFile, store_upload
from destruction.services.processor_common import audit_request

CERTIFICATE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


class RequestLocked(ValidationError):
    """The request was already answered (or is not open): the form is locked."""


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
                stored = _store_certificate(certificate)
                if stored.content_type not in CERTIFICATE_TYPES:
                    default_storage.delete(stored.storage_path)  # keep nothing that was refused
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
            audit_request(
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


def _store_certificate(certificate) -> StoredFile:
    """Store the processor's certificate like evidence; a refusal names the form's field and
    keeps its code (the form words it in the processor's language by that code)."""
    try:
        return store_upload(
            fileobj=certificate,
            name=certificate.name,
            max_bytes=settings.DESTRUCTION_PROCESSOR_CERTIFICATE_MAX_BYTES,
            directory="destruction/processor-certificates",
        )
    except ValidationError as error:
        raise ValidationError({"certificate": error.error_list}) from error
