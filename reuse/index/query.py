"""A readout against an index: every passage new, reused or partial, with the documents it was seen in.

Backend-independent: the readout is analyzed with the index's settings; its exact keys and LSH band
keys are looked up (a bounded number of passages per key, lowest ids first, so a boilerplate line
seen in a million documents costs what one seen in two does); the best candidates are fetched and
verified exactly as `reuse diff` verifies (verify.reused_spans); and how many documents hold each
match comes from the per-key document counts the index keeps, not from fetching them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reuse.index.store import Store, StoredDocument, StoredPassage, check_settings, prepare
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.analysis import Analysis, analyze
from reuse.text.segment import Passage
from reuse.verify.matching import PassageVerifier  # the diff's own verification, so statuses mean the same
from reuse.verify.spans import Span, similarity

BAND_CAP = 64
"""Passages fetched per LSH bucket: enough to find the closest ones, bounded whatever the index size."""
KEY_CAP = 16
"""Passages fetched per exact key (how many documents hold it is counted, not fetched)."""
MAX_CANDIDATES = 32
"""Candidates verified per passage: exact ones first, then by the number of bands they share."""
MAX_MATCHES = 10
"""Matches reported per passage (the best ones); `documents` still counts them all."""


@dataclass(frozen=True)
class IndexMatch:
    """An indexed passage that a passage of the readout reuses text from."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    similarity: float
    spans: tuple[tuple[int, int], ...]
    """Ranges of the readout reused from this passage."""
    documents: int
    """How many indexed documents hold a passage with this one's exact key."""


@dataclass(frozen=True)
class IndexPassage:
    passage: Passage
    status: str
    similarity: float
    coverage: float
    documents: int
    """How many indexed documents hold this passage or a passage it matches (at least; 0 when new)."""
    matches: tuple[IndexMatch, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def reused_chars(self) -> int:
        return sum(end - start for start, end in self.spans)


@dataclass(frozen=True)
class IndexQuery:
    document: Document
    passages: list[IndexPassage]

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for p in self.passages if p.status == s) for s in ("new", "reused", "partial")}

    def reused_share(self) -> float:
        total = sum(p.passage.end - p.passage.start for p in self.passages)
        return round(sum(p.reused_chars for p in self.passages) / total, 4) if total else 0.0


def query(
    store: Store,
    document: Document,
    settings: Settings | None = None,
    exclude_self: bool = True,
    max_matches: int = MAX_MATCHES,
) -> IndexQuery:
    """Check one document against the index; with exclude_self, its own stored copy (same id) is ignored."""
    if settings is not None:
        check_settings(store.spec, store.settings, settings)
    return query_analysis(store, analyze(document, store.settings), exclude_self, max_matches)


def query_analysis(
    store: Store, target: Analysis, exclude_self: bool = True, max_matches: int = MAX_MATCHES
) -> IndexQuery:
    settings = store.settings
    prepared = prepare(target)
    own = store.document(target.document.id) if exclude_self else None
    n = prepared.passages
    key_members = store.key_members(prepared.key_hashes, KEY_CAP + (own.passages if own else 0))
    wanted_bands = prepared.band_keys[prepared.usable].ravel().tolist()
    band_members = store.band_members(wanted_bands, BAND_CAP) if wanted_bands else {}

    band_rows = prepared.band_keys.tolist()
    ranked: list[list[int]] = []
    for i in range(n):
        score: dict[int, int] = {}
        for pid in key_members.get(prepared.key_hashes[i], ()):
            score[pid] = settings.bands + 1
        if prepared.usable[i]:
            for key in band_rows[i]:
                for pid in band_members.get(key, ()):
                    score[pid] = score.get(pid, 0) + 1
        if own is not None:
            score = {pid: s for pid, s in score.items() if not own.holds(pid)}
        ranked.append(sorted(score, key=lambda pid: (-score[pid], pid))[:MAX_CANDIDATES])
    stored = store.passages([pid for pids in ranked for pid in pids])
    documents = store.key_documents([p.key_hash for p in stored.values()])
    cache: _Cache = {}  # captions and boilerplate repeat: verify each pair of texts once
    results = [
        _verify(target, i, [stored[pid] for pid in ranked[i] if pid in stored], documents, own, max_matches, cache)
        for i in range(n)
    ]
    return IndexQuery(target.document, results)


_Cache = dict[tuple[str, str], list[Span]]


def _verify(
    target: Analysis,
    i: int,
    candidates: list[StoredPassage],
    documents: dict[int, int],
    own: StoredDocument | None,
    max_matches: int,
    cache: _Cache | None = None,
) -> IndexPassage:
    """The diff's verification (match.compare) of one passage against stored candidates."""
    verifier = PassageVerifier(target, target.settings, {} if cache is None else cache)
    passage = target.passages[i]
    text = target.norm_text(i)
    matches: list[IndexMatch] = []
    local: list[tuple[int, int]] = []
    exact = False
    for other in candidates:
        same_key = target.keys[i] == other.key
        exact |= same_key
        spans = verifier.spans(i, other.norm_text, same_key)
        if not spans:
            continue
        local.extend((s.start, s.end) for s in spans)
        score = 1.0 if same_key else similarity(text, other.norm_text)
        held = documents.get(other.key_hash, 0) - (1 if own is not None and other.key_hash in own.key_hashes else 0)
        in_doc = verifier.in_document(i, spans)
        matches.append(
            IndexMatch(other.doc, other.index, other.start, other.end, other.text, score, in_doc, max(held, 1))
        )
    status, coverage, spans_out = verifier.outcome(i, local, exact)
    matches.sort(key=lambda m: (-m.similarity, -m.documents, m.doc, m.index))
    held_by = max([len({m.doc for m in matches})] + [m.documents for m in matches])
    best = matches[0].similarity if matches else 0.0
    return IndexPassage(passage, status, best, coverage, held_by, tuple(matches[:max_matches]), spans_out)
