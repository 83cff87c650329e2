"""Our array code against datasketch itself: identical MinHash values and identical LSH candidates."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.analysis import analyze
from reuse.candidates import lsh_pairs, pairs_within_groups, shared_shingle_pairs
from reuse.document import load_document
from reuse.settings import Settings
from reuse.signature import signatures

from .conftest import SEED_FILES, SEEDS


def _identity(value: int) -> int:
    return value


def datasketch_signature(hashes: list[int], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity)
    m.update_batch(hashes)
    return m.hashvalues


@pytest.mark.parametrize("name", SEED_FILES)
def test_signatures_equal_datasketch_on_seeds(name: str) -> None:
    analysis = analyze(load_document(str(SEEDS / name)), Settings())
    assert analysis.shingle_hashes.size > 0
    for i in range(len(analysis.passages)):
        mine = analysis.signatures[i]
        theirs = datasketch_signature(analysis.shingle_hashes[analysis.shingle_passages == i].tolist())
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


def test_lsh_candidates_equal_minhashlsh_on_seeds() -> None:
    settings = Settings()
    sigs, usable = [], []
    for name in SEED_FILES:
        analysis = analyze(load_document(str(SEEDS / name)), settings)
        sigs.append(analysis.signatures)
        usable.append(analysis.has_shingles())
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


def test_shared_shingle_pairs_against_brute_force() -> None:
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 40, 300).astype(np.uint32)
    owners = rng.integers(0, 30, 300).astype(np.int64)
    got = {tuple(p) for p in shared_shingle_pairs(hashes, owners, max_group=1000).tolist()}
    sets = {p: set(hashes[owners == p].tolist()) for p in range(30)}
    expected = {(a, b) for a, b in itertools.combinations(range(30), 2) if sets[a] & sets[b]}
    assert got == expected
