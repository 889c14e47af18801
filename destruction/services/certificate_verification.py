"""Verify a destruction certificate: its signature, its record, its revocation, its log entry.

Online (the verification page, `verify_certificate FILE.pdf`) the root is this installation's
and the record, the revocation and the audit log are read from the database. Offline
(`verify_certificate FILE.pdf --bundle DIR`) nothing is read from the database: the root comes
from the bundle, and the checkpoint's signature is checked with the key that signed the PDF
(whose certificate chains to that root); the record and revocation checks are skipped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from destruction.services.certificate_signature import Check, signature_verify
from windown import merkle, signing
from windown.checkpoints import kept_checkpoint_verify, log_origin, note_parse, note_verify
from windown.checkpoints.notes import Note

if TYPE_CHECKING:
    from destruction.models import Certificate

# Each check's title, in the order the page and the command show them.
TITLES = {
    "signature": gettext_lazy("Signature cryptographically valid"),
    "chain": gettext_lazy("Signed by this installation's certificate chain"),
    "unmodified": gettext_lazy("Document unmodified since signing"),
    "record": gettext_lazy("Embedded record identical to windown's record of this serial"),
    "revocation": gettext_lazy("Not revoked"),
    "inclusion": gettext_lazy("Inclusion proof valid against a checkpoint of this installation"),
    "bundle": gettext_lazy("The bundle's files match the certificate"),
}


@dataclass
class VerificationReport:
    sha256: str
    checks: list[Check] = field(default_factory=list)
    serial: str = ""
    certificate: Certificate | None = None
    offline: bool = False

    @property
    def ok(self) -> bool:
        """Green: no check failed and the signature was checked."""
        return bool(self.checks) and all(check.ok is not False for check in self.checks)

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.checks if check.ok is False]

    @property
    def lines(self) -> list[tuple[str, Check]]:
        """Return (title, check) for each check, in the order of TITLES."""
        order = list(TITLES)
        ranked = sorted(self.checks, key=lambda check: order.index(check.name))
        return [(str(TITLES[check.name]), check) for check in ranked]


def _skipped(name: str) -> Check:
    return Check(name, None, _("Skipped offline: only windown's database knows this."))


def _parse_record(raw: bytes | None) -> dict | None:
    try:
        record = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) else None


def _signed_by(certificate: x509.Certificate):
    """Return a note check that accepts signatures by `certificate`'s key."""

    def verify(note: Note) -> bool:
        key = signing.key_id(certificate)
        return any(
            blob[:4] == key and signing.verify_bytes(note.body, blob[4:], certificate)
            for blob in note.signatures.values()
        )

    return verify


def inclusion_check(record: dict, *, note_check, origin: str | None = None) -> Check:
    """Check the record's inclusion proof against its checkpoint, and that checkpoint's signer."""
    proof = record.get("inclusion_proof") or {}
    try:
        note = note_parse(record.get("checkpoint") or "")
        seq, index, size = proof["event_seq"], proof["leaf_index"], proof["tree_size"]
        leaf = merkle.leaf_hash(bytes.fromhex(proof["event_hash"]))
        path = [bytes.fromhex(h) for h in proof["hashes"]]
    except (ValueError, KeyError, TypeError) as malformed:
        return Check(
            "inclusion",
            False,
            _("The record's checkpoint or proof is malformed: %(why)s") % {"why": malformed},
        )
    if not note_check(note):
        return Check(
            "inclusion", False, _("The checkpoint is not signed by this installation's key.")
        )
    if origin is not None and note.origin != origin:
        return Check(
            "inclusion",
            False,
            _("The checkpoint is of the log %(origin)s, not this wind-down's.")
            % {"origin": note.origin},
        )
    if (
        index != seq - 1
        or size != note.tree_size
        or not merkle.verify_inclusion(
            index=index, size=size, leaf=leaf, path=path, root_hash=note.root_hash
        )
    ):
        return Check(
            "inclusion",
            False,
            _("The inclusion proof of event #%(seq)s does not lead to the checkpoint's root.")
            % {"seq": seq},
        )
    return Check(
        "inclusion",
        True,
        _("Event #%(seq)s is in the signed checkpoint of %(origin)s (%(size)s events, %(time)s).")
        % {
            "seq": seq,
            "origin": note.origin,
            "size": note.tree_size,
            "time": note.time.strftime("%Y-%m-%d %H:%M UTC") if note.time else "?",
        },
    )


def _log_check(certificate: Certificate, record: dict) -> Check | None:
    """Say what is wrong if the audit log no longer matches the certificate's checkpoint."""
    from windown.models import AuditEvent

    seq, proved = record["inclusion_proof"]["event_seq"], record["inclusion_proof"]["event_hash"]
    event = AuditEvent.objects.filter(winddown=certificate.winddown, seq=seq).first()
    problems = []
    if event is None:
        problems.append(_("event #%(seq)s is missing from the log") % {"seq": seq})
    elif event.hash != proved:
        problems.append(
            _("event #%(seq)s (%(action)s) no longer has the hash the certificate proves")
            % {"seq": seq, "action": event.action}
        )
    extension = kept_checkpoint_verify(text=record["checkpoint"])
    problems += extension.problems
    if not problems:
        return None
    return Check(
        "inclusion",
        False,
        _("The audit log no longer matches the certificate's checkpoint: %(problems)s.")
        % {"problems": "; ".join(problems)},
    )


def _record_check(certificate: Certificate | None, serial: str, raw: bytes, sha: str) -> Check:
    from destruction.services.certificates import record_json

    if certificate is None:
        return Check(
            "record",
            False,
            _("windown has no certificate with serial %(serial)s.") % {"serial": serial or "?"},
        )
    if raw != record_json(certificate):
        return Check(
            "record",
            False,
            _("The embedded record differs from windown's record of %(serial)s.")
            % {"serial": serial},
        )
    if sha != certificate.sha256:
        return Check(
            "record",
            False,
            _("The record matches, but this is not the very file issued as %(serial)s.")
            % {"serial": serial},
        )
    return Check(
        "record",
        True,
        _("The embedded record and the file are identical to windown's record of %(serial)s.")
        % {"serial": serial},
    )


def _revocation_check(certificate: Certificate | None) -> Check:
    if certificate is None:
        return Check("revocation", False, _("Unknown serial: no revocation status."))
    if certificate.status != certificate.Status.REVOKED:
        return Check("revocation", True, _("Not revoked."))
    replacement = getattr(certificate, "replaced_by", None)
    reason = _("Revoked on %(date)s: %(reason)s") % {
        "date": certificate.revoked_at.date().isoformat(),
        "reason": certificate.revocation_reason,
    }
    if replacement is not None:
        reason += " " + _("Replaced by %(serial)s.") % {"serial": replacement.serial}
    return Check("revocation", False, reason)


def _bundle_check(bundle_dir: Path, raw: bytes, sha: str) -> Check:
    """Check that the bundle's loose files are the ones the signed PDF carries."""
    from destruction.services.certificate_bundle import bundle_mismatches

    problems = bundle_mismatches(bundle_dir, record=raw, pdf_sha256=sha)
    if problems:
        return Check("bundle", False, "; ".join(problems))
    return Check("bundle", True, _("The bundle's files match the signed certificate."))


def certificate_verify(pdf: bytes, *, bundle_dir: Path | None = None) -> VerificationReport:
    """Run every check on a certificate PDF; offline with `bundle_dir` (no database)."""
    sha = hashlib.sha256(pdf).hexdigest()
    offline = bundle_dir is not None
    root_pem = (
        (Path(bundle_dir) / "root.pem").read_bytes() if offline else signing.root_certificate_pem()
    )
    signature = signature_verify(pdf, root_pem=root_pem)
    report = VerificationReport(sha256=sha, checks=list(signature.checks), offline=offline)
    record = _parse_record(signature.record)
    if record is None:
        missing = _("The PDF carries no readable record.json.")
        report.checks += [Check("record", False, missing), Check("inclusion", False, missing)]
        if offline:
            report.checks.append(_bundle_check(Path(bundle_dir), signature.record or b"", sha))
        return report
    report.serial = str(record.get("serial", ""))
    if offline:
        report.checks += [_skipped("record"), _skipped("revocation")]
        if signature.signer is None:
            report.checks.append(_untrusted())
        else:
            report.checks.append(inclusion_check(record, note_check=_signed_by(signature.signer)))
        report.checks.append(_bundle_check(Path(bundle_dir), signature.record, sha))
        return report
    from destruction.models import Certificate

    certificate = (
        Certificate.objects.select_related("winddown").filter(serial=report.serial).first()
    )
    report.certificate = certificate
    report.checks += [
        _record_check(certificate, report.serial, signature.record, sha),
        _revocation_check(certificate),
    ]
    report.checks.append(_online_inclusion(certificate, record, trusted=signature.signer))
    return report


def _untrusted() -> Check:
    return Check(
        "inclusion", False, _("Not checked: the record is not covered by a trusted signature.")
    )


def _online_inclusion(certificate: Certificate | None, record: dict, *, trusted) -> Check:
    if trusted is None:
        return _untrusted()
    origin = log_origin(certificate.winddown) if certificate is not None else None
    inclusion = inclusion_check(record, note_check=note_verify, origin=origin)
    if inclusion.ok and certificate is not None:
        inclusion = _log_check(certificate, record) or inclusion
    return inclusion


def certificate_verify_serial(*, serial: str, sha256: str) -> VerificationReport:
    """Verify the certificate issued as `serial`, if `sha256` is that of its PDF."""
    from destruction.models import Certificate

    serial, sha256 = serial.strip().upper(), sha256.strip().lower()
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None:
        return VerificationReport(
            sha256=sha256,
            serial=serial,
            checks=[_record_check(None, serial, b"", sha256)],
        )
    if sha256 != certificate.sha256:
        check = Check(
            "record",
            False,
            _("The SHA-256 given is not that of the PDF issued as %(serial)s.")
            % {"serial": serial},
        )
        return VerificationReport(
            sha256=sha256, serial=serial, certificate=certificate, checks=[check]
        )
    with certificate.pdf.open("rb") as handle:
        return certificate_verify(handle.read())
