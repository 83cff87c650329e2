"""A readout against an index: every passage new, reused or partial, with the documents it was seen in.

Backend-independent: the readout is analyzed with the index's settings; its exact keys and LSH band
keys are looked up (a bounded number of passages per key, lowest ids first, so a boilerplate line
seen in a million documents costs what one seen in two does); the best candidates are fetched and
verified by the loop `reuse diff` verifies with (verify.verifier); and how many documents hold each
match comes from the per-key document counts the index keeps, not from fetching them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reuse.index.store import Store, StoredDocument, StoredPassage, check_settings, prepare
from reuse.kinds import Status
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.analysis import Analysis, analyze
from reuse.verify.verifier import PassageVerifier, StatusCounts, VerifiedPassage, count_statuses

BAND_CAP = 64
"""Passages fetched per LSH bucket: enough to find the closest ones, bounded whatever the index size."""
KEY_CAP = 16
"""Passages fetched per exact key (how many documents hold it is counted, not fetched)."""
MAX_CANDIDATES = 32
"""Candidates verified per passage: exact ones first, then by the number of bands they share."""
MAX_MATCHES = 10
"""Matches reported per passage (the best ones); `documents` still counts them all."""

"""The name the --against modules still use for a verified passage of a query."""


@dataclass(frozen=True)
class IndexQuery:
    document: Document
    passages: list[VerifiedPassage]

    def summary(self) -> StatusCounts:
        return count_statuses(self.passages)

    def counts(self) -> dict[Status, int]:
        return self.summary().by_status()

    def reused_share(self) -> float:
        return self.summary().reused_share


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
    verifier = PassageVerifier(target, target.settings, keep_indexes=False)
    held = _documents_holding(documents, own)
    return IndexQuery(
        target.document,
        [
            verifier.verify(
                i,
                [(p, p.key, p.norm_text) for p in (stored[pid] for pid in ranked[i] if pid in stored)],
                held,
                max_matches,
            )
            for i in range(n)
        ],
    )


def _documents_holding(documents: dict[int, int], own: StoredDocument | None) -> Callable[[StoredPassage], int]:
    """How many indexed documents hold a stored passage's exact key, the query's own stored copy not counted."""

    def held(other: StoredPassage) -> int:
        mine = 1 if own is not None and other.key_hash in own.key_hashes else 0
        return max(documents.get(other.key_hash, 0) - mine, 1)

    return held
