"""The checkpoint text: a C2SP signed note naming the log, its size, its root and the time."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings

from windown import signing
from windown.models import Checkpoint, WindDown

DASH = "\u2014"


@dataclass(frozen=True)
class Note:
    origin: str
    tree_size: int
    root_hash: bytes
    time: datetime | None
    body: bytes
    signatures: dict[str, bytes] = field(default_factory=dict)  # key name -> id || signature

    @property
    def slug(self) -> str:
        return self.origin.rsplit("/", 1)[-1]


def log_origin(winddown: WindDown) -> str:
    return f"{settings.WINDOWN_LOG_ORIGIN}/{winddown.slug}"


def note_sign(*, origin: str, tree_size: int, root_hash: bytes, time: datetime) -> str:
    """Return the signed text of a checkpoint."""
    stamp = time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = f"{origin}\n{tree_size}\n{base64.b64encode(root_hash).decode()}\ntime {stamp}\n"
    blob = signing.key_id() + signing.sign_bytes(body.encode())
    return f"{body}\n{DASH} {settings.WINDOWN_LOG_ORIGIN} {base64.b64encode(blob).decode()}\n"


def note_parse(text: str) -> Note:
    """Parse a checkpoint's text; raise ValueError saying what is malformed."""
    text = text.replace("\r\n", "\n")
    body, sep, signature_block = text.partition("\n\n")
    lines = body.split("\n")
    if not sep or len(lines) < 3:
        raise ValueError("not a checkpoint: expected origin, size and root lines, a blank line")
    origin, size, root = lines[:3]
    if not size.isdigit():
        raise ValueError(f"the tree size {size!r} is not a number")
    try:
        root_hash = base64.b64decode(root, validate=True)
    except binascii.Error:
        root_hash = b""
    if len(root_hash) != 32:
        raise ValueError(f"the root hash {root!r} is not 32 bytes of base64")
    time = None
    for line in lines[3:]:
        if line.startswith("time "):
            time = datetime.strptime(line[5:], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    signatures = {}
    for line in signature_block.splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == DASH:
            try:
                signatures[parts[1]] = base64.b64decode(parts[2], validate=True)
            except binascii.Error:
                continue
    return Note(origin, int(size), root_hash, time, (body + "\n").encode(), signatures)


def note_verify(note: Note) -> bool:
    """Say whether this installation's signing key signed the note (whatever the key's name)."""
    key = signing.key_id()
    return any(
        blob[:4] == key and signing.verify_bytes(note.body, blob[4:])
        for blob in note.signatures.values()
    )


def validly_signed(checkpoint: Checkpoint) -> Note | None:
    """Return the stored checkpoint's note if its signature and root are sound."""
    try:
        note = note_parse(checkpoint.signed_text)
    except ValueError:
        return None
    sound = note.root_hash.hex() == checkpoint.root_hash and note.tree_size == checkpoint.tree_size
    return note if sound and note_verify(note) else None
