"""Create the installation's local root CA, its signing certificate and a CRL (init_signing_ca).

RSA 3072 with SHA-256 throughout: pyHanko raises a PDF's version to 2.0 when it signs with ECDSA
or EdDSA, which breaks PDF/A-3. The signing certificate carries digitalSignature and
nonRepudiation (pyHanko's default requirement for document signatures) and no extended key
usage, OCSP or CRL URL: nothing a verifier would try to fetch over the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from windown.signing import CERT_FILE, CRL_FILE, KEY_FILE, ROOT_FILE, ROOT_KEY_FILE

KEY_SIZE = 3072
ROOT_YEARS, SIGNING_YEARS, CRL_DAYS = 30, 15, 365
FILES = (ROOT_FILE, ROOT_KEY_FILE, CERT_FILE, KEY_FILE, CRL_FILE)


class SigningMaterialExists(Exception):
    """The directory already holds signing material and replacing it was not asked for."""


@dataclass(frozen=True)
class LocalCA:
    directory: Path
    root: x509.Certificate
    signing: x509.Certificate


def _name(organization: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    """Write a file; private keys are created with mode 0600 (never readable by others)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _pem_key(key: rsa.RSAPrivateKey, passphrase: bytes | None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def _crl(
    *, root: x509.Certificate, root_key: rsa.RSAPrivateKey, now: datetime
) -> x509.CertificateRevocationList:
    """Build an empty CRL of the root (no certificate revoked), valid for CRL_DAYS."""
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(now)
        .next_update(now + timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )


def local_ca_create(
    *,
    directory: Path,
    organization: str,
    force: bool = False,
    passphrase: bytes | None = None,
) -> LocalCA:
    """Create root CA, signing certificate and CRL in `directory`; replace them only if `force`."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = [name for name in FILES if (directory / name).exists()]
    if existing and not force:
        raise SigningMaterialExists(", ".join(existing))
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(hours=1)  # tolerate verifiers whose clock is a little behind

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    root_name = _name(organization, f"{organization} windown root CA")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    signing = (
        x509.CertificateBuilder()
        .subject_name(_name(organization, f"{organization} windown document signing"))
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * SIGNING_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    crl = _crl(root=root, root_key=root_key, now=now)

    pem = serialization.Encoding.PEM
    _write(directory / ROOT_KEY_FILE, _pem_key(root_key, passphrase), secret=True)
    _write(directory / KEY_FILE, _pem_key(key, passphrase), secret=True)
    _write(directory / ROOT_FILE, root.public_bytes(pem), secret=False)
    _write(directory / CERT_FILE, signing.public_bytes(pem), secret=False)
    _write(directory / CRL_FILE, crl.public_bytes(serialization.Encoding.DER), secret=False)
    return LocalCA(directory=directory, root=root, signing=signing)
