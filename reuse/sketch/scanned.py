"""What a corpus scan keeps of each document: compact arrays instead of per-passage objects.

A scan of 10,000 readouts cannot hold every document's tokens, shingles and passage objects at once
(about 210 KB a document). A `ScannedDocument` keeps the text, the normalized text with its offset
map, and one small array per passage attribute; keys are sliced from the normalized text when asked
for, and tokens and shingles are recomputed, document by document, by the one stage that needs them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from reuse.charclass import HAN, languages
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.analysis import fallback_key, passage_ranges
from reuse.sketch.shingle import Tokens, passage_shingles, passage_weights
from reuse.sketch.signature import signatures
from reuse.text.normalize import Normalized, converter, normalize
from reuse.text.segment import segment_bounds


@dataclass(frozen=True)
class ScannedDocument:
    document: Document
    normalized: Normalized
    starts: np.ndarray
    """Original start of each passage (int32); ends, paragraphs, ranges and weights alike."""
    ends: np.ndarray
    paragraphs: np.ndarray
    range_starts: np.ndarray
    """Each passage's range in the normalized text, spaces at the edges trimmed."""
    range_ends: np.ndarray
    weights: np.ndarray
    languages: tuple[str, ...]
    """Languages of the passages, sorted, without 'other'."""
    text_sha256: str
    """Of the normalized text: equal for exact duplicates."""
    has_shingles: bool
    signature: np.ndarray | None
    """MinHash of all the document's shingles (near-duplicate documents); None unless asked for."""
    scripts: dict[str, int] | None
    """Han characters only Traditional, and only Simplified, script has; None unless asked for."""

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def text(self) -> str:
        return self.document.text

    def __len__(self) -> int:
        return int(self.starts.size)

    @property
    def paragraph_count(self) -> int:
        return int(self.paragraphs[-1]) + 1 if self.paragraphs.size else 0

    def key(self, index: int) -> str:
        """Exact-match key of a passage: its normalized text, or its shape when that is empty."""
        key = self.normalized.text[self.range_starts[index] : self.range_ends[index]]
        return key or fallback_key(self.document.text[self.starts[index] : self.ends[index]])

    def paragraph_bounds(self) -> list[tuple[int, int]]:
        """(first, last) passage of every paragraph, in order."""
        if not len(self):
            return []
        bounds = np.flatnonzero(np.diff(self.paragraphs)) + 1
        return list(zip(np.concatenate(([0], bounds)).tolist(), (np.append(bounds, len(self)) - 1).tolist()))

    def shingles(self, settings: Settings) -> tuple[Tokens, np.ndarray, np.ndarray, np.ndarray]:
        """Tokens and (hash, passage, first token) of every shingle, exactly as `analyze` finds them."""
        return passage_shingles(
            self.normalized.text, self.range_starts, self.range_ends, settings.k_han, settings.k_word
        )


def document_signature(doc: ScannedDocument, settings: Settings) -> np.ndarray:
    """MinHash of all a document's shingles: the signature of their union over its passages."""
    hashes = doc.shingles(settings)[1]
    return signatures(hashes, np.zeros(hashes.size, dtype=np.int64), 1, settings.num_perm, settings.seed)[0]


def script_counts(text: str) -> dict[str, int]:
    """Han characters that exist only in Traditional, and only in Simplified script."""
    found = HAN.findall(text)
    chars = sorted(set(found))
    counts = {"traditional": 0, "simplified": 0}
    if not chars:
        return counts
    joined = "".join(chars)
    to_simplified = converter("t2s").convert(joined)
    to_traditional = converter("s2t").convert(joined)
    trad = {c for c, s in zip(chars, to_simplified) if s != c} if len(to_simplified) == len(chars) else set()
    simp = {c for c, t in zip(chars, to_traditional) if t != c} if len(to_traditional) == len(chars) else set()
    for c in found:
        if c in trad:
            counts["traditional"] += 1
        elif c in simp:
            counts["simplified"] += 1
    return counts


def scan_document(
    document: Document, settings: Settings, for_audit: bool = False
) -> tuple[ScannedDocument, np.ndarray]:
    """A document's compact form, and its distinct shingle hashes (sorted) for document frequencies.

    for_audit: also the document's MinHash and its Traditional/Simplified character counts.
    """
    starts, ends, paragraphs = segment_bounds(document.text, settings.unit)
    normalized = normalize(document.text, settings)
    range_starts, range_ends = passage_ranges(normalized, starts, ends)
    tokens, hashes, _, _ = passage_shingles(normalized.text, range_starts, range_ends, settings.k_han, settings.k_word)
    signature = (
        signatures(hashes, np.zeros(hashes.size, dtype=np.int64), 1, settings.num_perm, settings.seed)[0]
        if for_audit
        else None
    )
    scanned = ScannedDocument(
        document=document,
        normalized=normalized,
        starts=starts.astype(np.int32),
        ends=ends.astype(np.int32),
        paragraphs=paragraphs.astype(np.int32),
        range_starts=range_starts,
        range_ends=range_ends,
        weights=passage_weights(tokens, range_starts, range_ends).astype(np.int32),
        has_shingles=hashes.size > 0,
        languages=tuple(sorted(set(languages(document.text, starts, ends)) - {"other"})),
        text_sha256=hashlib.sha256(normalized.text.encode("utf-8")).hexdigest(),
        signature=signature,
        scripts=script_counts(document.text) if for_audit else None,
    )
    hashes = np.sort(hashes)
    distinct = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))] if hashes.size else hashes
    return scanned, distinct
