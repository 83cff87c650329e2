"""One document through the first stages: normalize → segment → shingle → sign."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.shingle import Tokens, passage_shingles, passage_weights
from reuse.sketch.signature import signatures
from reuse.text.normalize import SPACE, Normalized, normalize
from reuse.text.segment import Passage, segment


@dataclass(frozen=True)
class Analysis:
    """A document's passages with their normalized forms, shingles and MinHash signatures."""

    document: Document
    passages: list[Passage]
    normalized: Normalized
    ranges: list[tuple[int, int]]
    """Each passage's range in the normalized text, spaces at the edges trimmed."""
    keys: list[str]
    """Exact-match key of each passage: its normalized text, or its shape when that is empty."""
    tokens: Tokens
    shingle_hashes: np.ndarray
    shingle_passages: np.ndarray
    shingle_firsts: np.ndarray
    """Index (into tokens) of each shingle's first token."""
    weights: np.ndarray
    settings: Settings

    def norm_text(self, index: int) -> str:
        lo, hi = self.ranges[index]
        return self.normalized.text[lo:hi]

    def original_range(self, index: int, start: int, end: int) -> tuple[int, int]:
        """The range of the original text, inside passage `index`, that its normalized text [start:end] stands for.

        A passage with no normalized text (---, ■, a lone combining mark) matches on its shape
        (fallback_key) only, and so whole. A normalized character can stand for more than its passage:
        script conversion rewrites a phrase cut by a block tag as one (記憶<br>體 → 内存, whose two
        characters both stand for all of 記憶<br>體), so the range is cut to the passage.
        """
        passage = self.passages[index]
        lo, hi = self.ranges[index]
        if lo == hi:
            return passage.start, passage.end
        first, last = self.normalized.to_original(lo + start, lo + end)
        return max(first, passage.start), min(last, passage.end)

    @cached_property
    def signatures(self) -> np.ndarray:
        """MinHash signature of every passage, computed when first asked for (a corpus scan signs only
        the distinct lines it compares, see families.py)."""
        return signatures(
            self.shingle_hashes, self.shingle_passages, len(self.passages), self.settings.num_perm, self.settings.seed
        )

    def distinct_shingles(self) -> np.ndarray:
        """How many different shingles each passage has."""
        if self.shingle_hashes.size == 0:
            return np.zeros(len(self.passages), dtype=np.int64)
        pairs = np.unique(
            (self.shingle_passages.astype(np.int64) << np.int64(32)) | self.shingle_hashes.astype(np.int64)
        )
        return np.bincount(pairs >> np.int64(32), minlength=len(self.passages))

    def has_shingles(self) -> np.ndarray:
        counts = np.bincount(self.shingle_passages, minlength=len(self.passages))
        return counts > 0


def fallback_key(text: str) -> str:
    """Key of a passage with no letters or digits (---, ■): its compatibility form, spaces folded."""
    return "\x00" + re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def passage_ranges(normalized: Normalized, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each passage's range in the normalized text (int32), spaces at the edges trimmed."""
    lo = np.searchsorted(normalized.starts, starts, side="left").astype(np.int32)
    hi = np.searchsorted(normalized.starts, ends, side="left").astype(np.int32)
    if lo.size == 0 or not normalized.text:
        return lo, hi
    space = np.frombuffer(normalized.text.encode("utf-32-le"), dtype="<u4") == SPACE
    space = np.append(space, False)  # a sentinel, so that lo == len(text) can be looked up
    while True:
        move = (lo < hi) & space[lo]
        if not move.any():
            break
        lo += move
    while True:
        move = (hi > lo) & space[np.maximum(hi - 1, 0)]
        if not move.any():
            break
        hi -= move
    return lo, hi


def analyze(document: Document, settings: Settings) -> Analysis:
    passages = segment(document.id, document.text, settings.unit)
    normalized = normalize(document.text, settings)
    text = normalized.text
    lows, highs = passage_ranges(
        normalized,
        np.fromiter((p.start for p in passages), dtype=np.int64, count=len(passages)),
        np.fromiter((p.end for p in passages), dtype=np.int64, count=len(passages)),
    )
    ranges = list(zip(lows.tolist(), highs.tolist()))
    keys = [text[lo:hi] or fallback_key(p.text) for p, (lo, hi) in zip(passages, ranges)]
    tokens, hashes, owners, firsts = passage_shingles(text, lows, highs, settings.k_han, settings.k_word)
    weights = passage_weights(tokens, lows, highs)
    return Analysis(
        document, passages, normalized, ranges, keys, tokens.without_values(), hashes, owners, firsts, weights, settings
    )
