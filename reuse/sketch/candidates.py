"""Candidate pairs: passages whose signatures collide in an LSH band, or that share a shingle.

Banding follows datasketch's MinHashLSH exactly (band i is signature[i·r:(i+1)·r]; two passages are
candidates when some band is equal), done for all passages at once by sorting band rows.
"""

from __future__ import annotations

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


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) of a 1-D array, by sorting: numpy 2.3+'s hash-based unique is several times slower
    on the millions of int64 codes a big document gives."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if values.size else values


def _unique_rows(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The distinct (key, id) rows, sorted: np.unique(np.stack((keys, ids), axis=1), axis=0).

    Packed into one int64 when they fit (shingle hashes and band ids do), because np.unique along an
    axis sorts rows as structured values, many times slower than a plain sort of numbers."""
    keys, ids = keys.astype(np.int64), ids.astype(np.int64)
    if keys.size and int(keys.min()) >= 0 and int(ids.min()) >= 0:
        width = int(ids.max()) + 1
        if int(keys.max()) < (1 << 62) // width:
            packed = sorted_unique(keys * width + ids)
            return np.stack((packed // width, packed % width), axis=1)
    return np.unique(np.stack((keys, ids), axis=1), axis=0)


def cross_pairs(
    left_keys: np.ndarray,
    left_ids: np.ndarray,
    right_keys: np.ndarray,
    right_ids: np.ndarray,
    max_group: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(left id, right id) pairs sharing at least one key, with how many distinct keys they share.

    A join by sorting: nothing is compared within one side. Keys held by more than max_group
    right-hand ids are skipped (too common to say anything).
    """
    empty = (np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64))
    if left_keys.size == 0 or right_keys.size == 0:
        return empty
    left, right = _unique_rows(left_keys, left_ids), _unique_rows(right_keys, right_ids)
    lo = np.searchsorted(right[:, 0], left[:, 0], side="left")
    hi = np.searchsorted(right[:, 0], left[:, 0], side="right")
    sizes = hi - lo
    if max_group is not None:
        sizes = np.where(sizes > max_group, 0, sizes)
    if not sizes.any():
        return empty
    which = np.repeat(np.arange(left.shape[0]), sizes)
    offsets = np.arange(which.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    l_ids = left[which, 1]
    r_ids = right[np.repeat(lo, sizes) + offsets, 1]
    width = int(r_ids.max()) + 1
    codes, counts = np.unique(l_ids * width + r_ids, return_counts=True)
    return np.stack((codes // width, codes % width), axis=1), counts


def lsh_cross_pairs(
    left: np.ndarray, left_usable: np.ndarray, right: np.ndarray, right_usable: np.ndarray, bands: int, rows: int
) -> np.ndarray:
    """Pairs (left passage, right passage) whose signatures collide in at least one band."""
    l_ids, r_ids = np.flatnonzero(left_usable), np.flatnonzero(right_usable)
    if l_ids.size == 0 or r_ids.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    keys = band_keys(np.concatenate((left[l_ids], right[r_ids])), bands, rows)
    # Band by band, deduplicating as we go: identical passages collide in every band, and joining
    # all bands at once would hold their pair product once per band.
    width = int(right.shape[0]) + 1
    found: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for band in range(bands):
        pairs, _ = cross_pairs(keys[: l_ids.size, band], l_ids, keys[l_ids.size :, band], r_ids)
        found.append(pairs[:, 0] * width + pairs[:, 1])
        if len(found) > 8:  # collapse now and then: a sort of everything per band would be slow
            found = [sorted_unique(np.concatenate(found))]
    codes = sorted_unique(np.concatenate(found))
    return np.stack((codes // width, codes % width), axis=1)
