"""The verification bundle: everything needed to check a certificate later, without windown.

A zip with one folder named after the serial: the PDF, record.json, root.pem, signing.pem,
checkpoint.txt, inclusion-proof.json, verify.py (pyHanko only), VERIFY.txt (the exact
commands: sha256sum, pyHanko's CLI, pdfsig with an NSS database, verify.py) and SHA256SUMS.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from destruction.models import Certificate
from windown import signing
from windown.audit import audit_record
from windown.models import Membership
from windown.roles import require

KIT = Path(__file__).resolve().parent.parent / "verification_kit"
RECORD, CHECKPOINT, PROOF, ROOT, SIGNER, SUMS = (
    "record.json",
    "checkpoint.txt",
    "inclusion-proof.json",
    "root.pem",
    "signing.pem",
    "SHA256SUMS",
)


def bundle_filename(certificate: Certificate) -> str:
    return f"{certificate.serial}-verification-bundle.zip"


def proof_json(proof: dict) -> bytes:
    return json.dumps(proof, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"


def _files(certificate: Certificate) -> dict[str, bytes]:
    from destruction.services.certificates import record_json

    pdf_name = f"{certificate.serial}.pdf"
    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()
    record = certificate.record
    verify_url = settings.SITE_URL + reverse("verify:serial", args=[certificate.serial])
    guide = (KIT / "VERIFY.txt").read_text(encoding="utf-8")
    files = {
        pdf_name: pdf,
        RECORD: record_json(certificate),
        ROOT: signing.root_certificate_pem(),
        SIGNER: (signing.signing_files().cert).read_bytes(),
        CHECKPOINT: record["checkpoint"].encode(),
        PROOF: proof_json(record["inclusion_proof"]),
        "verify.py": (KIT / "verify.py").read_bytes(),
        "VERIFY.txt": guide.format(
            serial=certificate.serial,
            pdf=pdf_name,
            fingerprint=signing.root_fingerprint(),
            verify_url=verify_url,
        ).encode(),
    }
    files[SUMS] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items()
    ).encode()
    return files


def verification_bundle(certificate: Certificate) -> bytes:
    """Return the certificate's verification bundle (a zip with one folder)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _files(certificate).items():
            archive.writestr(f"{certificate.serial}/{name}", data)
    return buffer.getvalue()


def certificate_bundle_download(*, certificate: Certificate, actor: Membership) -> bytes:
    """Build the bundle for a member and record the download in the audit trail."""
    require(actor, "destruction.certificate.download")
    if actor.winddown_id != certificate.winddown_id:
        raise PermissionDenied("This certificate belongs to another wind-down.")
    bundle = verification_bundle(certificate)
    with transaction.atomic():
        audit_record(
            winddown=certificate.winddown,
            actor=actor.user,
            action="destruction.certificate_bundle_downloaded",
            obj=certificate,
            payload={"serial": certificate.serial, "sha256": hashlib.sha256(bundle).hexdigest()},
        )
    return bundle


def bundle_mismatches(bundle_dir: Path, *, record: bytes, pdf_sha256: str) -> list[str]:
    """Say which of the bundle's loose files differ from the signed PDF's record, if any."""
    problems = []
    try:
        sums = (bundle_dir / SUMS).read_text(encoding="utf-8").split()
        if pdf_sha256 not in sums[::2]:
            problems.append(_("This PDF is not the one listed in the bundle's SHA256SUMS."))
        if (bundle_dir / RECORD).read_bytes() != record:
            problems.append(_("record.json is not the record embedded in the PDF."))
            return problems
        embedded = json.loads(record)
        if (bundle_dir / CHECKPOINT).read_text(encoding="utf-8") != embedded["checkpoint"]:
            problems.append(_("checkpoint.txt is not the checkpoint embedded in the PDF."))
        proof = json.loads((bundle_dir / PROOF).read_text(encoding="utf-8"))
        if proof != embedded["inclusion_proof"]:
            problems.append(_("inclusion-proof.json is not the proof embedded in the PDF."))
    except (OSError, ValueError, KeyError) as missing:
        problems.append(_("The bundle is incomplete: %(why)s") % {"why": missing})
    return problems
