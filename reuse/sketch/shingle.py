"""Shingling: Han text into character k-grams, alphabetic text into word k-grams, hashed to 32 bits.

Tokens are single Han characters or space-separated words of the normalized text; a shingle is k
consecutive tokens of one passage. Hashing is arithmetic on arrays (no Python hash, no seeds), so the
same text gives the same shingles on every machine and run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reuse.sketch.signature import fmix
from reuse.text.normalize import SPACE, han_mask, to_codes

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


def tokenize(normalized: str) -> Tokens:
    codes = to_codes(normalized)
    if codes.size == 0:
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
    with np.errstate(over="ignore"):
        contrib = (codes[nonspace].astype(np.uint64) + np.uint64(1)) * powers[position]
    values = np.add.reduceat(contrib, first_idx)
    last_idx = np.append(first_idx[1:], nonspace.size) - 1
    starts = nonspace[first_idx].astype(np.int32)
    return Tokens(starts, (nonspace[last_idx] + 1).astype(np.int32), values, han_ns[first_idx])


def token_owners(tokens: Tokens, range_starts: np.ndarray, range_ends: np.ndarray) -> np.ndarray:
    """For each token, the passage whose normalized range [start, end) it starts in, or -1.

    Ranges are sorted and do not overlap."""
    owner = np.full(tokens.starts.size, -1, dtype=np.int64)
    if range_starts.size == 0 or tokens.starts.size == 0:
        return owner
    lo = np.searchsorted(tokens.starts, range_starts, side="left")
    counts = np.searchsorted(tokens.starts, range_ends, side="left") - lo
    offsets = np.cumsum(counts) - counts
    positions = np.arange(int(counts.sum())) - np.repeat(offsets - lo, counts)
    owner[positions] = np.repeat(np.arange(range_starts.size), counts)
    return owner


def passage_shingles(
    text: str, range_starts: np.ndarray, range_ends: np.ndarray, k_han: int, k_word: int
) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of a normalized text and (hash, passage, first token) of the shingles of the passages
    at those ranges of it."""
    tokens = tokenize(text)
    hashes, passages, firsts = shingles(tokens, token_owners(tokens, range_starts, range_ends), k_han, k_word)
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
    n = values.size - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint32)
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc = acc * _SHINGLE_BASE + values[j : j + n]
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
    hashes, passages, firsts = [], [], []
    for k, starts_here in ((k_han, tokens.han), (k_word, ~tokens.han)):
        kh = kgram_hashes(tokens.values, k)
        if kh.size == 0:
            continue
        start_p = passage_of_token[: kh.size]
        end_p = passage_of_token[k - 1 : k - 1 + kh.size]
        idx = np.flatnonzero((start_p == end_p) & (start_p >= 0) & starts_here[: kh.size])
        hashes.append(kh[idx])
        passages.append(start_p[idx])
        firsts.append(idx)
    if not hashes:
        return np.zeros(0, np.uint32), np.zeros(0, np.int32), np.zeros(0, np.int32)
    h, p, f = np.concatenate(hashes), np.concatenate(passages), np.concatenate(firsts)
    order = np.lexsort((f, p))
    # int32 is plenty for passage and token numbers, and halves what a corpus scan holds.
    return h[order], p[order].astype(np.int32), f[order].astype(np.int32)
