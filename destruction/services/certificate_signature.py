"""Check a certificate PDF's PAdES signature against a root, and read its embedded record.json.

No database here: the verification page, `verify_certificate --bundle` and the bundle's own
tests all start from a PDF's bytes and a root certificate (PEM).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from cryptography import x509
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RECORD_NAME = "record.json"


@dataclass(frozen=True)
class Check:
    """One line of a verification: `ok` is None when the check was skipped (and says why)."""

    name: str
    ok: bool | None
    reason: str


@dataclass
class SignatureResult:
    checks: list[Check] = field(default_factory=list)
    signer: x509.Certificate | None = None  # the signing certificate, once it chains to the root
    record: bytes | None = None  # record.json as embedded in the PDF
    signed_at: str = ""  # the signing time the signer claims (ISO 8601)


def _embedded_files(reader) -> dict[str, bytes]:
    """Return the PDF's attached files by name (the catalog's EmbeddedFiles name tree)."""
    files: dict[str, bytes] = {}
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return files
    pending = [tree]
    while pending:  # a name tree: leaves carry /Names [name, filespec, ...], nodes /Kids
        node = pending.pop().get_object()
        pending.extend(node.get("/Kids", []))
        names = list(node.get("/Names", []))
        for name, spec in zip(names[::2], names[1::2], strict=False):
            spec = spec.get_object()
            stream = spec.get("/EF", {}).get("/F")
            if stream is not None:
                files[str(spec.get("/UF", name))] = stream.get_object().data
    return files


def _coverage_check(status, pdf: bytes) -> Check:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    if not pdf.rstrip(b"\r\n").endswith(b"%%EOF"):
        # Bytes after the last revision are no revision pyHanko would look at: still a change.
        return Check("unmodified", False, _("Bytes were added after the end of the signed file."))
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Check("unmodified", True, _("The signature covers the whole file."))
    added_only_validation_data = status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and (
        status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    )
    if added_only_validation_data and status.docmdp_ok is not False:
        return Check(
            "unmodified",
            True,
            _("Nothing was changed after signing; only validation data (PAdES-LT) was added."),
        )
    return Check(
        "unmodified",
        False,
        _("The file was changed after it was signed (%(what)s).")
        % {"what": getattr(status.modification_level, "name", "unknown").lower()},
    )


def _not_readable(reason: str) -> SignatureResult:
    return SignatureResult(
        checks=[
            Check("signature", False, reason),
            Check("chain", False, _("No signature could be checked.")),
            Check("unmodified", False, _("No signature could be checked.")),
        ]
    )


def signature_verify(pdf: bytes, *, root_pem: bytes) -> SignatureResult:
    """Validate the PDF's one signature against `root_pem`; return the checks and the record."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # heavy: loaded where it is used
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_regular_signatures
    except Exception as broken:  # an uploaded file may break the parser anywhere: say so, red
        logger.info("Unreadable PDF uploaded for verification: %r", broken)
        return _not_readable(_("This is not a readable PDF file."))
    if len(signatures) != 1:
        return _not_readable(
            _("Expected exactly one signature; the file has %(count)s.")
            % {"count": len(signatures)}
        )
    root = load_certificate(root_pem)
    context = {"trust_roots": [root], "allow_fetching": False}
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        validation_context = dss.as_validation_context(context)
    except Exception:  # no (readable) DSS: validate with the root alone
        from pyhanko_certvalidator import ValidationContext

        validation_context = ValidationContext(**context)
    try:
        status = validate_pdf_signature(signatures[0], validation_context)
    except Exception as broken:  # any failure to validate is a red line that says why
        logger.info("Signature validation failed: %r", broken)
        return _not_readable(_("The signature could not be validated: %(why)s") % {"why": broken})

    result = SignatureResult()
    try:  # read even from a broken signature: it names the serial the file claims to be
        result.record = _embedded_files(reader).get(RECORD_NAME)
    except Exception:  # a broken attachment is no record
        result.record = None
    root_name = x509.load_der_x509_certificate(root.dump()).subject.rfc4514_string()
    if not (status.intact and status.valid):
        why = (
            _("The digest does not match: the signed content was changed after signing.")
            if not status.intact
            else _("The signature value does not verify with its key.")
        )
        not_checked = _("Not checked: the signature itself does not verify.")
        result.checks += [
            Check("signature", False, why),
            Check("chain", False, not_checked),
            Check("unmodified", False, _("The signed bytes were changed.")),
        ]
        return result
    result.checks.append(
        Check("signature", True, _("The signature matches the signed bytes and key."))
    )
    if status.trusted and not status.revoked:
        signer = x509.load_der_x509_certificate(status.signing_cert.dump())
        result.signer = signer
        result.checks.append(
            Check(
                "chain",
                True,
                _("Signed by %(subject)s, whose certificate chains to the root %(root)s.")
                % {"subject": signer.subject.rfc4514_string(), "root": root_name},
            )
        )
    elif status.revoked:
        result.checks.append(Check("chain", False, _("The signing certificate was revoked.")))
    else:
        result.checks.append(
            Check(
                "chain",
                False,
                _("The signing certificate does not chain to the root %(root)s.")
                % {"root": root_name},
            )
        )
    result.checks.append(_coverage_check(status, pdf))
    if status.signer_reported_dt:
        result.signed_at = status.signer_reported_dt.isoformat()
    return result


def load_certificate(pem: bytes):
    """Return the asn1crypto certificate of a PEM or DER certificate given as bytes."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    if asn1_pem.detect(pem):
        _type, _headers, pem = asn1_pem.unarmor(pem)
    return asn1_x509.Certificate.load(pem)
