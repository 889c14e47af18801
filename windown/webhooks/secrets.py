"""Signing secrets: made in the Standard Webhooks format, kept encrypted, and the signature.

The secret is `whsec_` + base64 of 32 random bytes; receivers may use any Standard Webhooks
library with it. windown must keep the secret itself to compute HMACs, so it stores it encrypted
(Fernet, keys from WEBHOOKS_SECRET_KEYS or derived from SECRET_KEY) rather than in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

PREFIX = "whsec_"


def secret_generate() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _fernet() -> MultiFernet:
    keys = list(settings.WEBHOOKS_SECRET_KEYS)
    if not keys:
        derived = hashlib.sha256(b"windown.webhooks:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
