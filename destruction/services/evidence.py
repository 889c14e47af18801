"""Evidence files: streamed to storage while hashed (SHA-256), sniffed, safely named, audited.

`store_upload` is the one way destruction stores an uploaded file (evidence, a vendor's
certificate copy, a processor's certificate): it reads the upload once, in chunks, hashing and
counting as it writes, so a 1 GB video never sits in memory; it refuses a file over the size
limit and types that must never be served back (HTML, scripts, executables), whatever the name
says; and it stores under a random name, keeping the uploader's name only as metadata.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from destruction.models import DestructionJob, Evidence
from windown import roles, uploads
from windown.audit import audit_record
from windown.models import Membership

CHUNK = 1024 * 1024
SNIFF_BYTES = 4096

# (magic prefix, offset, content type, extension)
SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"GIF87a", 0, "image/gif", ".gif"),
    (b"GIF89a", 0, "image/gif", ".gif"),
    (b"ftypqt", 4, "video/quicktime", ".mov"),
    (b"ftypheic", 4, "image/heic", ".heic"),
    (b"ftyp", 4, "video/mp4", ".mp4"),
    (b"\x1a\x45\xdf\xa3", 0, "video/webm", ".webm"),
    (b"PK\x03\x04", 0, "application/zip", ".zip"),
    (b"\x1f\x8b", 0, "application/gzip", ".gz"),
]
REFUSED_PREFIXES = [b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe"]
REFUSED_MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")


@dataclass(frozen=True)
class StoredFile:
    name: str  # the uploader's file name, cleaned (metadata only)
    size: int
    sha256: str
    content_type: str
    storage_path: str


def sniff(head: bytes) -> tuple[str, str]:
    """Return (content type, extension) from a file's first bytes; refuse dangerous types."""
    if any(head.startswith(prefix) for prefix in REFUSED_PREFIXES):
        raise ValidationError(
            _("Executable files and scripts are not accepted as evidence."), code="file_type"
        )
    if head[8:12] == b"AVI " and head.startswith(b"RIFF"):
        return "video/x-msvideo", ".avi"
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "image/webp", ".webp"
    for magic, offset, content_type, extension in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type, extension
    lowered = head.lstrip().lower()
    if any(lowered.startswith(marker) for marker in REFUSED_MARKUP):
        raise ValidationError(
            _("HTML, SVG and XML files are not accepted: upload a PDF instead."), code="file_type"
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # the sniffed window may end inside a multi-byte character
        if error.start < len(head) - 3:
            return "application/octet-stream", ".bin"
    if b"\x00" in head:
        return "application/octet-stream", ".bin"
    return "text/plain", ".txt"


def clean_name(name: str) -> str:
    """Return the uploader's file name without any directory part, safe to show and log."""
    base = os.path.basename((name or "").replace("\\", "/")) or "upload"
    return (get_valid_filename(base) if base.strip(". ") else "upload")[:255]


class _HashingFile(File):
    """Feed storage the upload chunk by chunk, hashing and counting what passes through.

    It has no `temporary_file_path`, so storage copies the bytes through `chunks()` instead of
    moving the temporary file unseen by the hash.
    """

    def __init__(self, source: BinaryIO, head: bytes, max_bytes: int):
        super().__init__(source)
        self.head = head
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size_read = 0

    def _account(self, chunk: bytes) -> bytes:
        self.size_read += len(chunk)
        if self.size_read > self.max_bytes:
            raise ValidationError(
                _("The file is larger than the limit of %(limit)s MiB.")
                % {"limit": uploads.mib(self.max_bytes)},
                code="file_too_large",
            )
        self.digest.update(chunk)
        return chunk

    def chunks(self, chunk_size: int | None = None):
        if self.head:
            yield self._account(self.head)
        while chunk := self.file.read(CHUNK):
            yield self._account(chunk)

    def multiple_chunks(self, chunk_size=None) -> bool:
        return True

    @property
    def size(self) -> int:  # storage backends only read it for reporting
        return self.size_read


def store_upload(
    *,
    fileobj: BinaryIO,
    name: str,
    max_bytes: int | None = None,
    directory: str = "destruction/evidence",
) -> StoredFile:
    """Stream `fileobj` into storage under a random name; return what was stored and its hash."""
    limit = max_bytes if max_bytes is not None else settings.DESTRUCTION_EVIDENCE_MAX_BYTES
    declared = getattr(fileobj, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            code="file_too_large",
        )
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    if not head:
        raise ValidationError(_("The file is empty."), code="file_empty")
    content_type, extension = sniff(head)
    path = f"{directory}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
    hashing = _HashingFile(fileobj, head, limit)
    try:
        stored_path = default_storage.save(path, hashing)
    except ValidationError:
        default_storage.delete(path)
        raise
    return StoredFile(
        name=clean_name(name),
        size=hashing.size_read,
        sha256=hashing.digest.hexdigest(),
        content_type=content_type,
        storage_path=stored_path,
    )


IMMUTABLE = (DestructionJob.Status.VERIFIED, DestructionJob.Status.CERTIFIED)
OPEN_FOR_EVIDENCE = (
    DestructionJob.Status.PLANNED,
    DestructionJob.Status.SCHEDULED,
    DestructionJob.Status.PERFORMED,
    DestructionJob.Status.FAILED,
)


def _snapshot(evidence: Evidence) -> dict:
    return {
        "job": evidence.job.reference,
        "name": evidence.original_name,
        "kind": evidence.kind,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "content_type": evidence.content_type,
        "path": evidence.file.name,
    }


def evidence_add(
    *, by: Membership, job: DestructionJob, upload: BinaryIO, kind: str, description: str = ""
) -> Evidence:
    """Store an evidence file for a job not yet verified; hash it while it streams."""
    roles.require(by, "destruction.perform")
    if job.winddown_id != by.winddown_id:
        raise ValidationError(_("This job belongs to another wind-down."))
    if job.status not in OPEN_FOR_EVIDENCE:
        raise ValidationError(
            _("Evidence cannot be added to a %(status)s job.")
            % {"status": job.get_status_display()}
        )
    stored = store_upload(fileobj=upload, name=getattr(upload, "name", "") or "upload")
    try:
        return _evidence_record(by=by, job=job, stored=stored, kind=kind, description=description)
    except Exception:
        default_storage.delete(stored.storage_path)
        raise


@transaction.atomic
def _evidence_record(*, by, job, stored: StoredFile, kind: str, description: str) -> Evidence:
    job = DestructionJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in OPEN_FOR_EVIDENCE:
        raise ValidationError(_("The job changed status while the file was uploading."))
    evidence = Evidence(
        job=job,
        kind=kind,
        file=stored.storage_path,
        original_name=stored.name,
        size=stored.size,
        sha256=stored.sha256,
        content_type=stored.content_type,
        description=description,
        uploaded_by=by.user,
        uploaded_at=timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.evidence_added",
        obj=evidence,
        payload=_snapshot(evidence),
    )
    return evidence


@transaction.atomic
def evidence_delete(*, by: Membership, evidence: Evidence, reason: str) -> None:
    """Remove an evidence file uploaded by mistake, while the job is not yet verified."""
    roles.require(by, "destruction.perform")
    job = DestructionJob.objects.select_for_update().get(pk=evidence.job_id)
    if job.status in IMMUTABLE:
        raise ValidationError(_("Evidence of a verified job cannot be changed or removed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is removed.")})
    audit_record(
        winddown=job.winddown,
        actor=by.user,
        action="destruction.evidence_removed",
        obj=evidence,
        payload={**_snapshot(evidence), "reason": reason},
    )
    path = evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: default_storage.delete(path))


def evidence_replace(*, by: Membership, evidence: Evidence, upload: BinaryIO) -> Evidence:
    """Replace an evidence file's content (only before the job is verified)."""
    roles.require(by, "destruction.perform")
    if evidence.job.status in IMMUTABLE:
        raise ValidationError(_("Evidence of a verified job cannot be changed or removed."))
    replacement = evidence_add(
        by=by, job=evidence.job, upload=upload, kind=evidence.kind, description=evidence.description
    )
    evidence_delete(by=by, evidence=evidence, reason=f"replaced by evidence {replacement.pk}")
    return replacement


@transaction.atomic
def evidence_download(*, by: Membership, evidence: Evidence):
    """Audit a download of an evidence file and return the open file."""
    roles.require(by, "destruction.view")
    if evidence.job.winddown_id != by.winddown_id:
        raise ValidationError(_("This file belongs to another wind-down."))
    audit_record(
        winddown=by.winddown,
        actor=by.user,
        action="destruction.evidence_downloaded",
        obj=evidence,
        payload={
            "job": evidence.job.reference,
            "name": evidence.original_name,
            "sha256": evidence.sha256,
        },
    )
    return default_storage.open(evidence.file.name, "rb")
