"""RFC 9162 (RFC 6962) Merkle tree hashes, inclusion and consistency proofs. No Django here.

Leaves are given as leaf hashes (`leaf_hash(data)`), in log order, as an iterable that is read
once, front to back, keeping O(log n) hashes: a caller can stream millions of leaves from a
database cursor.

A proof is computed in two steps: `inclusion_ranges`/`consistency_ranges` say which subtrees
(half-open leaf ranges, in the RFC's proof order) a proof consists of, and `range_roots` hashes
them. Every such subtree is made of aligned perfect subtrees ([k*2^h, (k+1)*2^h)), and folding
the leaves into the root builds each of those once: so one pass over the leaves, costing no more
than computing the root, yields any number of proofs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

Range = tuple[int, int]
Piece = tuple[int, int]  # an aligned perfect subtree: (first leaf, number of leaves)

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


def _pieces(start: int, end: int) -> list[Piece]:
    """Split a subtree [start, end) of the RFC tree into aligned perfect subtrees, left to right."""
    if start and start & -start < end - start:
        raise ValueError(f"[{start}, {end}) is not a subtree of a Merkle tree")
    pieces = []
    while start < end:
        size = 1 << ((end - start).bit_length() - 1)
        pieces.append((start, size))
        start += size
    return pieces


def _fold(leaves: Iterable[bytes], wanted: set[Piece], end: int) -> dict[Piece, bytes]:
    """Fold the first `end` leaves as for the root, keeping the roots of the `wanted` pieces."""
    found: dict[Piece, bytes] = {}
    stack: list[bytes] = []  # roots of the perfect subtrees folded so far, largest first
    count = 0
    for leaf in leaves:
        if (count, 1) in wanted:
            found[(count, 1)] = leaf
        count += 1
        carry, size = count, 1
        while not carry & 1:  # each trailing zero of the new count completes a subtree
            leaf = node_hash(stack.pop(), leaf)
            carry, size = carry >> 1, size << 1
            if (count - size, size) in wanted:
                found[(count - size, size)] = leaf
        stack.append(leaf)
        if count == end:
            return found
    raise ValueError(f"the tree has {count} leaves; {end} are needed")


def range_roots(leaves: Iterable[bytes], ranges: Iterable[Range]) -> dict[Range, bytes]:
    """Return the Merkle tree hash of each subtree [start, end), reading the leaves once.

    A range is a prefix [0, n) or a subtree of the RFC tree (as the proof functions return).
    Raises ValueError when the leaves run out before a range ends.
    """
    split = {r: _pieces(*r) for r in set(ranges)}
    end = max((r[1] for r in split), default=0)
    found = _fold(leaves, {p for pieces in split.values() for p in pieces}, end) if end else {}
    result = {}
    for r, pieces in split.items():
        digest = found[pieces[-1]] if pieces else EMPTY_ROOT
        for piece in reversed(pieces[:-1]):
            digest = node_hash(found[piece], digest)
        result[r] = digest
    return result


def prefix_roots(leaves: Iterable[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """Return the root of the first n leaves for each n in `sizes`, reading the leaves once."""
    roots = range_roots(leaves, [(0, n) for n in sizes])
    return {n: digest for (_, n), digest in roots.items()}


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
