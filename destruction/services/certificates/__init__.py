"""Destruction certificates: the record, the signed PDF/A-3b, issuing, revoking, re-issuing."""

from destruction.services.certificates.downloads import certificate_download
from destruction.services.certificates.issue import (
    certificate_delete,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from destruction.services.certificates.record import record_json as _record_bytes


def record_json(certificate) -> bytes:
    """Return the certificate's canonical record.json (the bytes embedded in its PDF)."""
    return _record_bytes(certificate.record)


__all__ = [
    "certificate_delete",
    "certificate_download",
    "certificate_issue",
    "certificate_reissue",
    "certificate_revoke",
    "record_json",
]
