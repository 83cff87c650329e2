"""One document through the first stages: normalize → segment → shingle → sign."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .document import Document
from .normalize import Normalized, normalize
from .segment import Passage, segment
from .settings import Settings
from .shingle import Tokens, shingles, tokenize
from .signature import signatures


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


def _fallback_key(text: str) -> str:
    """Key of a passage with no letters or digits (---, ■): its compatibility form, spaces folded."""
    return "\x00" + re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def analyze(document: Document, settings: Settings) -> Analysis:
    passages = segment(document.id, document.text, settings.unit)
    normalized = normalize(document.text, settings)
    text = normalized.text
    ranges: list[tuple[int, int]] = []
    keys: list[str] = []
    for passage in passages:
        lo, hi = normalized.to_normalized(passage.start, passage.end)
        while lo < hi and text[lo] == " ":
            lo += 1
        while hi > lo and text[hi - 1] == " ":
            hi -= 1
        ranges.append((lo, hi))
        keys.append(text[lo:hi] or _fallback_key(passage.text))
    tokens = tokenize(text)
    passage_of_token = np.full(tokens.starts.size, -1, dtype=np.int64)
    weights = np.zeros(len(passages), dtype=np.int64)
    token_weights = tokens.weights
    for i, (lo, hi) in enumerate(ranges):
        a = int(np.searchsorted(tokens.starts, lo, side="left"))
        b = int(np.searchsorted(tokens.starts, hi, side="left"))
        passage_of_token[a:b] = i
        weights[i] = int(token_weights[a:b].sum())
    hashes, owners, firsts = shingles(tokens, passage_of_token, settings.k_han, settings.k_word)
    return Analysis(
        document, passages, normalized, ranges, keys, tokens.without_values(), hashes, owners, firsts, weights, settings
    )
