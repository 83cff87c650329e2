"""A readout against an index: every passage new, reused or partial, with the documents it was seen in.

Backend-independent: the readout is prepared with the index's settings; its exact keys and LSH band
keys are looked up (a bounded number of passages per key, lowest ids first, so a boilerplate line
seen in a million documents costs what one seen in two does); the best candidates are fetched and
verified by the loop `reuse diff` verifies with (verify.verifier); and how many documents hold each
match comes from the per-key document counts the index keeps, not from fetching them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reuse.index.store import Store, StoredDocument, StoredPassage, check_settings, index_entry
from reuse.kinds import Status
from reuse.load.document import Document
from reuse.settings import MAX_MATCHES, Settings
from reuse.sketch.candidates import sorted_unique
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
    key_hashes = entry.key_hashes.tolist()
    key_members = store.key_members(key_hashes, settings.key_cap + (own.passages if own else 0))
    # Each band key once, and a block of them at a time (each is looked up on its own, with its own
    # cap, so the answer is the same): a big readout has tens of millions, costly as Python lists.
    wanted_bands = sorted_unique(entry.band_keys[entry.usable].ravel())
    band_members: dict[int, list[int]] = {}
    for start in range(0, wanted_bands.size, _KEYS_BLOCK):
        band_members.update(store.band_members(wanted_bands[start : start + _KEYS_BLOCK].tolist(), settings.band_cap))
    del wanted_bands
    verifier = PassageVerifier(target, target.settings, keep_indexes=False)
    verified: list[VerifiedPassage] = []
    # Passages a block at a time: the stored candidates fetched for one block are let go before the
    # next, so that a big readout never holds the text of all its candidates at once.
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        ranked = [
            _ranked(
                key_hashes[i],
                entry.band_keys[i].tolist() if entry.usable[i] else (),
                key_members,
                band_members,
                own,
                settings,
            )
            for i in range(lo, hi)
        ]
        stored = store.passages([pid for pids in ranked for pid in pids])
        held = _documents_holding(store.key_documents([p.key_hash for p in stored.values()]), own)
        verified += [
            verifier.verify(
                i,
                [(p, p.key, p.norm_text) for p in (stored[pid] for pid in ranked[i - lo] if pid in stored)],
                held,
                max_matches,
            )
            for i in range(lo, hi)
        ]
    return IndexQuery(target.document, verified)


_BLOCK = 8192
"""Passages of a readout whose candidates are fetched and verified together."""
_KEYS_BLOCK = 1 << 16
"""Band keys looked up together."""


def _ranked(
    key_hash: int,
    band_keys: Iterable[int],
    key_members: dict[int, list[int]],
    band_members: dict[int, list[int]],
    own: StoredDocument | None,
    settings: Settings,
) -> list[int]:
    """The stored passages to verify one passage against: those with its exact key first, then by bands shared."""
    score: dict[int, int] = {}
    for pid in key_members.get(key_hash, ()):
        score[pid] = settings.bands + 1
    for key in band_keys:
        for pid in band_members.get(key, ()):
            score[pid] = score.get(pid, 0) + 1
    if own is not None:
        score = {pid: s for pid, s in score.items() if not own.holds(pid)}
    return sorted(score, key=lambda pid: (-score[pid], pid))[: settings.max_candidates]


def _documents_holding(documents: dict[int, int], own: StoredDocument | None) -> Callable[[StoredPassage], int]:
    """How many indexed documents hold a stored passage's exact key, the query's own stored copy not counted."""

    def held(other: StoredPassage) -> int:
        mine = 1 if own is not None and other.key_hash in own.key_hashes else 0
        return max(documents.get(other.key_hash, 0) - mine, 1)

    return held
