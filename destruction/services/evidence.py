"""Store an uploaded file: stream it to storage while hashing it, sniff its type, name it safely.

Minimal copy for the processor requests branch; the jobs branch's module replaces it at merge
(same signature: `store_upload(*, fileobj, name, max_bytes=None) -> StoredFile`).
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),
]


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str
    content_type: str
    storage_path: str


def sniff(head: bytes) -> str:
    """Name the content type from the file's first bytes, not from its name."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def safe_name(name: str) -> str:
    """Keep the last path component only, in characters that cannot traverse paths."""
    base = PurePath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except Exception:  # Django refuses names like ".." outright
        cleaned = ""
    return cleaned.lstrip(".")[:200] or "upload"


def store_upload(*, fileobj, name: str, max_bytes: int | None = None) -> StoredFile:
    """Stream `fileobj` into storage, hashing it; refuse it beyond `max_bytes`."""
    digest, size, head = hashlib.sha256(), 0, b""
    with tempfile.TemporaryFile() as spool:
        chunks = (
            fileobj.chunks(CHUNK)
            if hasattr(fileobj, "chunks")
            else iter(lambda: fileobj.read(CHUNK), b"")
        )
        for chunk in chunks:
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise ValidationError(
                    _("The file is larger than %(limit)s bytes."),
                    params={"limit": max_bytes},
                    code="file_too_large",
                )
            if len(head) < 16:
                head += chunk[:16]
            digest.update(chunk)
            spool.write(chunk)
        spool.seek(0)
        stored_name = safe_name(name)
        path = default_storage.save(
            f"destruction/evidence/{uuid.uuid4().hex}/{stored_name}", File(spool)
        )
    return StoredFile(
        name=stored_name,
        size=size,
        sha256=digest.hexdigest(),
        content_type=sniff(head),
        storage_path=path,
    )
