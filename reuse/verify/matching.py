"""Matching: every passage of a target document against a reference document.

Candidates come from three sources, none of them an all-pairs loop: equal normalized text (exact
keys, which also catch passages too short to shingle), LSH band collisions of MinHash signatures
(near-duplicate passages), and shared shingles (a formula or a template inside otherwise different
sentences). rapidfuzz then verifies each candidate and locates the reused spans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from reuse.settings import Settings
from reuse.sketch.analysis import Analysis
from reuse.sketch.candidates import cross_pairs, lsh_cross_pairs
from reuse.text.segment import Passage
from reuse.verify.spans import QgramIndex, Span, qgram_index, reused_spans, seed_length, similarity

# A shingle found in more reference passages than this seeds no candidates: it is a stop phrase,
# and passages that really share text share rarer shingles too.
MAX_SHINGLE_GROUP = 64
MIN_SHARED_SHINGLES = 2


@dataclass(frozen=True)
class Match:
    """A reference passage that a target passage reuses text from."""

    doc: str
    index: int
    start: int
    end: int
    similarity: float
    spans: tuple[tuple[int, int], ...]
    """Ranges of the target document reused from this passage."""


@dataclass(frozen=True)
class PassageResult:
    passage: Passage
    status: str
    similarity: float
    """rapidfuzz similarity (0–1) of the normalized passage to its closest match."""
    coverage: float
    """Share of the passage's normalized characters inside reused spans."""
    matches: tuple[Match, ...]
    spans: tuple[tuple[int, int], ...]
    """Reused ranges, in offsets of the target document; the whole passage when reused."""

    @property
    def reused_chars(self) -> int:
        return sum(end - start for start, end in self.spans)


def candidate_pairs(target: Analysis, reference: Analysis, settings: Settings) -> dict[int, set[int]]:
    """For each target passage, the reference passages worth verifying."""
    found: dict[int, set[int]] = defaultdict(set)
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, key in enumerate(reference.keys):
        by_key[key].append(j)
    for i, key in enumerate(target.keys):
        found[i].update(by_key.get(key, ()))

    lsh = lsh_cross_pairs(
        target.signatures,
        target.has_shingles(),
        reference.signatures,
        reference.has_shingles(),
        settings.bands,
        settings.rows,
    )
    shared, counts = cross_pairs(
        target.shingle_hashes,
        target.shingle_passages,
        reference.shingle_hashes,
        reference.shingle_passages,
        MAX_SHINGLE_GROUP,
    )
    # A stretch long enough to count shares several distinct shingles; one common shingle alone
    # ("中俄关系", "the two sides") is what makes most pairs, so require two, or all a passage has.
    distinct = target.distinct_shingles()
    if shared.size:
        shared = shared[counts >= np.minimum(MIN_SHARED_SHINGLES, distinct[shared[:, 0]])]
    for i, j in np.concatenate((lsh, shared)).tolist():
        found[i].add(j)
    return found


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _covered(text: str, ranges: list[tuple[int, int]]) -> int:
    return sum(end - start - text.count(" ", start, end) for start, end in ranges)


@dataclass
class PassageVerifier:
    """The verification of one target's passages against reference texts, shared by `compare` and
    the index's queries so that a status means the same everywhere. Captions and boilerplate repeat:
    each distinct pair of texts is verified once."""

    target: Analysis
    settings: Settings
    verified: dict[tuple[str, str], list[Span]] = field(default_factory=dict)
    indexes: dict[str, QgramIndex] = field(default_factory=dict)

    def spans(self, i: int, ref_text: str, same_key: bool) -> list[Span]:
        """Reused spans of passage i in ref_text (normalized), the whole passage when the keys are equal."""
        text = self.target.norm_text(i)
        if same_key:
            return [Span(0, len(text), 0, len(ref_text))]
        pair = (text, ref_text)
        if pair not in self.verified:
            if ref_text not in self.indexes:
                self.indexes[ref_text] = qgram_index(
                    ref_text, seed_length(self.settings.min_span, self.settings.min_whole)
                )
            s = self.settings
            self.verified[pair] = reused_spans(
                text, ref_text, s.min_span, s.min_whole, s.max_gap, self.indexes[ref_text]
            )
        return self.verified[pair]

    def in_document(self, i: int, spans: list[Span]) -> tuple[tuple[int, int], ...]:
        """The spans as ranges of the target's original text, inside passage i."""
        return tuple(_union([self.target.original_range(i, span.start, span.end) for span in spans]))

    def outcome(
        self, i: int, local: list[tuple[int, int]], exact: bool
    ) -> tuple[str, float, tuple[tuple[int, int], ...]]:
        """Status, coverage and reused ranges (original offsets) of passage i, from the normalized
        ranges its matches cover."""
        text = self.target.norm_text(i)
        local = _union(local)
        total = len(text) - text.count(" ")
        coverage = 1.0 if exact else (_covered(text, local) / total if total else 0.0)
        passage = self.target.passages[i]
        if exact or coverage >= self.settings.reused_coverage:
            return "reused", round(coverage, 4), ((passage.start, passage.end),)
        if local:
            return "partial", round(coverage, 4), self.in_document(i, [Span(s, e, 0, 0) for s, e in local])
        return "new", round(coverage, 4), ()


def compare(target: Analysis, reference: Analysis, settings: Settings) -> list[PassageResult]:
    """Status, matches and reused spans of every target passage with respect to the reference."""
    candidates = candidate_pairs(target, reference, settings)
    verifier = PassageVerifier(target, settings)
    results = []
    for i, passage in enumerate(target.passages):
        text = target.norm_text(i)
        matches: list[Match] = []
        local: list[tuple[int, int]] = []
        exact = False
        for j in sorted(candidates.get(i, ())):
            other = reference.passages[j]
            ref_text = reference.norm_text(j)
            same_key = target.keys[i] == reference.keys[j]
            exact |= same_key
            spans = verifier.spans(i, ref_text, same_key)
            if not spans:
                continue
            local.extend((s.start, s.end) for s in spans)
            score = 1.0 if same_key else similarity(text, ref_text)
            matches.append(
                Match(reference.document.id, j, other.start, other.end, score, verifier.in_document(i, spans))
            )
        status, coverage, spans_out = verifier.outcome(i, local, exact)
        matches.sort(key=lambda m: (-m.similarity, m.index))
        best = matches[0].similarity if matches else 0.0
        results.append(PassageResult(passage, status, best, coverage, tuple(matches), spans_out))
    return results
