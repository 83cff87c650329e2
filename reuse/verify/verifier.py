"""Verification: every passage of a target against the candidates found for it, one loop for all.

`reuse diff` (candidates from the other document) and `reuse index query` (candidates fetched from an
index) both verify here, so that a status, a coverage and a match mean the same in every report.
rapidfuzz verifies each candidate and locates the reused spans (spans.py); the passage's status
follows from how much of it the spans cover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from reuse.kinds import NEW, PARTIAL, REUSED, STATUSES, ReportedStatus, Status
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument
from reuse.text.segment import Passage
from reuse.verify.spans import QgramIndex, Span, could_reuse, qgram_index, reused_spans, seed_length, similarity

Ranges = tuple[tuple[int, int], ...]

# The verifier's caches are emptied when they outgrow these, so that a big document's passages do
# not keep every pair and every q-gram index to the end. Emptied, not evicted one by one, so that a
# hit costs no bookkeeping; a pair verified again gives the same spans. The budgets let a 1,000,000
# character diff (scripts/bench_diff.py: 39 M units of pairs, 0.26 M characters of indexes) keep all.
VERIFIED_BUDGET = 48_000_000
"""Units of the verified pairs: their characters, plus PAIR_OVERHEAD a pair (about 120 MB in all)."""
PAIR_OVERHEAD = 192
"""A pair's tuple, dict entry and spans, in characters (of two bytes)."""
INDEX_BUDGET = 1_000_000
"""Characters of the reference texts whose q-gram indexes are kept (about 150 bytes a character)."""


K = TypeVar("K")
V = TypeVar("V")


class _Budgeted(Generic[K, V]):
    """A dict emptied whenever what it holds outgrows a budget (see VERIFIED_BUDGET, INDEX_BUDGET)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.items: dict[K, V] = {}
        self.held = 0

    def get(self, key: K) -> V | None:
        return self.items.get(key)

    def put(self, key: K, value: V, cost: int) -> V:
        if self.held > self.budget:
            self.items.clear()
            self.held = 0
        self.items[key] = value
        self.held += cost
        return value


class Source(Protocol):
    """Where a candidate passage is: a passage of the other document (diff), or one an index gave back."""

    @property
    def doc(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


S = TypeVar("S", bound=Source)

Candidate = tuple[S, str, str]
"""A passage to verify against: where it is, its exact-match key and its normalized text."""


Link = tuple[int, int, int, int]
Locate = Callable[[S, int, int], tuple[int, int]]
"""The original range of a source's document that [start:end] of its normalized passage text stands for."""


@dataclass(frozen=True, slots=True)
class Match:
    """A passage that a target passage reuses text from."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    similarity: float
    spans: Ranges
    """Ranges of the target document reused from this passage."""
    documents: int = 1
    """How many documents hold a passage with this one's exact key (an index counts them; a diff has one)."""
    links: tuple[Link, ...] = ()
    """Each reused stretch as (target start, target end, source start, source end), in original offsets of
    the two documents, not merged: which text of the source each span came from (the HTML diff links
    them). Only when asked for (verify's locate): they cost a tuple a span, and only a page shows them."""


@dataclass(frozen=True, slots=True)
class VerifiedPassage:
    """A target passage after verification: its status, its matches and the ranges it reuses."""

    passage: Passage
    status: ReportedStatus
    similarity: float
    """rapidfuzz similarity (0–1) of the normalized passage to its closest match."""
    coverage: float
    """Share of the passage's normalized characters inside reused spans."""
    documents: int
    """How many documents hold this passage or a passage it matches (at least; 0 when new)."""
    matches: tuple[Match, ...]
    spans: Ranges
    """Reused ranges, in offsets of the target document; the whole passage when reused."""

    @property
    def reused_chars(self) -> int:
        return sum(end - start for start, end in self.spans)


@dataclass(frozen=True)
class StatusCounts:
    """How many passages have each status, and how much of their text is reused."""

    passages: int
    new: int
    reused: int
    partial: int
    reused_share: float
    """Share of the passages' characters that lie in reused spans."""

    def by_status(self) -> dict[Status, int]:
        return {NEW: self.new, REUSED: self.reused, PARTIAL: self.partial}


def count_statuses(passages: Sequence[VerifiedPassage]) -> StatusCounts:
    """The counts of a diff's or an index query's passages; statuses raised beyond these (--against's
    boilerplate, a diff's dropped) count in none of them."""
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    total = reused = 0
    for p in passages:  # once: a big diff's results are read back from disk (verify.results)
        if p.status in counts:
            counts[p.status] += 1
        total += p.passage.end - p.passage.start
        reused += p.reused_chars
    return StatusCounts(
        passages=len(passages),
        new=counts[NEW],
        reused=counts[REUSED],
        partial=counts[PARTIAL],
        reused_share=round(reused / total, 4) if total else 0.0,
    )


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges merged into one, in order."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _covered(text: str, ranges: list[tuple[int, int]]) -> int:
    return sum(end - start - text.count(" ", start, end) for start, end in ranges)


def _match_order(m: Match) -> tuple[float, int, str, int]:
    # Closest first; among equals, the most widely held, then a stable order by place.
    return (-m.similarity, -m.documents, m.doc, m.index)


@dataclass
class PassageVerifier:
    """The verification of one target's passages. Captions and boilerplate repeat: each distinct
    pair of texts is verified once."""

    target: PreparedDocument
    settings: Settings
    keep_indexes: bool = True
    """Keep each reference text's q-gram index: a diff's references are one document's passages, each
    verified against many target passages; an index query's are stored passages by the thousand, each
    seen about once, whose indexes would only hold memory."""
    # Budgets read when the verifier is made, so that a test can shrink them.
    verified: _Budgeted[tuple[str, str], list[Span]] = field(default_factory=lambda: _Budgeted(VERIFIED_BUDGET))
    indexes: _Budgeted[str, QgramIndex] = field(default_factory=lambda: _Budgeted(INDEX_BUDGET))
    _current: tuple[int, str, str] = (-1, "", "")
    """The passage being verified: its index, normalized text and key (asked for once per candidate)."""

    def text_and_key(self, i: int) -> tuple[str, str]:
        """Normalized text and exact-match key of target passage i, made once while i is verified."""
        if self._current[0] != i:
            self._current = (i, self.target.norm_text(i), self.target.key(i))
        return self._current[1], self._current[2]

    def spans(self, i: int, ref_text: str, same_key: bool) -> list[Span]:
        """Reused spans of passage i in ref_text (normalized), the whole passage when the keys are equal."""
        text, _ = self.text_and_key(i)
        if same_key:
            return [Span(0, len(text), 0, len(ref_text))]
        if not could_reuse(text, ref_text, self.settings):
            return []
        pair = (text, ref_text)
        found = self.verified.get(pair)
        if found is None:
            s = self.settings
            index = None
            if self.keep_indexes:
                index = self.indexes.get(ref_text)
                if index is None:
                    index = self.indexes.put(ref_text, qgram_index(ref_text, seed_length(s)), len(ref_text))
            found = reused_spans(text, ref_text, s, index)
            self.verified.put(pair, found, len(text) + len(ref_text) + PAIR_OVERHEAD)
        return found

    def in_document(self, i: int, spans: list[Span]) -> Ranges:
        """The spans as ranges of the target's original text, inside passage i."""
        return tuple(merge_ranges([self.target.original_range(i, span.start, span.end) for span in spans]))

    def links(self, i: int, spans: list[Span], locate: Locate[S], source: S) -> tuple[Link, ...]:
        """Each span as (target range, source range), original offsets (Match.links)."""
        return tuple(
            (*self.target.original_range(i, span.start, span.end), *locate(source, span.ref_start, span.ref_end))
            for span in spans
        )

    def outcome(self, i: int, local: list[tuple[int, int]], exact: bool) -> tuple[Status, float, Ranges]:
        """Status, coverage and reused ranges (original offsets) of passage i, from the normalized
        ranges its matches cover."""
        text, _ = self.text_and_key(i)
        local = merge_ranges(local)
        total = len(text) - text.count(" ")
        coverage = 1.0 if exact else (_covered(text, local) / total if total else 0.0)
        if exact or coverage >= self.settings.reused_coverage:
            return REUSED, round(coverage, 4), ((self.target.starts.item(i), self.target.ends.item(i)),)
        if local:
            return PARTIAL, round(coverage, 4), self.in_document(i, [Span(s, e, 0, 0) for s, e in local])
        return NEW, round(coverage, 4), ()

    def reuses_any(self, i: int, candidates: Iterable[Candidate[S]]) -> bool:
        """Whether passage i reuses text from any candidate: what `verify` would not call new, found
        without verifying the candidates after the first that it reuses (a diff's dropped passages)."""
        _, key = self.text_and_key(i)
        return any(self.spans(i, ref_text, key == ref_key) for _, ref_key, ref_text in candidates)

    def verify(
        self,
        i: int,
        candidates: Iterable[Candidate[S]],
        documents: Callable[[S], int] | None = None,
        max_matches: int | None = None,
        locate: Locate[S] | None = None,
    ) -> VerifiedPassage:
        """Passage i verified against its candidates, in the order given.

        documents says how many documents hold a candidate's exact key (one when not given); the
        best max_matches matches are kept (all when None), but the passage's `documents` counts them all.
        locate places a span inside its source: given, each match has its links (see Match.links).
        """
        text, key = self.text_and_key(i)
        matches: list[Match] = []
        local: list[tuple[int, int]] = []
        exact = False
        for source, ref_key, ref_text in candidates:
            same_key = key == ref_key
            exact |= same_key
            spans = self.spans(i, ref_text, same_key)
            if not spans:
                continue
            local.extend((s.start, s.end) for s in spans)
            score = 1.0 if same_key else similarity(text, ref_text)
            held = 1 if documents is None else documents(source)
            matches.append(
                Match(
                    source.doc,
                    source.index,
                    source.start,
                    source.end,
                    source.text,
                    score,
                    self.in_document(i, spans),
                    held,
                    self.links(i, spans, locate, source) if locate else (),
                )
            )
        status, coverage, spans_out = self.outcome(i, local, exact)
        matches.sort(key=_match_order)
        held_by = max([len({m.doc for m in matches})] + [m.documents for m in matches])
        best = matches[0].similarity if matches else 0.0
        return VerifiedPassage(
            self.target.passage(i), status, best, coverage, held_by, tuple(matches[:max_matches]), spans_out
        )
