"""Archives: custodian keys, making an encrypted archive, verifying, exporting, crypto-shredding.

An archive is made in one pass over the uploaded export (see `archive_crypto`): the field plan
is applied and the CSV is encrypted as it streams; only ciphertext touches the disk. The
archive's own identity exists in memory only, until it is sealed in the key envelope.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

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
from destruction.selectors.archives import (
    OPEN_STATUSES,
    archives_due_for_shredding,
    custodian_keys_of,
    held_holding_ids,
    is_effective_archive_decision,
)
from destruction.services.archive_crypto.encrypting import Sealed, decrypt_to, encrypt_export
from destruction.services.archive_crypto.keys import parse_recipient
from destruction.services.receipts import receipts_check_later
from windown import roles
from windown.audit import audit_record
from windown.models import Membership, WindDown

if TYPE_CHECKING:  # the job model lives in the jobs branch; only its pk and reference are read
    from django.db.models import Model as DestructionJob

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_FORMAT = "windown-archive/2"  # 2: formula-neutralised cells (plaintext.cells)
# What a reader of the plaintext must know to restore every value exactly (the record is kept
# whole: the prefix is reversible). Checked by destruction/tests/test_archive_formulas.py.
CELLS_NOTE = (
    "formula-neutralised: a cell whose text, after any leading apostrophes, starts with "
    "= + - @ TAB or CR has one apostrophe prepended (windown.spreadsheets.neutralise); "
    "removing that one apostrophe (windown.spreadsheets.unneutralise) restores the value exactly"
)


# ------------------------------------------------------------------------------ custodian keys
@transaction.atomic
def custodian_key_register(
    *, by: Membership, custodian_name: str, recipient: str, custodian_email: str = ""
) -> CustodianKey:
    """Register a custodian's age public key; a private key pasted by mistake is refused."""
    roles.require(by, "destruction.custodian_key.manage")
    parsed = str(parse_recipient(recipient))
    if CustodianKey.objects.filter(winddown=by.winddown, recipient=parsed).exists():
        raise ValidationError({"recipient": _("This public key is registered already.")})
    key = CustodianKey(
        winddown=by.winddown,
        custodian_name=custodian_name.strip(),
        custodian_email=custodian_email.strip(),
        recipient=parsed,
        registered_by=by.user,
        registered_at=timezone.now(),
    )
    key.full_clean()
    key.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.custodian_key_registered",
        obj=key,
        payload={"custodian": key.custodian_name, "recipient": key.recipient},
    )
    return key


@transaction.atomic
def custodian_key_retire(*, by: Membership, key: CustodianKey, reason: str) -> CustodianKey:
    """Stop encrypting new archives to a key (existing envelopes keep naming it)."""
    roles.require(by, "destruction.custodian_key.manage")
    key = CustodianKey.objects.select_for_update().get(pk=key.pk, winddown=by.winddown)
    if not key.is_active:
        raise ValidationError(_("This key is retired already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the key is retired.")})
    key.retired_by, key.retired_at, key.retire_reason = by.user, timezone.now(), reason.strip()
    key.full_clean()
    key.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.custodian_key_retired",
        obj=key,
        payload={"recipient": key.recipient, "reason": key.retire_reason},
    )
    return key


# ------------------------------------------------------------------------------------ creating
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


# ---------------------------------------------------------------------------------- verifying
@transaction.atomic
def archive_verify(
    *,
    by: Membership,
    archive: Archive,
    plaintext_sha256: str,
    custodian_name: str,
    method: str = Archive.Verification.SHA256,
) -> Archive:
    """Record the custodian's read-back: the SHA-256 they got must equal the manifest's."""
    roles.require(by, "destruction.archive.verify")
    archive = Archive.objects.select_for_update().get(pk=archive.pk, winddown=by.winddown)
    if archive.status != Archive.Status.ENCRYPTED:
        raise ValidationError(
            _("Only an encrypted, unverified archive can be verified; this one is %s.")
            % archive.get_status_display()
        )
    digest = plaintext_sha256.strip().lower()
    if not SHA256_RE.match(digest):
        raise ValidationError({"plaintext_sha256": _("A SHA-256 is 64 hexadecimal characters.")})
    if digest != archive.plaintext_sha256:
        raise ValidationError(
            {
                "plaintext_sha256": _(
                    "This SHA-256 does not match the manifest's: the custodian did not read back "
                    "the archived file. Nothing was recorded."
                )
            }
        )
    if not custodian_name.strip():
        raise ValidationError({"custodian_name": _("Name the custodian who read it back.")})
    archive.status = Archive.Status.VERIFIED
    archive.verified_at, archive.verified_by = timezone.now(), by.user
    archive.verified_custodian = custodian_name.strip()
    archive.verification_method = method
    archive.full_clean()
    archive.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.archive_verified",
        obj=archive,
        payload={
            "reference": archive.reference,
            "custodian": archive.verified_custodian,
            "method": method,
            "plaintext_sha256": digest,
        },
    )
    return archive


# ------------------------------------------------------------------------- reading it back
def _envelope_of(archive: Archive) -> ArchiveKeyEnvelope:
    if archive.is_shredded:
        raise ValidationError(
            _("Archive %(ref)s was crypto-shredded on %(when)s: its key no longer exists.")
            % {"ref": archive.reference, "when": archive.shredded_at.date().isoformat()}
        )
    envelope = archive.envelopes.order_by("-created_at").first()
    if envelope is None:
        raise ValidationError(_("Archive %s has no key envelope.") % archive.reference)
    return envelope


def archive_decrypt(
    *,
    archive: Archive,
    custodian_identity: str,
    out: BinaryIO,
    by: Membership | None = None,
    actor_label: str = "",
) -> dict:
    """Decrypt an archive with a custodian's identity into `out`; compare with the manifest.

    Raises if the ciphertext changed, the identity is not a recipient, or the result's hash
    differs from the manifest. A successful read-back is audited.
    """
    envelope = _envelope_of(archive)
    with default_storage.open(archive.ciphertext_name, "rb") as ciphertext:
        digest, size = decrypt_to(
            ciphertext=ciphertext,
            envelope=bytes(envelope.envelope),
            custodian_identity=custodian_identity,
            out=out,
        )
    if digest != archive.plaintext_sha256:
        raise ValidationError(
            _("The decrypted file's SHA-256 %(got)s differs from the manifest's %(want)s.")
            % {"got": digest, "want": archive.plaintext_sha256}
        )
    audit_record(
        winddown=archive.winddown,
        actor=by.user if by else None,
        actor_label=(by.user.email if by else actor_label) or None,
        action="destruction.archive_decrypted",
        obj=archive,
        payload={"reference": archive.reference, "sha256": digest, "where": actor_label},
    )
    return {"sha256": digest, "size": size, "rows": archive.row_count}


@transaction.atomic
def archive_export(*, by: Membership, archive: Archive, directory: Path) -> list[Path]:
    """Write archive.age, envelope.age and manifest.json to `directory`; record the copy.

    An exported envelope is a key copy windown cannot reach later: it is recorded on the
    archive (who, when, where) so a crypto-shred lists it as a location to destroy by hand.
    """
    roles.require(by, "destruction.archive.manage")
    archive = Archive.objects.select_for_update().get(pk=archive.pk, winddown=by.winddown)
    envelope = _envelope_of(archive)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "archive.age", directory / "envelope.age", directory / "manifest.json"]
    with default_storage.open(archive.ciphertext_name, "rb") as source, paths[0].open("wb") as out:
        while chunk := source.read(1 << 20):
            out.write(chunk)
    paths[1].write_bytes(bytes(envelope.envelope))
    paths[2].write_text(json.dumps(archive.manifest, indent=2, ensure_ascii=False) + "\n")
    copy = {
        "at": timezone.now().isoformat(),
        "by": by.user.email,
        "host": socket.gethostname(),
        "directory": str(directory.resolve()),
    }
    archive.exports = [*archive.exports, copy]
    archive.save(update_fields=["exports"])
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.archive_exported",
        obj=archive,
        payload={"reference": archive.reference, **copy},
    )
    return paths


# ------------------------------------------------------------------------------ crypto-shred
def backup_retention_days() -> int:
    return settings.WINDOWN_BACKUP_RETENTION_DAYS


@transaction.atomic
def archive_crypto_shred(
    *, by: Membership, archive: Archive, job: DestructionJob | None
) -> dict[str, Any]:
    """Crypto-erase an archive: delete every key envelope and the ciphertext; return the record.

    The record lists every place the key was known to be (the database row, exported copies,
    the custodians' recipients) and says plainly that database backups taken before the shred
    still hold the envelope until the declared backup retention has passed.
    """
    roles.require(by, "destruction.perform")
    archive = Archive.objects.select_for_update().get(pk=archive.pk, winddown=by.winddown)
    if archive.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Archive %(ref)s cannot be shredded: it is %(status)s.")
            % {"ref": archive.reference, "status": archive.get_status_display()}
        )
    today = timezone.localdate()
    if archive.retain_until and archive.retain_until >= today:
        raise ValidationError(
            _("Archive %(ref)s must be kept until %(date)s.")
            % {"ref": archive.reference, "date": archive.retain_until.isoformat()}
        )
    if archive.decision.holding_id in held_holding_ids(archive.winddown_id):
        raise ValidationError(
            _("A legal hold covers archive %s: nothing in its scope may be destroyed.")
            % archive.reference
        )
    now = timezone.now()
    retention = backup_retention_days()
    backups_until = now.date() + dt.timedelta(days=retention)
    envelopes = list(archive.envelopes.all())
    locations: list[dict[str, Any]] = [
        {
            "location": "database",
            "what": "key envelope",
            "table": ArchiveKeyEnvelope._meta.db_table,
            "row": envelope.pk,
            "sha256": envelope.sha256,
            "action": "deleted",
        }
        for envelope in envelopes
    ]
    existed = default_storage.exists(archive.ciphertext_name)
    default_storage.delete(archive.ciphertext_name)
    locations.append(
        {
            "location": "storage",
            "what": "ciphertext",
            "object": archive.ciphertext_name,
            "sha256": archive.ciphertext_sha256,
            "action": "deleted" if existed else "already absent",
        }
    )
    locations.extend(
        {
            "location": "exported copy",
            "what": "archive.age, envelope.age, manifest.json",
            "directory": copy["directory"],
            "host": copy["host"],
            "exported_by": copy["by"],
            "exported_at": copy["at"],
            "action": "outside windown's reach: must be destroyed by whoever holds it",
        }
        for copy in archive.exports
    )
    locations.extend(
        {
            "location": "custodian",
            "what": "private key able to open the envelope",
            "custodian": recipient["custodian"],
            "recipient": recipient["recipient"],
            "action": (
                "kept by the custodian; with every envelope gone it opens nothing of this "
                "archive, unless the custodian saved the decrypted archive key"
            ),
        }
        for recipient in archive.recipients
    )
    locations.append(
        {
            "location": "database files",
            "what": "deleted envelope row versions",
            "action": (
                "the database reclaims them at its next vacuum; its write-ahead log archives "
                "count as backups"
            ),
        }
    )
    locations.append(
        {
            "location": "database backups",
            "what": "key envelope",
            "action": "not reachable by windown",
            "until": backups_until.isoformat(),
        }
    )
    record = {
        "technique": "crypto_erase",
        "archive": archive.reference,
        "job": getattr(job, "reference", None),
        "job_id": getattr(job, "pk", None),
        "shredded_at": now.isoformat(),
        "shredded_by": by.user.email,
        "key_locations": locations,
        "backup_retention_days": retention,
        "backups_hold_envelope_until": backups_until.isoformat(),
        "statement": _(
            "The key envelope(s) and the ciphertext were deleted from windown's database and "
            "storage. Database backups made before %(when)s still hold the envelope until "
            "%(until)s (the declared backup retention of %(days)s days); until then a restored "
            "backup together with a copy of the ciphertext and a custodian's private key could "
            "read the archive."
        )
        % {"when": now.date().isoformat(), "until": backups_until.isoformat(), "days": retention},
    }
    ArchiveKeyEnvelope.objects.filter(archive=archive).delete()
    archive.status = Archive.Status.SHREDDED
    archive.shredded_at, archive.shredded_by = now, by.user
    archive.backups_hold_envelope_until = backups_until
    archive.shred_record = record
    archive.full_clean()
    archive.save()
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.archive_crypto_shredded",
        obj=archive,
        payload=record,
    )
    return record


# ------------------------------------------------------------------------ due for shredding
def archives_notice_due(*, today: dt.date | None = None) -> list[int]:
    """Stamp and audit archives that became due for shredding (from Celery beat); return ids."""
    noticed = []
    winddowns = WindDown.objects.filter(
        archives__status__in=OPEN_STATUSES, archives__retain_until__lt=today or timezone.localdate()
    ).distinct()
    for winddown in winddowns:
        for archive in archives_due_for_shredding(winddown, today=today):
            noticed.append(archive.pk)
            with transaction.atomic():
                now = timezone.now()
                first = Archive.objects.filter(pk=archive.pk, due_noticed_at__isnull=True).update(
                    due_noticed_at=now
                )
                if first:
                    audit_record(
                        winddown=winddown,
                        actor=None,
                        action="destruction.archive_due_for_shredding",
                        obj=archive,
                        payload={
                            "reference": archive.reference,
                            "retain_until": archive.retain_until,
                        },
                    )
    return noticed
