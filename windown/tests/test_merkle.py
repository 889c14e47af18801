"""The Merkle tree follows RFC 6962/9162: the published test vectors and a brute-force RFC tree.

Vectors: the 8-leaf tree of the RFC 6962 test data as published by transparency-dev/merkle
(testonly/constants.go, proof/verify_test.go), which carries certificate-transparency-go's.
"""

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from windown import merkle

LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]
]  # fmt: skip
ROOTS = [  # by tree size, 0 to 8
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf index, tree size, audit path)
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip
HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def proof_hashes(leaves, ranges):
    roots = merkle.range_roots(leaves, ranges)
    return [roots[r] for r in ranges]


# --- brute force: the RFC's recursive definitions, over a list held in memory ---------------
def mth(hashes):
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return merkle.node_hash(mth(hashes[:k]), mth(hashes[k:]))


def path(m, hashes):
    if len(hashes) == 1:
        return []
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    if m < k:
        return [*path(m, hashes[:k]), mth(hashes[k:])]
    return [*path(m - k, hashes[k:]), mth(hashes[:k])]


def subproof(m, hashes, whole):
    if m == len(hashes):
        return [] if whole else [mth(hashes)]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, hashes[:k], whole), mth(hashes[k:])]
    return [*subproof(m - k, hashes[k:], False), mth(hashes[:k])]


# --- the published vectors -------------------------------------------------------------------
@pytest.mark.parametrize("size", range(9))
def test_it_computes_the_published_root_of_every_prefix_of_the_eight_leaf_tree(size):
    assert merkle.root(iter(HASHES), size).hex() == ROOTS[size]


def test_it_computes_the_roots_of_many_prefixes_in_one_pass():
    roots = merkle.prefix_roots(iter(HASHES), range(9))
    assert {n: r.hex() for n, r in roots.items()} == dict(enumerate(ROOTS))
    with pytest.raises(ValueError, match="the tree has 8 leaves; 9 are needed"):
        merkle.prefix_roots(iter(HASHES), [3, 9])


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_it_builds_and_verifies_the_published_inclusion_proofs(index, size, expected):
    proof = proof_hashes(HASHES, merkle.inclusion_ranges(index, size))
    assert [h.hex() for h in proof] == expected
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(
        index=index, size=size, leaf=HASHES[index], path=proof, root_hash=root
    )


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY)
def test_it_builds_and_verifies_the_published_consistency_proofs(old, new, expected):
    proof = proof_hashes(HASHES, merkle.consistency_ranges(old, new))
    assert [h.hex() for h in proof] == expected
    assert merkle.verify_consistency(
        old_size=old,
        new_size=new,
        old_root=bytes.fromhex(ROOTS[old]),
        new_root=bytes.fromhex(ROOTS[new]),
        path=proof,
    )


def corruptions(proof, root):
    yield "trailing garbage", [*proof, b""]
    yield "trailing root", [*proof, root]
    yield "preceding root", [root, *proof]
    if proof:
        yield "removed component", proof[:-1]
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 8
        yield f"proof[{i}] with a bit flipped", [*proof[:i], bytes(flipped), *proof[i + 1 :]]


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION[1:])
def test_it_rejects_every_corruption_of_a_published_inclusion_proof(index, size, expected):
    proof, root, leaf = (
        [bytes.fromhex(h) for h in expected],
        bytes.fromhex(ROOTS[size]),
        HASHES[index],
    )
    for why, bad in corruptions(proof, root):
        assert not merkle.verify_inclusion(
            index=index, size=size, leaf=leaf, path=bad, root_hash=root
        ), why
    for why, (i, n) in {
        "index - 1": (index - 1, size),
        "index + 1": (index + 1, size),
        "index ^ 2": (index ^ 2, size),
        "size * 2": (index, size * 2),
        "size / 2": (index, size // 2),
    }.items():
        assert not merkle.verify_inclusion(
            index=i, size=n, leaf=leaf, path=proof, root_hash=root
        ), why
    assert not merkle.verify_inclusion(
        index=index, size=size, leaf=b"WrongLeaf", path=proof, root_hash=root
    )
    assert not merkle.verify_inclusion(
        index=index, size=size, leaf=leaf, path=proof, root_hash=merkle.EMPTY_ROOT
    )


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY[1:])
def test_it_rejects_every_corruption_of_a_published_consistency_proof(old, new, expected):
    proof = [bytes.fromhex(h) for h in expected]
    r1, r2 = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])

    def ok(old=old, new=new, r1=r1, r2=r2, path=proof):
        return merkle.verify_consistency(
            old_size=old, new_size=new, old_root=r1, new_root=r2, path=path
        )

    assert ok()
    for why, bad in corruptions(proof, r1):
        assert not ok(path=bad), why
    assert not ok(path=[proof[0], *proof]), "preceding proof[0]"
    assert not ok(path=[]), "empty proof"
    assert not ok(old=old - 1) and not ok(old=old + 1) and not ok(old=old ^ 2)
    assert not ok(new=new * 2) and not ok(new=new // 2)
    assert not ok(r1=b"WrongRoot") and not ok(r2=b"WrongRoot") and not ok(r1=r2, r2=r1)


def test_it_refuses_proofs_for_leaves_and_sizes_outside_the_tree():
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(8, 8)
    with pytest.raises(ValueError):
        merkle.consistency_ranges(9, 8)
    with pytest.raises(ValueError, match="the tree has 8 leaves; 9 are needed"):
        merkle.root(iter(HASHES), 9)
    with pytest.raises(ValueError, match=r"\[1, 4\) is not a subtree"):
        merkle.range_roots(iter(HASHES), [(1, 4)])
    assert not merkle.verify_inclusion(index=0, size=0, leaf=HASHES[0], path=[], root_hash=b"")
    assert not merkle.verify_consistency(
        old_size=2, new_size=1, old_root=b"", new_root=b"", path=[]
    )


# --- brute force over generated trees --------------------------------------------------------
trees = st.lists(st.binary(max_size=12), min_size=1, max_size=70).map(
    lambda leaves: [merkle.leaf_hash(leaf) for leaf in leaves]
)


@settings(max_examples=150, deadline=None)
@given(hashes=trees, data=st.data())
def test_it_matches_the_rfc_definitions_on_generated_trees(hashes, data):
    n = len(hashes)
    size = data.draw(st.integers(1, n), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(0, size), label="old size")
    tree = hashes[:size]

    assert merkle.root(iter(hashes), size) == mth(tree)
    assert merkle.prefix_roots(iter(hashes), [old, size]) == {old: mth(tree[:old]), size: mth(tree)}
    inclusion = proof_hashes(iter(hashes), merkle.inclusion_ranges(index, size))
    assert inclusion == path(index, tree)
    assert merkle.verify_inclusion(
        index=index, size=size, leaf=tree[index], path=inclusion, root_hash=mth(tree)
    )
    consistency = proof_hashes(iter(hashes), merkle.consistency_ranges(old, size))
    assert consistency == (subproof(old, tree, True) if 0 < old < size else [])
    assert merkle.verify_consistency(
        old_size=old, new_size=size, old_root=mth(tree[:old]), new_root=mth(tree), path=consistency
    )


@settings(max_examples=100, deadline=None)
@given(hashes=trees, data=st.data())
def test_a_changed_leaf_fails_the_consistency_proof_from_a_tree_that_held_it(hashes, data):
    size = len(hashes)
    old = data.draw(st.integers(1, size), label="old size")
    changed = data.draw(st.integers(0, old - 1), label="changed leaf")
    rewritten = [*hashes[:changed], merkle.leaf_hash(b"forged"), *hashes[changed + 1 :]]
    assume(rewritten != hashes)
    proof = proof_hashes(iter(rewritten), merkle.consistency_ranges(old, size))
    assert not merkle.verify_consistency(
        old_size=old,
        new_size=size,
        old_root=mth(hashes[:old]),
        new_root=mth(rewritten),
        path=proof,
    )


@settings(max_examples=50, deadline=None)
@given(hashes=trees, data=st.data())
def test_one_pass_gives_every_proof_of_a_batch(hashes, data):
    n = len(hashes)
    old = data.draw(st.integers(0, n), label="old size")
    indexes = data.draw(st.lists(st.integers(0, n - 1), max_size=10), label="leaves")
    wanted = {i: merkle.inclusion_ranges(i, n) for i in indexes}
    consistency = merkle.consistency_ranges(old, n)
    ranges = [r for path in wanted.values() for r in path] + consistency + [(0, n), (0, old)]

    roots = merkle.range_roots(iter(hashes), ranges)

    for i, path_ranges in wanted.items():
        assert [roots[r] for r in path_ranges] == path(i, hashes)
    assert [roots[r] for r in consistency] == (subproof(old, hashes, True) if 0 < old < n else [])
    assert (roots[(0, n)], roots[(0, old)]) == (mth(hashes), mth(hashes[:old]))
