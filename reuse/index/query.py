"""A readout against an index: every passage new, reused or partial, with the documents it was seen in.

Backend-independent: the readout is prepared with the index's settings; its exact keys and LSH band
keys are looked up (a bounded number of passages per key, lowest ids first, so a boilerplate line
seen in a million documents costs what one seen in two does); the best candidates are fetched and
verified by the loop `reuse diff` verifies with (verify.verifier); and how many documents hold each
match comes from the per-key document counts the index keeps, not from fetching them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reuse.index.store import Store, StoredDocument, StoredPassage, check_settings, index_entry
from reuse.kinds import Status
from reuse.load.document import Document
from reuse.settings import MAX_MATCHES, Settings
from reuse.sketch.prepared import PreparedDocument, prepare
from reuse.verify.verifier import PassageVerifier, StatusCounts, VerifiedPassage, count_statuses


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
    return query_prepared(store, prepare(document, store.settings), exclude_self, max_matches)


def query_prepared(
    store: Store, target: PreparedDocument, exclude_self: bool = True, max_matches: int = MAX_MATCHES
) -> IndexQuery:
    """query() of a document prepared already (with settings the index accepts): a scanned one is not prepared again."""
    settings = store.settings
    target = target.expanded()  # its passages, keys and signatures are asked for twice: keep them for this query
    entry = index_entry(target)
    own = store.document(target.document.id) if exclude_self else None
    n = entry.passages
    key_members = store.key_members(entry.key_hashes, settings.key_cap + (own.passages if own else 0))
    wanted_bands = entry.band_keys[entry.usable].ravel().tolist()
    band_members = store.band_members(wanted_bands, settings.band_cap) if wanted_bands else {}

    band_rows = entry.band_keys.tolist()
    ranked: list[list[int]] = []
    for i in range(n):
        score: dict[int, int] = {}
        for pid in key_members.get(entry.key_hashes[i], ()):
            score[pid] = settings.bands + 1
        if entry.usable[i]:
            for key in band_rows[i]:
                for pid in band_members.get(key, ()):
                    score[pid] = score.get(pid, 0) + 1
        if own is not None:
            score = {pid: s for pid, s in score.items() if not own.holds(pid)}
        ranked.append(sorted(score, key=lambda pid: (-score[pid], pid))[: settings.max_candidates])
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
