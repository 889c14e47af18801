"""An issued certificate, its bytes, and one-byte-changed copies (for the verification tests)."""

from __future__ import annotations

__all__ = ["issued", "one_byte_changed", "pdf_of"]

import pytest

from destruction.services.certificates import certificate_issue
from destruction.tests.factories_certificates import verified_job
from windown.roles import Role


@pytest.fixture
def issued(signing_ca, winddown, member, director):
    """A certificate issued by the director for a verified logical deletion."""
    job = verified_job(winddown, it=member(Role.IT), legal=member(Role.LEGAL))
    return certificate_issue(job=job, actor=director)


def pdf_of(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def one_byte_changed(pdf: bytes, where: str) -> bytes:
    """Change one byte: of the signed content, the signature, the validation data, the end."""
    data = bytearray(pdf)
    if where == "content":
        position = pdf.index(b"/Producer")  # the signed metadata
        data[position + 2] ^= 0x20
    elif where == "signature":
        start = pdf.index(b"/Contents <") + len(b"/Contents <") + 40
        data[start] = ord("0") if data[start] != ord("0") else ord("1")
    elif where == "validation data":  # a certificate copied into the DSS, outside the signature
        position = pdf.rindex(b"stream\n0\x82") + len(b"stream\n") + 20
        data[position] ^= 0x01
    elif where == "end":
        data[-1] ^= 0x01
    return bytes(data)
