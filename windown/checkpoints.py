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

from __future__ import annotations

import base64
import binascii
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from windown import merkle, signing
from windown.audit import audit_record, audit_verify
from windown.models import AuditEvent, AuditHead, Checkpoint, WindDown

logger = logging.getLogger(__name__)
DASH = "\u2014"


class CheckpointRefused(Exception):
    """Signing would contradict an earlier checkpoint: the log was rewritten."""


class LogMismatch(Exception):
    """The log no longer matches a checkpoint."""


# --- the signed note -------------------------------------------------------------------------
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


def _validly_signed(checkpoint: Checkpoint) -> Note | None:
    """Return the stored checkpoint's note if its signature and root are sound."""
    try:
        note = note_parse(checkpoint.signed_text)
    except ValueError:
        return None
    sound = note.root_hash.hex() == checkpoint.root_hash and note.tree_size == checkpoint.tree_size
    return note if sound and note_verify(note) else None


# --- the tree over the database -----------------------------------------------------------------
def _leaf(digest: str) -> bytes:
    try:
        return merkle.leaf_hash(bytes.fromhex(digest))
    except ValueError:  # not hex: someone wrote to the table; hash what is there
        return merkle.leaf_hash(digest.encode())


def log_leaves(winddown: WindDown, size: int) -> Iterator[bytes]:
    """Stream the leaf hashes of events #1..#size in seq order; raise LogMismatch on a gap."""
    rows = (
        AuditEvent.objects.filter(winddown=winddown, seq__lte=size)
        .order_by("seq")
        .values_list("seq", "hash")
        .iterator(chunk_size=5000)
    )
    expected = 1
    for seq, digest in rows:
        if seq != expected:
            raise LogMismatch(f"event #{expected} is missing")
        yield _leaf(digest)
        expected += 1


def log_size(winddown: WindDown) -> int:
    """Return how many events the log has (its committed head)."""
    return AuditHead.objects.filter(winddown=winddown).values_list("seq", flat=True).first() or 0


def consistency_check(
    *, winddown: WindDown, old_size: int, old_root: bytes, new_size: int
) -> tuple[bytes, list[bytes], bool]:
    """Recompute the root of `new_size` events and the consistency proof from `old_size`.

    Return (new root, proof, whether the proof verifies against `old_root`), in one pass.
    """
    ranges = merkle.consistency_ranges(old_size, new_size)
    try:
        roots = merkle.range_roots(log_leaves(winddown, new_size), [*ranges, (0, new_size)])
    except ValueError as short:
        raise LogMismatch(str(short)) from None
    new_root, proof = roots[(0, new_size)], [roots[r] for r in ranges]
    ok = merkle.verify_consistency(
        old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root, path=proof
    )
    return new_root, proof, ok


# --- signing ---------------------------------------------------------------------------------
def _refuse(winddown: WindDown, tree_size: int, problem: str) -> CheckpointRefused:
    logger.error("Refused to sign a checkpoint of %s: %s", winddown.slug, problem)
    with transaction.atomic():
        audit_record(
            winddown=winddown,
            actor=None,
            actor_label="system:checkpoint_sign",
            action="audit.checkpoint_refused",
            payload={"tree_size": tree_size, "problem": problem},
        )
    return CheckpointRefused(problem)


def checkpoint_sign(*, winddown: WindDown) -> Checkpoint:
    """Sign a checkpoint of every event committed so far, if it extends the previous one.

    Refuses (records "audit.checkpoint_refused", logs an error and raises CheckpointRefused)
    when the log does not extend the latest checkpoint: a log never signs two inconsistent ones.
    """
    size = log_size(winddown)
    existing = Checkpoint.objects.filter(winddown=winddown, tree_size=size).first()
    if existing is not None:
        return existing
    previous = Checkpoint.objects.filter(winddown=winddown).order_by("-tree_size").first()
    old_size, old_root = 0, merkle.EMPTY_ROOT
    if previous is not None:
        note = _validly_signed(previous)
        if note is None:
            raise _refuse(winddown, size, f"checkpoint {previous.tree_size} is not validly signed")
        if previous.tree_size > size:
            raise _refuse(
                winddown, size, f"the log has {size} events; checkpoint {previous.tree_size} more"
            )
        old_size, old_root = previous.tree_size, note.root_hash
    try:
        root, _proof, consistent = consistency_check(
            winddown=winddown, old_size=old_size, old_root=old_root, new_size=size
        )
    except LogMismatch as gap:
        raise _refuse(winddown, size, str(gap)) from None
    if not consistent:
        raise _refuse(
            winddown, size, f"events #1..#{old_size} no longer hash to checkpoint {old_size}"
        )
    now = datetime.now(UTC).replace(microsecond=0)
    text = note_sign(origin=log_origin(winddown), tree_size=size, root_hash=root, time=now)
    checkpoint = Checkpoint(
        winddown=winddown, tree_size=size, root_hash=root.hex(), signed_text=text, created_at=now
    )
    checkpoint.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            checkpoint.save()
            audit_record(
                winddown=winddown,
                actor=None,
                actor_label="system:checkpoint_sign",
                action="audit.checkpoint_signed",
                obj=checkpoint,
                payload={"tree_size": size, "root_hash": checkpoint.root_hash},
            )
    except IntegrityError:  # signed concurrently at the same size: the same tree, keep theirs
        return Checkpoint.objects.get(winddown=winddown, tree_size=size)
    return checkpoint


# --- inclusion proofs --------------------------------------------------------------------------
@dataclass(frozen=True)
class InclusionProof:
    seq: int
    leaf_index: int
    tree_size: int
    event_hash: str
    leaf_hash: str
    root_hash: str
    path: list[str]
    checkpoint: str

    def as_dict(self) -> dict:
        return {
            "seq": self.seq,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "event_hash": self.event_hash,
            "leaf_hash": self.leaf_hash,
            "root_hash": self.root_hash,
            "path": self.path,
            "checkpoint": self.checkpoint,
        }


def checkpoint_covering(event: AuditEvent) -> Checkpoint | None:
    """Return the first checkpoint whose tree includes the event."""
    return (
        Checkpoint.objects.filter(winddown_id=event.winddown_id, tree_size__gte=event.seq)
        .order_by("tree_size")
        .first()
    )


def inclusion_proof_for(*, event: AuditEvent, checkpoint: Checkpoint) -> InclusionProof:
    """Prove that `event` is in the tree `checkpoint` signed; raise LogMismatch if it changed."""
    return inclusion_proofs_for(events=[event], checkpoint=checkpoint)[0]


def inclusion_proofs_for(
    *, events: list[AuditEvent], checkpoint: Checkpoint
) -> list[InclusionProof]:
    """Prove that each event is in the tree `checkpoint` signed, in one pass over the log.

    Raise ValueError for an event outside the checkpoint, LogMismatch if the log changed.
    """
    size = checkpoint.tree_size
    for event in events:
        if event.winddown_id != checkpoint.winddown_id or not 0 < event.seq <= size:
            raise ValueError(f"event #{event.seq} is not in checkpoint {size}")
    paths = {event.seq: merkle.inclusion_ranges(event.seq - 1, size) for event in events}
    try:
        roots = merkle.range_roots(
            log_leaves(checkpoint.winddown, size), [r for p in paths.values() for r in p]
        )
    except ValueError as short:
        raise LogMismatch(str(short)) from None
    root, proofs = bytes.fromhex(checkpoint.root_hash), []
    for event in events:
        path, leaf, index = [roots[r] for r in paths[event.seq]], _leaf(event.hash), event.seq - 1
        if not merkle.verify_inclusion(
            index=index, size=size, leaf=leaf, path=path, root_hash=root
        ):
            raise LogMismatch(
                f"event #{event.seq} and the log around it no longer match checkpoint {size}"
            )
        proofs.append(
            InclusionProof(
                seq=event.seq,
                leaf_index=index,
                tree_size=size,
                event_hash=event.hash,
                leaf_hash=leaf.hex(),
                root_hash=checkpoint.root_hash,
                path=[h.hex() for h in path],
                checkpoint=checkpoint.signed_text,
            )
        )
    return proofs


# --- does the log extend a checkpoint someone kept? ---------------------------------------------
@dataclass(frozen=True)
class ExtensionReport:
    winddown: WindDown | None
    old_size: int
    new_size: int = 0
    proof_length: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rewrite_bounds(winddown: WindDown, size: int) -> str:
    """Say between which events the log was rewritten, from the stored checkpoints up to `size`."""
    stored = [
        (c.tree_size, bytes.fromhex(c.root_hash))
        for c in Checkpoint.objects.filter(winddown=winddown, tree_size__lte=size).order_by(
            "tree_size"
        )
        if _validly_signed(c)
    ]
    try:
        roots = merkle.prefix_roots(log_leaves(winddown, size), [n for n, _ in stored])
    except (LogMismatch, ValueError):
        return f"at or before event #{size}"
    good = 0
    for n, root in stored:
        if roots[n] != root:
            return f"between event #{good + 1} and event #{n} (checkpoint {n} no longer matches)"
        good = n
    return f"between event #{good + 1} and event #{size}"


def kept_checkpoint_verify(*, text: str) -> ExtensionReport:
    """Check a kept checkpoint's signature, then that the current log extends it."""
    try:
        note = note_parse(text)
    except ValueError as malformed:
        return ExtensionReport(None, 0, problems=[str(malformed)])
    if not note_verify(note):
        return ExtensionReport(
            None, note.tree_size, problems=["its signature is not this installation's key's"]
        )
    winddown = WindDown.objects.filter(slug=note.slug).first()
    if winddown is None or note.origin != log_origin(winddown):
        return ExtensionReport(
            None, note.tree_size, problems=[f"no log {note.origin!r} in this installation"]
        )
    problems = []
    chain = audit_verify(winddown)
    if not chain.ok:
        event_id = f" (event id {chain.bad_event.pk})" if chain.bad_event else ""
        problems.append(f"hash chain broken: {chain.problem}{event_id}")
    size = log_size(winddown)
    if note.tree_size > size:
        problems.append(
            f"the log has {size} events but the checkpoint covers {note.tree_size}: "
            f"events after #{size} were removed"
        )
        return ExtensionReport(winddown, note.tree_size, size, problems=problems)
    try:
        _root, proof, consistent = consistency_check(
            winddown=winddown, old_size=note.tree_size, old_root=note.root_hash, new_size=size
        )
    except LogMismatch as gap:
        problems.append(f"the log has a gap: {gap}")
        return ExtensionReport(winddown, note.tree_size, size, problems=problems)
    if not consistent:
        problems.append(
            f"the log does not extend the checkpoint: events #1..#{note.tree_size} no longer "
            f"hash to its root; rewritten {_rewrite_bounds(winddown, note.tree_size)}"
        )
    return ExtensionReport(winddown, note.tree_size, size, len(proof), problems)


# --- downloads -----------------------------------------------------------------------------------
def checkpoint_record_download(*, winddown: WindDown, actor, tree_sizes: list[int]) -> None:
    """Record in the audit trail who downloaded which checkpoints."""
    with transaction.atomic():
        audit_record(
            winddown=winddown,
            actor=actor,
            action="audit.checkpoint_downloaded",
            payload={"tree_sizes": tree_sizes[:20], "count": len(tree_sizes)},
        )


def checkpoints_archive(winddown: WindDown) -> tuple[bytes, list[int]]:
    """Zip every checkpoint of the wind-down, one `<slug>-checkpoint-<size>.txt` each."""
    buffer, sizes = io.BytesIO(), []
    rows = Checkpoint.objects.filter(winddown=winddown).order_by("tree_size")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for size, text in rows.values_list("tree_size", "signed_text").iterator(chunk_size=500):
            archive.writestr(checkpoint_filename(winddown, size), text)
            sizes.append(size)
    return buffer.getvalue(), sizes


def checkpoint_filename(winddown: WindDown, tree_size: int) -> str:
    return f"{winddown.slug}-checkpoint-{tree_size}.txt"
