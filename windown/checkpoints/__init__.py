"""Signed checkpoints of each wind-down's audit log (a Merkle tree over its events' hashes).

Leaf i of a wind-down's tree is SHA-256(0x00 || the 32 bytes of event #(i+1)'s hash), in seq
order; see windown.merkle. A checkpoint is a C2SP signed note (tlog-checkpoint), UTF-8, LF:

    windown.example.com/acme                      origin: WINDOWN_LOG_ORIGIN/<slug>
    1234                                          tree size: events #1..#1234
    q5Fh…base64 root hash…=                       Merkle root, standard base64
    time 2026-12-01T03:37:00Z                     when it was signed (UTC)
                                                  (blank line)
    — windown.example.com AAAA…base64…            key name, base64(4-byte key id || signature)

The signature is RSA PKCS#1 v1.5 / SHA-256 (windown.signing) over the note's body, every line
up to and including the time line's newline; the key id is the first 4 bytes of SHA-256 of the
signing certificate's SubjectPublicKeyInfo.

Signing checkpoint N records "audit.checkpoint_signed" as a later event (N+1 when nothing else
is written meanwhile): a checkpoint never covers its own record; the next one does.
"""

from windown.checkpoints.notes import Note, log_origin, note_parse, note_sign, note_verify
from windown.checkpoints.services import (
    CheckpointRefused,
    checkpoint_filename,
    checkpoint_record_download,
    checkpoint_sign,
    checkpoints_archive,
)
from windown.checkpoints.tree import (
    InclusionProof,
    LogMismatch,
    checkpoint_covering,
    consistency_check,
    inclusion_proof_for,
    inclusion_proofs_for,
    log_leaves,
    log_size,
)
from windown.checkpoints.verify import ExtensionReport, kept_checkpoint_verify

__all__ = [
    "CheckpointRefused",
    "ExtensionReport",
    "InclusionProof",
    "LogMismatch",
    "Note",
    "checkpoint_covering",
    "checkpoint_filename",
    "checkpoint_record_download",
    "checkpoint_sign",
    "checkpoints_archive",
    "consistency_check",
    "inclusion_proof_for",
    "inclusion_proofs_for",
    "kept_checkpoint_verify",
    "log_leaves",
    "log_origin",
    "log_size",
    "note_parse",
    "note_sign",
    "note_verify",
]
