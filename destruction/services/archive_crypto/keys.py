"""Archive keys: age recipients and identities, each archive's own identity, its key envelope.

The custodians' public keys are age X25519 recipients; a private key pasted by mistake is
refused. Each archive gets a fresh identity, sealed in an envelope to the custodians' keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pyrage
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyrage import x25519


def parse_recipient(text: str) -> x25519.Recipient:
    """Return the age X25519 recipient, refusing anything else (a private key above all)."""
    text = text.strip()
    if text.upper().startswith("AGE-SECRET-KEY-"):
        raise ValidationError(
            _(
                "This is a private key. Never share it: register the public key "
                "(the line `# public key: age1…` that age-keygen prints) and generate a new "
                "identity, since this one has left the custodian's hands."
            )
        )
    try:
        return x25519.Recipient.from_str(text)
    except pyrage.RecipientError as error:
        raise ValidationError(
            _("Not an age public key (it starts with age1 and comes from age-keygen).")
        ) from error


def parse_identities(text: str) -> list[x25519.Identity]:
    """Return the X25519 identities of an age identity file (comments and blanks skipped)."""
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                identities.append(x25519.Identity.from_str(line))
            except pyrage.IdentityError as error:
                raise ValidationError(
                    _("The identity file holds a line that is not an age identity.")
                ) from error
    if not identities:
        raise ValidationError(_("The identity file holds no age identity (AGE-SECRET-KEY-1…)."))
    return identities


def new_archive_identity(label: str) -> tuple[bytes, str]:
    """Make a fresh X25519 identity; return it as an age identity file and its public key."""
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    text = (
        f"# windown archive key: {label}\n# created: {created}\n"
        f"# public key: {public}\n{identity}\n"
    )
    return text.encode(), public


def seal_envelope(identity_file: bytes, recipients: Iterable[str]) -> bytes:
    """Encrypt the archive's identity file to the custodians' public keys (age)."""
    return pyrage.encrypt(identity_file, [parse_recipient(r) for r in recipients])


def open_envelope(envelope: bytes, custodian_identity: str) -> list[x25519.Identity]:
    """Decrypt a key envelope with a custodian's identity file; return the archive identity."""
    try:
        identity_file = pyrage.decrypt(envelope, parse_identities(custodian_identity))
    except pyrage.DecryptError as error:
        raise ValidationError(
            _("This identity cannot open the archive's key envelope (not one of its recipients).")
        ) from error
    return parse_identities(identity_file.decode())
