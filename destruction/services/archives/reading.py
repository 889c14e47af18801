"""Reading an archive back: the custodian's verification, decrypting, exporting a copy.

A decrypted archive is compared with its manifest; an exported copy of the key envelope is
recorded so a later crypto-shred lists it as a place to destroy by hand.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from destruction.models import Archive, ArchiveKeyEnvelope
from destruction.services.archive_crypto.encrypting import decrypt_to
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


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
