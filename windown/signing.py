"""The installation's signing key: the pyHanko signer for PDFs and raw signatures for checkpoints.

The files come from settings: by default those `init_signing_ca` wrote into WINDOWN_SIGNING_DIR
(`signing.key`, `signing.pem`, `root.pem`); WINDOWN_SIGNING_KEY/_CERT/_ROOT/_CHAIN name a company
CA's files instead. Nothing here creates a key: missing files raise ImproperlyConfigured.

Raw signatures (`sign_bytes`) are RSA PKCS#1 v1.5 with SHA-256 over the exact bytes given:
deterministic, and checkable with stock tools
(`openssl dgst -sha256 -verify signing-pubkey.pem -signature sig.bin data`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE, CERT_FILE, ROOT_FILE, ROOT_KEY_FILE, CRL_FILE = (
    "signing.key",
    "signing.pem",
    "root.pem",
    "root.key",
    "root.crl",
)


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    root: Path
    chain: tuple[Path, ...]
    passphrase: bytes | None

    @property
    def from_company_ca(self) -> bool:
        return bool(settings.WINDOWN_SIGNING_CERT)


def signing_files() -> SigningFiles:
    """Return where the signing key, its certificate, the root and any intermediates are."""
    directory = Path(settings.WINDOWN_SIGNING_DIR)
    passphrase = settings.WINDOWN_SIGNING_KEY_PASSPHRASE
    return SigningFiles(
        key=Path(settings.WINDOWN_SIGNING_KEY or directory / KEY_FILE),
        cert=Path(settings.WINDOWN_SIGNING_CERT or directory / CERT_FILE),
        root=Path(settings.WINDOWN_SIGNING_ROOT or directory / ROOT_FILE),
        chain=tuple(Path(p) for p in settings.WINDOWN_SIGNING_CHAIN),
        passphrase=passphrase.encode() if passphrase else None,
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"No signing file {path}: run `python manage.py init_signing_ca`, or set "
            "WINDOWN_SIGNING_KEY, WINDOWN_SIGNING_CERT and WINDOWN_SIGNING_ROOT to your CA's files."
        ) from None


def _private_key() -> rsa.RSAPrivateKey:
    files = signing_files()
    key = serialization.load_pem_private_key(_read(files.key), password=files.passphrase)
    if not isinstance(key, rsa.RSAPrivateKey):
        # pyHanko raises the PDF version to 2.0 for ECDSA/EdDSA, which breaks PDF/A-3.
        raise ImproperlyConfigured(f"The signing key {files.key} must be an RSA key.")
    return key


def signing_certificate() -> x509.Certificate:
    """Return the certificate of the signing key."""
    return x509.load_pem_x509_certificate(_read(signing_files().cert))


def root_certificate_pem() -> bytes:
    """Return the root certificate (PEM) that verifiers should trust."""
    return _read(signing_files().root)


def fingerprint(certificate: x509.Certificate) -> str:
    """Format a certificate's SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` does."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def root_fingerprint() -> str:
    """Return the root certificate's SHA-256 fingerprint (AB:CD:… as openssl prints it)."""
    return fingerprint(x509.load_pem_x509_certificate(root_certificate_pem()))


def load_signer():
    """Return a pyHanko `SimpleSigner` for the signing key, carrying the chain up to the root."""
    from pyhanko.sign import signers  # pyHanko is heavy; load it only where PDFs are signed

    files = signing_files()
    for path in (files.key, files.cert, files.root, *files.chain):
        _read(path)  # name a missing file clearly; pyHanko only logs it
    signer = signers.SimpleSigner.load(
        str(files.key),
        str(files.cert),
        ca_chain_files=[str(p) for p in (*files.chain, files.root)],
        key_passphrase=files.passphrase,
    )
    if signer is None:
        raise ImproperlyConfigured(f"pyHanko could not load the signing key {files.key}.")
    return signer


def key_id(certificate: x509.Certificate | None = None) -> bytes:
    """Return 4 bytes naming the signing key: SHA-256 of its SubjectPublicKeyInfo, truncated."""
    certificate = certificate or signing_certificate()
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()[:4]


def sign_bytes(data: bytes) -> bytes:
    """Sign `data` with the signing key (RSA PKCS#1 v1.5, SHA-256)."""
    return _private_key().sign(data, padding.PKCS1v15(), hashes.SHA256())


def verify_bytes(
    data: bytes, signature: bytes, certificate: x509.Certificate | None = None
) -> bool:
    """Say whether `signature` is the signing key's (or `certificate`'s) signature of `data`."""
    public_key = (certificate or signing_certificate()).public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    try:
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
