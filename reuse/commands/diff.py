"""`diff`: which passages of NEW are new, which reuse OLD (and from where), and what NEW dropped.

Candidates of a pair of documents come from three sources, none of them an all-pairs loop: equal
normalized text (exact keys, which also catch passages too short to shingle), LSH band collisions of
MinHash signatures (near-duplicate passages), and shared shingles (a formula or a template inside
otherwise different sentences). They are the diff's own search (an index query searches its store
instead), so they live here; verifying them is the one loop every command shares (verify.verifier).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from reuse.kinds import DROPPED, NEW
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.candidates import cross_pairs, lsh_cross_pairs, sorted_unique
from reuse.sketch.prepared import PreparedDocument, prepare
from reuse.verify.verifier import PassageVerifier, StatusCounts, VerifiedPassage, count_statuses


@dataclass(frozen=True)
class Summary(StatusCounts):
    dropped: int


@dataclass(frozen=True)
class DiffResult:
    old: Document
    new: Document
    settings: Settings
    passages: list[VerifiedPassage]
    dropped: list[VerifiedPassage]
    summary: Summary
    prepared: tuple[PreparedDocument, PreparedDocument] = field(repr=False, compare=False)
    """OLD and NEW as prepared: what --against looks NEW up with, rather than prepare it again."""


def candidate_pairs(target: PreparedDocument, reference: PreparedDocument, settings: Settings) -> np.ndarray:
    """(target passage, reference passage) pairs worth verifying, distinct and sorted, as an (n, 2) int64 array
    (a set per passage would cost a few hundred bytes each on a big document)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, key in enumerate(reference.keys()):
        by_key[key].append(j)
    exact_i: list[int] = []
    exact_j: list[int] = []
    for i, key in enumerate(target.keys()):
        found = by_key.get(key)
        if found:
            exact_i.extend([i] * len(found))
            exact_j.extend(found)
    del by_key
    exact = np.stack((np.array(exact_i, dtype=np.int64), np.array(exact_j, dtype=np.int64)), axis=1)

    lsh = lsh_cross_pairs(
        target.signatures(),
        target.passages_with_shingles(),
        reference.signatures(),
        reference.passages_with_shingles(),
        settings.bands,
        settings.rows,
    )
    mine, theirs = target.shingles(), reference.shingles()
    shared, counts = cross_pairs(
        mine.hashes,
        mine.passages,
        theirs.hashes,
        theirs.passages,
        # A shingle in many reference passages is a stop phrase: passages that really share text
        # share rarer shingles too.
        settings.max_shingle_group,
    )
    # A stretch long enough to count shares several distinct shingles; one common shingle alone
    # ("中俄关系", "the two sides") is what makes most pairs, so require two, or all a passage has.
    distinct = target.distinct_shingles()
    if shared.size:
        shared = shared[counts >= np.minimum(settings.min_shared_shingles, distinct[shared[:, 0]])]
    width = len(reference) + 1
    pairs = np.concatenate((exact, lsh, shared))
    codes = sorted_unique(pairs[:, 0] * width + pairs[:, 1])
    return np.stack((codes // width, codes % width), axis=1)


def compare(
    target: PreparedDocument, reference: PreparedDocument, settings: Settings, candidates: np.ndarray | None = None
) -> list[VerifiedPassage]:
    """Status, matches and reused spans of every target passage with respect to the reference."""
    if candidates is None:
        candidates = candidate_pairs(target, reference, settings)
    verifier = PassageVerifier(target, settings)
    passages, keys, norm_text = reference.passages(), reference.keys(), reference.norm_text
    bounds = np.searchsorted(candidates[:, 0], np.arange(len(target) + 1)).tolist()
    theirs = candidates[:, 1].tolist()
    return [
        verifier.verify(i, [(passages[j], keys[j], norm_text(j)) for j in theirs[bounds[i] : bounds[i + 1]]])
        for i in range(len(target))
    ]


def summarize(passages: list[VerifiedPassage], dropped: int) -> Summary:
    counts = count_statuses(passages)
    return Summary(counts.passages, counts.new, counts.reused, counts.partial, counts.reused_share, dropped)


def diff(old: Document, new: Document, settings: Settings | None = None) -> DiffResult:
    settings = settings or Settings()
    old_prepared = prepare(old, settings)
    new_prepared = prepare(new, settings)
    new_candidates = candidate_pairs(new_prepared, old_prepared, settings)
    old_candidates = candidate_pairs(old_prepared, new_prepared, settings)
    # Only the candidate search uses the signatures and shingles, and on a big document they hold more
    # than the text (a signature is 512 bytes a passage): asked for again, they are computed again.
    old_prepared.shed("_signatures", "_shingles")
    new_prepared.shed("_signatures", "_shingles")
    passages = compare(new_prepared, old_prepared, settings, new_candidates)
    del new_candidates
    dropped = [
        replace(result, status=DROPPED)
        for result in compare(old_prepared, new_prepared, settings, old_candidates)
        if result.status == NEW
    ]
    return DiffResult(
        old, new, settings, passages, dropped, summarize(passages, len(dropped)), (old_prepared, new_prepared)
    )
