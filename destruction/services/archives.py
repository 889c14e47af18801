"""Archive services (stub: the `darch` branch's module replaces this one at merge)."""

from __future__ import annotations

from destruction.models import Archive, DestructionJob
from windown.models import Membership


def archive_crypto_shred(*, by: Membership, archive: Archive, job: DestructionJob) -> dict:
    """Delete the archive's key envelope(s) and ciphertext; return the record of what was shred."""
    raise NotImplementedError("archive_crypto_shred is provided by the archives branch")
