"""Shingling: Han text into character k-grams, alphabetic text into word k-grams, hashed to 32 bits.

Tokens are single Han characters or space-separated words of the normalized text; a shingle is k
consecutive tokens of one passage. Hashing is arithmetic on arrays (no Python hash, no seeds), so the
same text gives the same shingles on every machine and run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from reuse.charclass import HAN_RANGES, han_mask
from reuse.runtime.blocks import join_blocks
from reuse.sketch.signature import fmix
from reuse.text.normalize import SPACE, to_codes

_TOKEN_BASE = np.uint64(0x100000001B3)  # FNV prime: an odd multiplier spreads code points over 64 bits
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Tokens:
    """Tokens of a normalized text: [starts[i], ends[i]) in it, a 64-bit value, Han or word."""

    starts: np.ndarray
    ends: np.ndarray
    values: np.ndarray
    han: np.ndarray

    @property
    def weights(self) -> np.ndarray:
        """A Han character weighs 1, a word 2 (a word carries about as much as two characters)."""
        return np.where(self.han, 1, 2)

    def without_values(self) -> Tokens:
        """The same tokens without their hash values, which only shingling needs."""
        return Tokens(self.starts, self.ends, np.zeros(0, dtype=np.uint64), self.han)


_BLOCK = 1 << 20
"""Characters tokenized, and tokens shingled, at a time: the work arrays are several times 8 bytes a
character, which on a big document was most of its peak memory. The result does not depend on it."""

_TOKEN_BOUNDARY = re.compile(f"[ {HAN_RANGES}]")
"""Where a block may end: a token never spans a space, and a Han character always starts one."""


def tokenize(normalized: str) -> Tokens:
    if len(normalized) <= _BLOCK:
        return _tokenize(normalized)
    fields: tuple[list[np.ndarray], ...] = ([], [], [], [])
    start = 0
    while start < len(normalized):
        found = _TOKEN_BOUNDARY.search(normalized, start + _BLOCK) if start + _BLOCK < len(normalized) else None
        end = found.start() if found else len(normalized)
        part = _tokenize(normalized[start:end])
        for pieces, values in zip(
            fields, (part.starts + np.int32(start), part.ends + np.int32(start), part.values, part.han)
        ):
            pieces.append(values)
        start = end
    return Tokens(*join_blocks(fields))


def _tokenize(normalized: str) -> Tokens:
    codes = to_codes(normalized)
    if codes.size == 0 or not normalized.strip(" "):
        empty = np.zeros(0, dtype=np.int32)
        return Tokens(empty, empty, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool))
    han = han_mask(codes)
    nonspace = np.flatnonzero(codes != SPACE)
    han_ns = han[nonspace]
    # A token starts at every Han character, and at a word character after a gap or a Han character.
    gap_before = np.concatenate(([True], np.diff(nonspace) > 1))
    han_before = np.concatenate(([True], han_ns[:-1]))
    first = han_ns | gap_before | han_before
    first_idx = np.flatnonzero(first)
    position = np.arange(nonspace.size) - np.repeat(first_idx, np.diff(np.append(first_idx, nonspace.size)))
    powers = _powers(int(position.max()) + 1)
    contrib = codes[nonspace].astype(np.uint64)
    del codes
    with np.errstate(over="ignore"):
        contrib += np.uint64(1)
        contrib *= powers[position]  # in place: a big document's arrays are 8 bytes a character each
    del position
    values = np.add.reduceat(contrib, first_idx)
    last_idx = np.append(first_idx[1:], nonspace.size) - 1
    starts = nonspace[first_idx].astype(np.int32)
    return Tokens(starts, (nonspace[last_idx] + 1).astype(np.int32), values, han_ns[first_idx])


def token_owners(tokens: Tokens, range_starts: np.ndarray, range_ends: np.ndarray) -> np.ndarray:
    """For each token, the passage whose normalized range [start, end) it starts in, or -1.

    Ranges are sorted and do not overlap."""
    owner = np.full(tokens.starts.size, -1, dtype=np.int32)  # passage numbers fit, at half the memory
    if range_starts.size == 0 or tokens.starts.size == 0:
        return owner
    # Token by token, in blocks: the passage whose range starts last at or before it, if it ends after it.
    last = range_starts.size - 1
    for lo in range(0, tokens.starts.size, _BLOCK):
        starts = tokens.starts[lo : lo + _BLOCK]
        which = np.searchsorted(range_starts, starts, side="right") - 1
        inside = (which >= 0) & (starts < range_ends[np.clip(which, 0, last)])
        owner[lo : lo + _BLOCK] = np.where(inside, which, -1)
    return owner


def passage_shingles(
    text: str, range_starts: np.ndarray, range_ends: np.ndarray, k_han: int, k_word: int
) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of a normalized text (without their hash values) and (hash, passage, first token) of the
    shingles of the passages at those ranges of it."""
    tokens = tokenize(text)
    owners = token_owners(tokens, range_starts, range_ends)
    parts = _shingle_parts(tokens, owners, k_han, k_word)
    del owners
    tokens = tokens.without_values()  # let go before the parts are joined: only the windows' hashes needed them
    hashes, passages, firsts = _joined(parts)
    return tokens, hashes, passages, firsts


def passage_weights(tokens: Tokens, range_starts: np.ndarray, range_ends: np.ndarray) -> np.ndarray:
    """Weight of each passage: the sum of the weights of the tokens starting in its range."""
    cumulative = np.concatenate(([0], np.cumsum(tokens.weights)))
    lo = np.searchsorted(tokens.starts, range_starts, side="left")
    hi = np.searchsorted(tokens.starts, range_ends, side="left")
    return (cumulative[hi] - cumulative[lo]).astype(np.int64)


def _powers(n: int) -> np.ndarray:
    powers = np.ones(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(1, n):
            powers[i] = powers[i - 1] * _TOKEN_BASE
    return powers


def kgram_hashes(values: np.ndarray, k: int) -> np.ndarray:
    """32-bit hashes of every window of k consecutive token values (len(values) - k + 1 of them)."""
    return kgram_hashes_at(values, k, np.arange(max(values.size - k + 1, 0)))


def kgram_hashes_at(values: np.ndarray, k: int, firsts: np.ndarray) -> np.ndarray:
    """kgram_hashes(values, k)[firsts]: the windows starting there only, each hashed alike."""
    acc = np.zeros(firsts.size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc *= _SHINGLE_BASE
            acc += values[firsts + j]
    return (fmix(acc, 64) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def shingles(
    tokens: Tokens, passage_of_token: np.ndarray, k_han: int, k_word: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All shingles of a document: (hash, passage, first token), grouped by passage in order.

    A window starting at a Han character is k_han tokens long, one starting at a word k_word tokens
    long, whatever language the rest of the passage is in, so the same words shingle alike wherever
    they stand. passage_of_token is non-decreasing (-1 outside any passage); a window counts only
    when all its tokens belong to the same passage.
    """
    return _joined(_shingle_parts(tokens, passage_of_token, k_han, k_word))


Parts = list[tuple[np.ndarray, np.ndarray, np.ndarray]]


def _shingle_parts(tokens: Tokens, passage_of_token: np.ndarray, k_han: int, k_word: int) -> Parts:
    """shingles() a block of tokens at a time, not joined yet."""
    size = tokens.values.size
    if size <= _BLOCK:
        return [_shingles(tokens.values, tokens.han, passage_of_token, k_han, k_word, 0)]
    # Blocks of tokens cut where the passage changes: no window that counts spans a cut, and the
    # blocks' shingles, each grouped by passage, follow one another in passage order.
    changes = np.append(np.flatnonzero(passage_of_token[1:] != passage_of_token[:-1]) + 1, size)
    cuts = np.unique(np.concatenate(([0], changes[np.searchsorted(changes, np.arange(_BLOCK, size, _BLOCK))], [size])))
    return [
        _shingles(tokens.values[lo:hi], tokens.han[lo:hi], passage_of_token[lo:hi], k_han, k_word, lo)
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist())
    ]


def _joined(parts: Parts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The parts joined (join_blocks); the list is emptied, so that the parts go as they are joined."""
    if len(parts) == 1:
        return parts.pop()
    columns = [[part[n] for part in parts] for n in range(3)]
    parts.clear()
    hashes, owners, firsts = join_blocks(columns)
    return hashes, owners, firsts


def _shingles(
    values: np.ndarray, han_tokens: np.ndarray, passage_of_token: np.ndarray, k_han: int, k_word: int, offset: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """shingles() of a run of tokens whose first is token number `offset`."""
    hashes, passages, firsts = [], [], []
    for k, han in ((k_han, True), (k_word, False)):
        n = values.size - k + 1
        if n <= 0:
            continue
        # Only the windows that count are hashed: hashing all, in several 8-byte temporaries per
        # token, was most of a big document's peak (and a Chinese text has few word windows).
        start_p = passage_of_token[:n]
        starts_here = han_tokens[:n] if han else ~han_tokens[:n]
        idx = np.flatnonzero((start_p == passage_of_token[k - 1 : k - 1 + n]) & (start_p >= 0) & starts_here)
        hashes.append(kgram_hashes_at(values, k, idx))
        passages.append(start_p[idx])
        firsts.append(idx)
    if not hashes:
        return np.zeros(0, np.uint32), np.zeros(0, np.int32), np.zeros(0, np.int32)
    h, p, f = np.concatenate(hashes), np.concatenate(passages), np.concatenate(firsts)
    order = np.lexsort((f, p))
    # int32 is plenty for passage and token numbers, and halves what a corpus scan holds.
    return h[order], p[order].astype(np.int32), (f[order] + offset).astype(np.int32)
