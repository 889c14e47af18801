"""Does the current log extend a checkpoint someone kept? If not, say where it was rewritten."""

from __future__ import annotations

from dataclasses import dataclass, field

from windown import merkle
from windown.audit import audit_verify
from windown.checkpoints.notes import log_origin, note_parse, note_verify, validly_signed
from windown.checkpoints.tree import LogMismatch, consistency_check, log_leaves, log_size
from windown.models import Checkpoint, WindDown


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
        if validly_signed(c)
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
