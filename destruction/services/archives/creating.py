"""Making an archive: apply the decision's field plan to an export while encrypting it.

An archive is made in one pass over the uploaded export (see `archive_crypto`): the field plan
is applied and the CSV is encrypted as it streams; only ciphertext touches the disk. The
archive's own identity exists in memory only, until it is sealed in the key envelope. The
record holds the manifest a custodian needs to read the plaintext back.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Decision
from compliance.reasons import in_english
from destruction.models import Archive, ArchiveKeyEnvelope, CustodianKey
from destruction.selectors.archives import custodian_keys_of, is_effective_archive_decision
from destruction.services.archive_crypto.encrypting import Sealed, encrypt_export
from destruction.services.receipts import receipts_check_later
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

MANIFEST_FORMAT = "windown-archive/2"  # 2: formula-neutralised cells (plaintext.cells)
# What a reader of the plaintext must know to restore every value exactly (the record is kept
# whole: the prefix is reversible). Checked by destruction/tests/test_archive_formulas.py.
CELLS_NOTE = (
    "formula-neutralised: a cell whose text, after any leading apostrophes, starts with "
    "= + - @ TAB or CR has one apostrophe prepended (windown.spreadsheets.neutralise); "
    "removing that one apostrophe (windown.spreadsheets.unneutralise) restores the value exactly"
)


def _next_reference(winddown_id: int, year: int) -> str:
    prefix = f"AR-{year}-"
    last = (
        Archive.objects.filter(winddown_id=winddown_id, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def _decision_summary(decision: Decision) -> dict[str, Any]:
    holding = decision.holding
    return {
        "id": decision.pk,
        "holding": holding.pk,
        "system": holding.system.name,
        "category": holding.category.key,
        "subject_jurisdiction": holding.jurisdiction,
        "status": decision.status,
        "disposition": decision.effective_disposition,
        "retain_until": decision.effective_retain_until,
        "basis": in_english(decision.basis_reasons),  # records are written in English
        "override_reason": decision.override_reason,
        "citations": decision.citations,
        "keep_fields": list(decision.keep_fields),
        "drop_fields": list(decision.drop_fields),
    }


def _check_can_archive(by: Membership, decision: Decision) -> list[CustodianKey]:
    roles.require(by, "destruction.archive.manage")
    if decision.winddown_id != by.winddown_id:
        raise ValidationError(_("The decision belongs to another wind-down."))
    if not is_effective_archive_decision(decision):
        raise ValidationError(
            _(
                "Only an effective archive decision (approved, or overridden and second-approved) "
                "can be archived; this one is %(status)s / %(disposition)s."
            )
            % {"status": decision.get_status_display(), "disposition": decision.disposition}
        )
    keys = list(custodian_keys_of(by.winddown, active_only=True))
    if not keys:
        raise ValidationError(
            _("Register at least one custodian's public key first: no one could open the archive.")
        )
    return keys


def archive_create(
    *, by: Membership, decision: Decision, upload: BinaryIO, filename: str
) -> Archive:
    """Apply the decision's field plan to an export while encrypting it; store the archive.

    Refused uploads (unknown columns, bad encoding, short rows) store nothing and change
    nothing; the error names the row and column.
    """
    keys = _check_can_archive(by, decision)
    winddown = by.winddown
    recipients = [{"custodian": k.custodian_name, "recipient": k.recipient} for k in keys]
    name = f"archives/{winddown.slug}/{uuid.uuid4().hex}/archive.age"
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as ciphertext:
        sealed = encrypt_export(
            source=upload,
            filename=filename,
            keep_fields=list(decision.keep_fields),
            drop_fields=list(decision.drop_fields),
            recipients=[k.recipient for k in keys],
            out=ciphertext,
            label=f"wind-down {winddown.slug}, decision {decision.pk}",
        )
        ciphertext.seek(0)
        stored_name = default_storage.save(name, File(ciphertext, name="archive.age"))
    try:
        return _archive_record(by, decision, sealed, stored_name, recipients, filename)
    except BaseException:
        default_storage.delete(stored_name)
        raise


@transaction.atomic
def _archive_record(
    by: Membership,
    decision: Decision,
    sealed: Sealed,
    stored_name: str,
    recipients: list[dict],
    filename: str,
) -> Archive:
    now = timezone.now()
    winddown = by.winddown
    decision = (
        Decision.objects.with_effective()
        .select_related("holding__system", "holding__category")
        .get(pk=decision.pk)
    )
    if not is_effective_archive_decision(decision):  # changed while the file streamed
        raise ValidationError(_("The decision changed while the export was encrypted."))
    archive = Archive(
        winddown=winddown,
        decision=decision,
        reference=_next_reference(winddown.pk, now.year),
        status=Archive.Status.ENCRYPTED,
        retain_until=decision.effective_retain_until,
        source_name=Path(filename).name[:255],
        source_sha256=sealed.source_sha256,
        row_count=sealed.rows,
        columns_kept=sealed.plan.kept,
        columns_dropped=sealed.plan.dropped,
        plaintext_sha256=sealed.plaintext_sha256,
        plaintext_size=sealed.plaintext_size,
        ciphertext_sha256=sealed.ciphertext_sha256,
        ciphertext_size=sealed.ciphertext_size,
        ciphertext_name=stored_name,
        archive_public_key=sealed.public_key,
        recipients=recipients,
        created_by=by.user,
        created_at=now,
    )
    archive.manifest = {
        "format": MANIFEST_FORMAT,
        "reference": archive.reference,
        "winddown": {"slug": winddown.slug, "company": winddown.company_legal_name},
        "created_at": now.isoformat(),
        "created_by": by.user.email,
        "retain_until": archive.retain_until.isoformat() if archive.retain_until else None,
        "decision": json.loads(json.dumps(_decision_summary(decision), default=str)),
        "source": {
            "name": archive.source_name,
            "format": sealed.source_format,
            "sha256": sealed.source_sha256,
        },
        "plaintext": {
            "format": "text/csv; charset=utf-8 (RFC 4180)",
            "cells": CELLS_NOTE,
            "rows": sealed.rows,
            "columns_kept": sealed.plan.kept,
            "columns_dropped": sealed.plan.dropped,
            "sha256": sealed.plaintext_sha256,
            "size": sealed.plaintext_size,
        },
        "ciphertext": {
            "file": "archive.age",
            "format": "age-encryption.org/v1",
            "sha256": sealed.ciphertext_sha256,
            "size": sealed.ciphertext_size,
            "archive_public_key": sealed.public_key,
        },
        "envelope": {
            "file": "envelope.age",
            "format": "age-encryption.org/v1",
            "sha256": sealed.envelope_sha256,
            "recipients": recipients,
        },
    }
    archive.full_clean()
    archive.save()
    envelope = ArchiveKeyEnvelope.objects.create(
        archive=archive,
        envelope=sealed.envelope,
        recipients=[r["recipient"] for r in recipients],
        sha256=sealed.envelope_sha256,
        created_at=now,
    )
    audit_record(
        winddown=winddown,
        actor=by.user,
        action="destruction.archive_created",
        obj=archive,
        payload={
            "reference": archive.reference,
            "decision": decision.pk,
            "rows": archive.row_count,
            "columns_kept": archive.columns_kept,
            "columns_dropped": archive.columns_dropped,
            "plaintext_sha256": archive.plaintext_sha256,
            "ciphertext_sha256": archive.ciphertext_sha256,
            "envelope": envelope.pk,
            "recipients": [r["recipient"] for r in recipients],
            "retain_until": archive.retain_until,
        },
    )
    receipts_check_later(winddown.pk)  # the last archive may complete a jurisdiction
    return archive
