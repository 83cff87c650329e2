"""MinHash signatures, computed for many passages at once, identical to datasketch's MinHash.

datasketch (≥ 2.0, scheme "affine32") pre-mixes each 32-bit input hash with the MurmurHash3
finalizer and applies h → a·h + b mod 2³² for each permutation, drawing a and b from
numpy.random.RandomState(seed). We reproduce that arithmetic on a whole corpus in a few array
operations, because importing datasketch costs about a second (it imports scipy) and calling it
passage by passage is slow. tests/test_signature.py checks the values against datasketch itself.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

MAX_HASH = np.uint32(0xFFFFFFFF)
# Values per block of the (num_perm × shingles) working array: 4 MB. On the corpus passages of
# scripts/bench_signatures.py the time is flat from 1 << 19 to 1 << 22 and 1.5x worse at 1 << 23
# (out of cache) or 1 << 16 (per-block overhead).
_BLOCK_VALUES = 1 << 20


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


_FMIX = {
    32: (np.uint32, 16, 0x85EBCA6B, 13, 0xC2B2AE35, 16),
    64: (np.uint64, 33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33),
}


def fmix(values: np.ndarray, width: int) -> np.ndarray:
    """MurmurHash3's finalizer on unsigned integers of that width: every input bit affects every output bit."""
    kind, s1, m1, s2, m2, s3 = _FMIX[width]
    with np.errstate(over="ignore"):
        h = values ^ (values >> kind(s1))
        h = h * kind(m1)
        h = h ^ (h >> kind(s2))
        h = h * kind(m2)
        return h ^ (h >> kind(s3))


def signatures(
    hashes: np.ndarray, groups: np.ndarray, n_groups: int, num_perm: int, seed: int, prefix: int | None = None
) -> np.ndarray:
    """One signature per group (passage) from its shingle hashes; groups must be sorted.

    A group without shingles keeps datasketch's empty value (all 2³² − 1). prefix: only the first values
    of each signature, at that share of the cost (the same values the whole signature begins with).
    """
    a, b = permutations(num_perm, seed)
    if prefix is not None:
        a, b, num_perm = a[:prefix], b[:prefix], min(prefix, num_perm)
    out = np.full((n_groups, num_perm), MAX_HASH, dtype=np.uint32)
    if hashes.size == 0:
        return out
    # Permutations along rows, shingles along columns: np.minimum.reduceat over contiguous runs of a
    # row is about twice as fast as over rows of a (shingles × num_perm) array. Products go into one
    # reused buffer, in place, so a block never leaves the cache.
    a_col, b_col = a[:, None], b[:, None]
    block = max(1, _BLOCK_VALUES // num_perm)
    buffer = np.empty(num_perm * block, dtype=np.uint32)
    start = 0
    while start < hashes.size:
        stop = min(start + block, hashes.size)
        # Never split a group across blocks, so each block's minima are final.
        if stop < hashes.size:
            stop = int(np.searchsorted(groups, groups[stop - 1], side="left"))
            if stop <= start:  # one group fills the block (the first one included): take it whole
                stop = int(np.searchsorted(groups, groups[start], side="right"))
        size = stop - start
        permuted = (
            buffer[: num_perm * size].reshape(num_perm, size)
            if size <= block
            else np.empty((num_perm, size), dtype=np.uint32)  # one group longer than a block
        )
        # Mixed a block at a time: all at once, a big document's shingles were held in four copies.
        mixed = fmix(hashes[start:stop].astype(np.uint32), 32)
        with np.errstate(over="ignore"):
            np.multiply(a_col, mixed[None, :], out=permuted)
            np.add(permuted, b_col, out=permuted)
        block_groups = groups[start:stop]
        firsts = np.flatnonzero(np.concatenate(([True], block_groups[1:] != block_groups[:-1])))
        out[block_groups[firsts]] = np.minimum.reduceat(permuted, firsts, axis=1).T
        start = stop
    return out
