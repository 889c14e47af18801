"""The Merkle tree over a wind-down's audit events: leaves streamed from the database, proofs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

from windown import merkle
from windown.models import AuditEvent, AuditHead, Checkpoint, WindDown


class LogMismatch(Exception):
    """The log no longer matches a checkpoint."""


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
        return asdict(self)


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
