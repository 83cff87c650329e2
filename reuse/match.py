"""Matching: every passage of a target document against a reference document.

Candidates come from three sources, none of them an all-pairs loop: equal normalized text (exact
keys, which also catch passages too short to shingle), LSH band collisions of MinHash signatures
(near-duplicate passages), and shared shingles (a formula or a template inside otherwise different
sentences). rapidfuzz then verifies each candidate and locates the reused spans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .analysis import Analysis
from .candidates import cross_pairs, lsh_cross_pairs
from .segment import Passage
from .settings import Settings
from .verify import QgramIndex, Span, qgram_index, reused_spans, seed_length, similarity

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


def compare(target: Analysis, reference: Analysis, settings: Settings) -> list[PassageResult]:
    """Status, matches and reused spans of every target passage with respect to the reference."""
    candidates = candidate_pairs(target, reference, settings)
    # Captions and boilerplate repeat: verify each distinct pair of texts once.
    verified: dict[tuple[str, str], list[Span]] = {}
    indexes: dict[str, QgramIndex] = {}
    seed = seed_length(settings.min_span, settings.min_whole)
    results = []
    for i, passage in enumerate(target.passages):
        text = target.norm_text(i)
        lo = target.ranges[i][0]
        matches: list[Match] = []
        local: list[tuple[int, int]] = []
        exact = False
        for j in sorted(candidates.get(i, ())):
            other = reference.passages[j]
            ref_text = reference.norm_text(j)
            if target.keys[i] == reference.keys[j]:
                spans = [Span(0, len(text), 0, len(ref_text))]
                exact = True
            else:
                key = (text, ref_text)
                if key not in verified:
                    if ref_text not in indexes:
                        indexes[ref_text] = qgram_index(ref_text, seed)
                    verified[key] = reused_spans(
                        text, ref_text, settings.min_span, settings.min_whole, settings.max_gap, indexes[ref_text]
                    )
                spans = verified[key]
            if not spans:
                continue
            local.extend((s.start, s.end) for s in spans)
            in_doc = _union([_to_original(target, lo, s) for s in spans])
            score = 1.0 if target.keys[i] == reference.keys[j] else similarity(text, ref_text)
            matches.append(Match(reference.document.id, j, other.start, other.end, score, tuple(in_doc)))
        local = _union(local)
        total = len(text) - text.count(" ")
        coverage = 1.0 if exact else (_covered(text, local) / total if total else 0.0)
        if exact or coverage >= settings.reused_coverage:
            status = "reused"
            spans_out: tuple[tuple[int, int], ...] = ((passage.start, passage.end),)
        elif local:
            status = "partial"
            spans_out = tuple(_union([_to_original(target, lo, Span(s, e, 0, 0)) for s, e in local]))
        else:
            status = "new"
            spans_out = ()
        matches.sort(key=lambda m: (-m.similarity, m.index))
        best = matches[0].similarity if matches else 0.0
        results.append(PassageResult(passage, status, best, round(coverage, 4), tuple(matches), spans_out))
    return results


def _to_original(analysis: Analysis, lo: int, span: Span) -> tuple[int, int]:
    return analysis.normalized.to_original(lo + span.start, lo + span.end)
