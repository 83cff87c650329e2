"""Our array code against datasketch itself: identical MinHash values and identical LSH candidates."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import reuse.sketch.signature
from reuse.load.document import load_document
from reuse.settings import Settings
from reuse.sketch.candidates import lsh_cross_pairs, lsh_pairs, pairs_within_groups, stable_band_keys
from reuse.sketch.prepared import prepare
from reuse.sketch.signature import signatures

from .conftest import SEED_FILES, SEEDS


def _identity(value: int) -> int:
    return value


def datasketch_signature(hashes: list[int], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity)
    m.update_batch(hashes)
    return m.hashvalues


@pytest.mark.parametrize("name", SEED_FILES)
def test_signatures_equal_datasketch_on_seeds(name: str) -> None:
    prepared = prepare(load_document(str(SEEDS / name)), Settings())
    shingles = prepared.shingles()
    assert shingles.hashes.size > 0
    for i in range(len(prepared)):
        mine = prepared.signatures()[i]
        theirs = datasketch_signature(shingles.hashes[shingles.passages == i].tolist())
        np.testing.assert_array_equal(mine, theirs)


@hsettings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=40), min_size=1, max_size=12),
    st.sampled_from([16, 64, 128]),
    st.integers(0, 2**31),
)
def test_signatures_equal_datasketch_on_random_sets(groups: list[list[int]], num_perm: int, seed: int) -> None:
    hashes = np.array([h for g in groups for h in g], dtype=np.uint32)
    owners = np.array([i for i, g in enumerate(groups) for _ in g], dtype=np.int64)
    mine = signatures(hashes, owners, len(groups), num_perm, seed)
    for i, g in enumerate(groups):  # empty and one-shingle groups included
        np.testing.assert_array_equal(mine[i], datasketch_signature(g, num_perm, seed))


@pytest.mark.parametrize("sizes", [[0, 1, 0, 1], [1], [0], [0, 0, 0]])
def test_signatures_of_empty_and_one_shingle_passages(sizes: list[int]) -> None:
    """Passages without shingles keep datasketch's empty value; one shingle is its own minimum."""
    groups = [[0x9E3779B9 * (i + 1) % 2**32] * size for i, size in enumerate(sizes)]
    hashes = np.array([h for g in groups for h in g], dtype=np.uint32)
    owners = np.array([i for i, g in enumerate(groups) for _ in g], dtype=np.int64)
    mine = signatures(hashes, owners, len(groups), 128, 1)
    for i, g in enumerate(groups):
        np.testing.assert_array_equal(mine[i], datasketch_signature(g))
        assert (mine[i] == 2**32 - 1).all() == (not g)


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=40), min_size=1, max_size=12), st.integers(1, 6))
def test_signatures_equal_datasketch_across_blocks(groups: list[list[int]], block: int) -> None:
    """Blocks of a few shingles: passages longer than a block, the first one included, are never split."""
    hashes = np.array([h for g in groups for h in g], dtype=np.uint32)
    owners = np.array([i for i, g in enumerate(groups) for _ in g], dtype=np.int64)
    saved = reuse.sketch.signature._BLOCK_VALUES
    reuse.sketch.signature._BLOCK_VALUES = block * 16  # block shingles at 16 permutations
    try:
        mine = signatures(hashes, owners, len(groups), 16, 7)
    finally:
        reuse.sketch.signature._BLOCK_VALUES = saved
    for i, g in enumerate(groups):
        np.testing.assert_array_equal(mine[i], datasketch_signature(g, 16, 7))


def test_lsh_candidates_equal_minhashlsh_on_seeds() -> None:
    settings = Settings()
    sigs, usable = [], []
    for name in SEED_FILES:
        prepared = prepare(load_document(str(SEEDS / name)), settings)
        sigs.append(prepared.signatures())
        usable.append(prepared.passages_with_shingles())
    all_sigs, all_usable = np.concatenate(sigs), np.concatenate(usable)
    mine = {tuple(p) for p in lsh_pairs(all_sigs, settings.bands, settings.rows, all_usable).tolist()}

    lsh = MinHashLSH(num_perm=settings.num_perm, params=(settings.bands, settings.rows))
    ids = np.flatnonzero(all_usable).tolist()
    for i in ids:
        lsh.insert(i, MinHash(num_perm=settings.num_perm, hashvalues=all_sigs[i], scheme="affine32"))
    theirs = set()
    for i in ids:
        for j in lsh.query(MinHash(num_perm=settings.num_perm, hashvalues=all_sigs[i], scheme="affine32")):
            if i < j:
                theirs.add((i, j))
    assert len(theirs) > 100  # the seeds repeat captions, slogans and formulae
    assert mine == theirs


@hsettings(max_examples=60, deadline=None)
@given(
    st.sampled_from([(16, 1, 16), (8, 2, 16), (4, 4, 16), (5, 3, 16), (32, 4, 128)]),
    st.lists(st.integers(0, 2), min_size=2, max_size=40),
    st.integers(0, 2**31),
)
def test_lsh_candidates_equal_minhashlsh_on_random_signatures(
    shape: tuple[int, int, int], usable_bits: list[int], seed: int
) -> None:
    """Signatures over a tiny alphabet so that bands collide often; some passages unusable (no shingles)."""
    bands, rows, num_perm = shape
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 2, size=(len(usable_bits), num_perm), dtype=np.uint32)
    sigs[rng.integers(0, len(usable_bits), size=len(usable_bits) // 2)] = sigs[0]  # some identical passages
    usable = np.array(usable_bits, dtype=bool) | (np.arange(len(usable_bits)) < 2)
    mine = {tuple(p) for p in lsh_pairs(sigs, bands, rows, usable).tolist()}

    lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    ids = np.flatnonzero(usable).tolist()
    for i in ids:
        lsh.insert(i, MinHash(num_perm=num_perm, hashvalues=sigs[i], scheme="affine32"))
    theirs = set()
    for i in ids:
        for j in lsh.query(MinHash(num_perm=num_perm, hashvalues=sigs[i], scheme="affine32")):
            if i < j:
                theirs.add((i, j))
    assert mine == theirs
    half = len(usable_bits) // 2  # the cross join agrees too: the pairs that cross the halves
    cross = {
        tuple(p)
        for p in lsh_cross_pairs(
            stable_band_keys(sigs[:half], bands, rows),
            usable[:half],
            stable_band_keys(sigs[half:], bands, rows),
            usable[half:],
        ).tolist()
    }
    assert cross == {(i, j - half) for i, j in theirs if i < half <= j}


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9)), max_size=30), st.integers(1, 6))
def test_pairs_within_groups_against_brute_force(rows: list[tuple[int, int]], max_group: int) -> None:
    group = np.array([g for g, _ in rows], dtype=np.int64)
    member = np.array([m for _, m in rows], dtype=np.int64)
    got = {tuple(p) for p in pairs_within_groups(group, member, max_group).tolist()}
    expected = set()
    for g in set(group.tolist()):
        members = sorted({m for gg, m in rows if gg == g})
        if sum(1 for gg, _ in rows if gg == g) <= max_group:
            expected.update((a, b) for a, b in itertools.combinations(members, 2))
    assert got == expected


@hsettings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-3, 12), st.integers(0, 6)), max_size=40),
    st.lists(st.tuples(st.integers(-3, 12), st.integers(0, 6)), max_size=40),
    st.integers(1, 8),
    st.integers(1, 5),
    st.none() | st.lists(st.integers(0, 4), min_size=7, max_size=7),
)
def test_join_rows_against_brute_force(
    left: list[tuple[int, int]],
    right: list[tuple[int, int]],
    max_group: int,
    block: int,
    min_shared: list[int] | None,
) -> None:
    """Against a loop over the rows: any keys (negative ones are sorted as rows, not packed), repeated
    rows, the left rows joined a few at a time (a big document's blocks), and pairs sharing fewer keys
    than their left id's min_shared dropped."""
    from reuse.sketch import candidates

    def arrays(rows: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        return np.array([k for k, _ in rows], dtype=np.int64), np.array([i for _, i in rows], dtype=np.int64)

    saved, candidates._JOIN_BLOCK = candidates._JOIN_BLOCK, block
    try:
        pairs, counts = candidates.join_rows(
            *candidates.distinct_rows(*arrays(left)),
            *candidates.distinct_rows(*arrays(right)),
            max_group,
            None if min_shared is None else np.array(min_shared),
        )
    finally:
        candidates._JOIN_BLOCK = saved
    got = {tuple(p): int(c) for p, c in zip(pairs.tolist(), counts.tolist())}
    assert pairs.tolist() == sorted(pairs.tolist())
    right_ids = {k: {i for kk, i in right if kk == k} for k, _ in right}
    expected: dict[tuple[int, int], int] = {}
    for key, i in set(left):
        ids = right_ids.get(key, set())
        if len(ids) <= max_group:
            for j in ids:
                expected[(i, j)] = expected.get((i, j), 0) + 1
    if min_shared is not None:
        expected = {(i, j): n for (i, j), n in expected.items() if n >= min_shared[i]}
    assert got == expected


def test_lsh_cross_pairs_are_the_cross_part_of_lsh_pairs() -> None:
    settings = Settings()
    a = prepare(load_document(str(SEEDS / SEED_FILES[0])), settings)
    b = prepare(load_document(str(SEEDS / SEED_FILES[1])), settings)
    n = len(a)
    together = lsh_pairs(
        np.concatenate((a.signatures(), b.signatures())),
        settings.bands,
        settings.rows,
        np.concatenate((a.passages_with_shingles(), b.passages_with_shingles())),
    )
    expected = {(i, j - n) for i, j in together.tolist() if i < n <= j}
    got = {
        tuple(p)
        for p in lsh_cross_pairs(
            stable_band_keys(a.signatures(), settings.bands, settings.rows),
            a.passages_with_shingles(),
            stable_band_keys(b.signatures(), settings.bands, settings.rows),
            b.passages_with_shingles(),
        ).tolist()
    }
    assert got == expected and len(got) > 0


@hsettings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=20))
def test_union_find_groups_are_connected_components(n: int, edges: list[tuple[int, int]]) -> None:
    from reuse.group.union_find import UnionFind

    edges = [(a % n, b % n) for a, b in edges]
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    seen: set[int] = set()
    expected = []
    for start in range(n):  # components by search, the obvious way
        if start in seen:
            continue
        component, todo = {start}, [start]
        while todo:
            x = todo.pop()
            for a, b in edges:
                for y in ((b,) if a == x else ()) + ((a,) if b == x else ()):
                    if y not in component:
                        component.add(y)
                        todo.append(y)
        seen |= component
        if len(component) > 1:
            expected.append(sorted(component))
    assert uf.groups() == expected


def test_band_keys_signed_a_block_at_a_time_are_those_of_the_signatures() -> None:
    """PreparedDocument.band_keys never holds the whole signature matrix; its keys are the same."""
    from reuse.sketch import prepared as prepared_module

    settings = Settings()
    saved = prepared_module._BAND_PASSAGES
    try:
        for name in SEED_FILES:
            document = prepare(load_document(str(SEEDS / name)), settings)
            expected = stable_band_keys(document.signatures(), settings.bands, settings.rows)
            for block in (1, 7, 1 << 14):
                prepared_module._BAND_PASSAGES = block
                assert np.array_equal(document.band_keys(), expected), (name, block)
    finally:
        prepared_module._BAND_PASSAGES = saved
