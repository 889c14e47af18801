"""RFC 9162 (RFC 6962) Merkle tree hashes, inclusion and consistency proofs. No Django here.

Leaves are given as leaf hashes (`leaf_hash(data)`), in log order, as an iterable: every function
that needs them reads them once, front to back, and keeps O(log n) hashes per subtree it is
computing, so a caller can stream millions of leaves from a database cursor.

A proof is computed in two steps: `inclusion_ranges`/`consistency_ranges` say which subtrees
(half-open leaf ranges, in the RFC's proof order) a proof consists of, and `range_roots` hashes
those subtrees in one pass over the leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

Range = tuple[int, int]

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Hash a leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Return the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class _Subtree:
    """Fold leaves into the root of one range, keeping one hash per set bit of its size."""

    __slots__ = ("count", "stack")

    def __init__(self) -> None:
        self.stack: list[bytes] = []  # roots of perfect subtrees, largest first
        self.count = 0

    def add(self, leaf: bytes) -> None:
        self.count += 1
        carry, stack = self.count, self.stack
        while not carry & 1:  # each trailing zero of the new size completes a subtree
            leaf = node_hash(stack.pop(), leaf)
            carry >>= 1
        stack.append(leaf)

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        digest = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            digest = node_hash(left, digest)
        return digest


def range_roots(leaves: Iterable[bytes], ranges: Iterable[Range]) -> dict[Range, bytes]:
    """Return the Merkle tree hash of each leaf range [start, end), reading the leaves once.

    Ranges may overlap. Raises ValueError when the leaves run out before a range ends.
    """
    wanted = sorted(set(ranges))
    result: dict[Range, bytes] = {r: EMPTY_ROOT for r in wanted if r[0] == r[1]}
    pending = [r for r in wanted if r[0] < r[1]]
    if not pending:
        return result
    last = max(end for _, end in pending)
    active: list[tuple[Range, _Subtree]] = []
    upcoming = 0
    index = -1
    for index, leaf in enumerate(leaves):
        while upcoming < len(pending) and pending[upcoming][0] == index:
            active.append((pending[upcoming], _Subtree()))
            upcoming += 1
        finished = False
        for span, subtree in active:
            subtree.add(leaf)
            finished = finished or span[1] == index + 1
        if finished:
            result.update((span, sub.root()) for span, sub in active if span[1] == index + 1)
            active = [(span, sub) for span, sub in active if span[1] != index + 1]
        if index + 1 == last:
            return result
    raise ValueError(f"the tree has {index + 1} leaves; a range needs {last}")


def prefix_roots(leaves: Iterable[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """Return the root of the first n leaves for each n in `sizes`, reading the leaves once."""
    wanted = sorted(set(sizes))
    result = {n: EMPTY_ROOT for n in wanted if n == 0}
    pending = [n for n in wanted if n > 0]
    if not pending:
        return result
    subtree, upcoming, index = _Subtree(), 0, -1
    for index, leaf in enumerate(leaves):
        subtree.add(leaf)
        if index + 1 == pending[upcoming]:
            result[pending[upcoming]] = subtree.root()
            upcoming += 1
            if upcoming == len(pending):
                return result
    raise ValueError(f"the tree has {index + 1} leaves; a root needs {pending[-1]}")


def root(leaves: Iterable[bytes], size: int) -> bytes:
    """Return the Merkle tree hash of the first `size` leaves."""
    return range_roots(leaves, [(0, size)])[(0, size)]


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """Return the subtrees of leaf `index`'s audit path in a tree of `size` (RFC 9162 2.1.3.1)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:  # from the root down; the RFC lists the path from the leaf up
        k = _split(hi - lo)
        if index < lo + k:
            path.append((lo + k, hi))
            hi = lo + k
        else:
            path.append((lo, lo + k))
            lo += k
    return path[::-1]


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """Return the consistency proof's subtrees from `old_size` to `new_size` (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size} leaves")
    if old_size in (0, new_size):
        return []
    path: list[Range] = []
    lo, hi, m, whole = 0, new_size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            path.append((lo + k, hi))
            hi = lo + k
        else:
            path.append((lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        path.append((lo, hi))
    return path[::-1]


def verify_inclusion(
    *, index: int, size: int, leaf: bytes, path: Sequence[bytes], root_hash: bytes
) -> bool:
    """Say whether `path` proves leaf hash `leaf` is leaf `index` of the tree (RFC 9162 2.1.3.2)."""
    if not 0 <= index < size:
        return False
    fn, sn, digest = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            digest = node_hash(sibling, digest)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            digest = node_hash(digest, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and digest == root_hash


def verify_consistency(
    *, old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> bool:
    """Say whether `path` proves tree `new_size` extends tree `old_size` (RFC 9162 2.1.4.2)."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if old_size == 0:
        return not path
    if not path:
        return False
    nodes = list(path)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a subtree
        nodes.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
