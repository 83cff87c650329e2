"""Candidate pairs: passages whose signatures collide in an LSH band, or that share a shingle.

Banding follows datasketch's MinHashLSH exactly (band i is signature[i·r:(i+1)·r]; two passages are
candidates when some band is equal), done for all passages at once by sorting band rows.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from reuse.sketch.signature import fmix


def pairs_within_groups(group: np.ndarray, member: np.ndarray, max_group: int | None = None) -> np.ndarray:
    """All (i, j), i < j, of members that share a group, as an (n, 2) array; groups larger than max_group are skipped."""
    if group.size < 2:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((member, group))
    group, member = group[order], member[order]
    firsts = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
    sizes = np.diff(np.append(firsts, group.size))
    if max_group is not None:
        keep = np.repeat(sizes <= max_group, sizes)
        group, member = group[keep], member[keep]
        sizes = sizes[sizes <= max_group]
        firsts = np.concatenate(([0], np.cumsum(sizes)[:-1])) if sizes.size else sizes
    if member.size < 2:
        return np.zeros((0, 2), dtype=np.int64)
    position = np.arange(member.size) - np.repeat(firsts, sizes)
    after = np.repeat(sizes, sizes) - position - 1  # members after this one in its group
    left = np.repeat(np.arange(member.size), after)
    offsets = np.arange(left.size) - np.repeat(np.cumsum(after) - after, after)
    right = left + 1 + offsets
    pairs = np.stack((member[left], member[right]), axis=1)
    pairs.sort(axis=1)
    return np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n_passages, bands) ids: equal ids in a column mean equal band rows."""
    keys = np.empty((signatures.shape[0], bands), dtype=np.int64)
    for band in range(bands):
        rows_view = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        as_bytes = rows_view.view(np.dtype((np.void, rows_view.dtype.itemsize * rows))).ravel()
        _, keys[:, band] = np.unique(as_bytes, return_inverse=True)
    return keys


def stable_band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n_passages, bands) int64 keys that mean the same in every run and process: the one band hash of
    the project, stored by the index and, chunk by chunk, used by the scan to bucket lines and sentences.

    Each key hashes the band number and the band's rows to 64 bits (MurmurHash3's finalizer, chained),
    so equal band rows give equal keys, and the band number is folded into the key: one column of
    keys serves all bands. Different rows collide with probability 2⁻⁶⁴, and verification follows anyway.
    """
    n = signatures.shape[0]
    out = np.empty((n, bands), dtype=np.int64)
    # A block of passages at a time: the uint64 copy of all signatures would be 1 KB a passage.
    for lo in range(0, max(n, 1), _BAND_BLOCK):
        out[lo : lo + _BAND_BLOCK] = _stable_band_keys(signatures[lo : lo + _BAND_BLOCK], bands, rows)
    return out


_BAND_BLOCK = 1 << 15
"""Passages whose band keys are computed together (their signatures as uint64: 32 MB)."""


def _stable_band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    n = signatures.shape[0]
    out = np.empty((bands, n), dtype=np.uint64)
    # Transposed, each signature position is one contiguous row, offset once for all rows.
    values = np.ascontiguousarray(signatures.T, dtype=np.uint64)
    with np.errstate(over="ignore"):
        values += np.uint64(0x632BE59BD9B4E019)
        for band in range(bands):
            h = np.full(n, np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for row in range(band * rows, (band + 1) * rows):
                h = fmix(h ^ values[row], 64)
            out[band] = h
    return out.T.view(np.int64)


def lsh_pairs(
    signatures: np.ndarray, bands: int, rows: int, usable: np.ndarray, max_group: int | None = None
) -> np.ndarray:
    """Pairs of usable passages (rows of signatures) colliding in at least one band (buckets up to max_group)."""
    ids = np.flatnonzero(usable)
    if ids.size < 2:
        return np.zeros((0, 2), dtype=np.int64)
    keys = band_keys(signatures[ids], bands, rows)
    # One group id per (band, key): offset each band's keys past the previous band's.
    offsets = np.arange(bands, dtype=np.int64) * (ids.size + 1)
    group = (keys + offsets[None, :]).ravel()
    member = np.repeat(ids, bands)
    return pairs_within_groups(group, member, max_group)


def near_pairs(signatures: np.ndarray, usable: np.ndarray, bands: int, rows: int, threshold: float) -> np.ndarray:
    """Pairs (i < j) of usable rows of signatures (documents' MinHash) whose estimated Jaccard similarity,
    the share of equal values, is at least threshold: LSH candidates, verified."""
    pairs = lsh_pairs(signatures, bands, rows, usable)
    if pairs.size == 0:
        return pairs
    kept = [pairs[:0]]
    for start in range(0, len(pairs), _NEAR_BLOCK):  # a block at a time: a (pairs × num_perm) array each
        block = pairs[start : start + _NEAR_BLOCK]
        kept.append(block[agreement(signatures, block) >= threshold])
    return np.concatenate(kept)


_NEAR_BLOCK = 1 << 14


def agreement(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """For each pair (i, j) of rows, the share of equal values: their estimated Jaccard similarity."""
    return (signatures[pairs[:, 0]] == signatures[pairs[:, 1]]).mean(axis=1)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) of a 1-D array, by sorting: numpy 2.3+'s hash-based unique is several times slower
    on the millions of int64 codes a big document gives."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if values.size else values


def distinct_rows(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (key, id) rows, sorted by key and then id, as two arrays (keys of their own type, int32
    ids), the form `join_rows` takes.

    Packed into one int64 and sorted when they fit (shingle hashes do), because a sort of numbers is
    many times faster than a sort of rows, and holds one array, not several (a big document has tens
    of millions of shingles)."""
    ids = ids.astype(np.int32, copy=False)
    if keys.size == 0:
        return keys, ids
    shift = max(int(ids.max()).bit_length(), 1)
    if int(keys.min()) >= 0 and int(keys.max()) < (1 << (62 - shift)) and int(ids.min()) >= 0:
        packed = keys.astype(np.int64)
        packed <<= shift
        packed |= ids
        packed.sort()
        distinct = _unique_in_place(packed)
        out_keys = np.empty(distinct, dtype=keys.dtype)
        out_ids = np.empty(distinct, dtype=np.int32)
        for lo in range(0, distinct, _JOIN_BLOCK):  # a block at a time: no 8-byte temporary of them all
            block = packed[lo : min(lo + _JOIN_BLOCK, distinct)]
            out_keys[lo : lo + block.size] = block >> shift
            out_ids[lo : lo + block.size] = block & ((1 << shift) - 1)
        return out_keys, out_ids
    order = np.lexsort((ids, keys))
    keys, ids = keys[order], ids[order]
    first = np.concatenate(([True], (keys[1:] != keys[:-1]) | (ids[1:] != ids[:-1])))
    return keys[first], ids[first]


def _unique_in_place(values: np.ndarray) -> int:
    """Moves the distinct values of sorted values to its front, in order, and says how many there are: a
    block at a time, so that no copy of a big document's tens of millions of rows is made."""
    written = 0
    last = None
    for lo in range(0, values.size, _JOIN_BLOCK):
        block = values[lo : lo + _JOIN_BLOCK]
        keep = np.empty(block.size, dtype=bool)
        keep[0] = last is None or block[0] != last
        np.not_equal(block[1:], block[:-1], out=keep[1:])
        last = block[-1]
        kept = block[keep]  # a copy: the writes below may overlap the block
        values[written : written + kept.size] = kept
        written += kept.size
    return written


_JOIN_BLOCK = 1 << 20
"""Left-hand rows and their pairs joined at a time: a few 8-byte arrays each, they stay small."""


def join_rows(
    left_keys: np.ndarray,
    left_ids: np.ndarray,
    right_keys: np.ndarray,
    right_ids: np.ndarray,
    max_group: int | None = None,
    min_shared: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(left id, right id) pairs sharing at least one key, sorted, with how many distinct keys they share
    (join_codes, as pairs)."""
    if left_keys.size == 0 or right_keys.size == 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    width = int(right_ids.max()) + 1
    codes, counts = join_codes(left_keys, left_ids, right_keys, right_ids, width, max_group, min_shared)
    return pairs_of(np.concatenate(codes), width), np.concatenate(counts)


def pairs_of(codes: np.ndarray, width: int) -> np.ndarray:
    """(left id, right id) rows of codes left id · width + right id."""
    return np.stack((codes // width, codes % width), axis=1)


def join_codes(
    left_keys: np.ndarray,
    left_ids: np.ndarray,
    right_keys: np.ndarray,
    right_ids: np.ndarray,
    width: int,
    max_group: int | None = None,
    min_shared: np.ndarray | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The pairs of left and right ids sharing at least one key, as codes left id · width + right id (width
    past every right id): blocks whose concatenation is sorted and distinct, and how many distinct keys
    each pair shares. A pair costs 8 bytes as a code, 16 as a row, and a big document has tens of millions.

    Both sides are distinct rows sorted by key (`distinct_rows`). A join by sorting, a block of left ids
    at a time: nothing is compared within one side. Keys held by more than max_group right-hand ids are
    skipped (too common to say anything). min_shared[i]: the fewest keys a pair of left id i must share
    to be returned (all pairs when None).

    A block holds every row of its left ids, so a pair's count is whole within its block and the pairs
    sharing too few keys are dropped there: two big documents of one language share a common phrase in
    tens of millions of pairs, of which a few per cent share enough to count."""
    codes: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    counts: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    if left_keys.size == 0 or right_keys.size == 0:
        return codes, counts
    # Where each left key's right rows are, looked up in key order (a binary search for keys in order
    # stays in cache; in the order of ids below it was ten times slower). Only the left rows whose key the
    # right side holds (and not too often) are kept: the others make no pair, and on two big documents
    # most rows are such, so the arrays below hold a fraction of the rows.
    kept: list[np.ndarray] = []
    firsts: list[np.ndarray] = []
    counts_of: list[np.ndarray] = []
    for lo in range(0, left_keys.size, _JOIN_BLOCK):
        keys = left_keys[lo : lo + _JOIN_BLOCK]
        found = np.searchsorted(right_keys, keys, side="left")
        size = np.searchsorted(right_keys, keys, side="right") - found
        useful = size > 0 if max_group is None else (size > 0) & (size <= max_group)
        at = np.flatnonzero(useful)
        kept.append(left_ids[at + lo].astype(np.int32))
        firsts.append(found[at].astype(np.int32))
        counts_of.append(size[at].astype(np.int32))
    ids_of = np.concatenate(kept)  # each kept row's left id, its first right row, and its right rows
    first = np.concatenate(firsts)
    sizes = np.concatenate(counts_of)
    del kept, firsts, counts_of
    if ids_of.size == 0:
        return codes, counts
    # The rows by left id (stable, so by key within an id); int32 halves the order of a big document.
    order = np.argsort(ids_of, kind="stable").astype(np.int32)
    by_id = ids_of[order]
    # Blocks of whole ids, cut where their rows and pairs add up to _JOIN_BLOCK: a document of repeated
    # boilerplate gives up to max_group pairs a row, and a block of rows alone could hold gigabytes.
    ids = int(by_id[-1]) + 1
    weight = np.bincount(ids_of, sizes.astype(np.int64) + 1, ids).astype(np.int64)
    block_of = (np.cumsum(weight) - weight) // _JOIN_BLOCK
    cuts = np.searchsorted(by_id, np.flatnonzero(np.diff(block_of)) + 1, side="left")
    bounds = np.unique(np.concatenate(([0], cuts, [by_id.size]))).tolist()
    del by_id, weight, block_of
    for lo, hi in pairwise(bounds):
        rows = order[lo:hi]
        here = sizes[rows]
        total = int(here.sum())
        if total == 0:
            continue
        block = np.repeat(ids_of[rows].astype(np.int64) * width, here)
        offsets = np.arange(total) - np.repeat(np.cumsum(here) - here, here)
        block += right_ids[np.repeat(first[rows], here) + offsets]
        found, times = np.unique(block, return_counts=True)
        del block, offsets
        if min_shared is not None:
            keep = times >= min_shared[found // width]
            found, times = found[keep], times[keep]
        # Blocks hold increasing left ids, so the codes come out sorted, each once.
        codes.append(found)
        counts.append(times)
    return codes, counts


def cross_codes(
    left_keys: np.ndarray, left_ids: np.ndarray, right_keys: np.ndarray, right_ids: np.ndarray, width: int
) -> np.ndarray:
    """join_codes of any (key, id) rows, repeated or in any order, as one sorted array."""
    codes, _ = join_codes(*distinct_rows(left_keys, left_ids), *distinct_rows(right_keys, right_ids), width)
    return np.concatenate(codes)


def lsh_cross_pairs(
    left: np.ndarray, left_usable: np.ndarray, right: np.ndarray, right_usable: np.ndarray
) -> np.ndarray:
    """lsh_cross_codes as (left passage, right passage) rows."""
    width = int(right.shape[0]) + 1
    return pairs_of(lsh_cross_codes(left, left_usable, right, right_usable, width), width)


def lsh_cross_codes(
    left: np.ndarray, left_usable: np.ndarray, right: np.ndarray, right_usable: np.ndarray, width: int
) -> np.ndarray:
    """Pairs of usable passages equal in at least one band, as sorted distinct codes left · width + right:
    left and right are their (passages, bands) `stable_band_keys`, each computed on its own side."""
    l_ids, r_ids = np.flatnonzero(left_usable), np.flatnonzero(right_usable)
    if l_ids.size == 0 or r_ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    # Band by band, deduplicating as we go: identical passages collide in every band, and joining
    # all bands at once would hold their pair product once per band.
    found: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for band in range(left.shape[1]):
        found.append(cross_codes(left[l_ids, band], l_ids, right[r_ids, band], r_ids, width))
        if len(found) > 8:  # collapse now and then: a sort of everything per band would be slow
            found = [sorted_unique(np.concatenate(found))]
    return sorted_unique(np.concatenate(found))
