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
from reuse.sketch.candidates import cross_pairs, lsh_cross_pairs
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


def candidate_pairs(target: PreparedDocument, reference: PreparedDocument, settings: Settings) -> dict[int, set[int]]:
    """For each target passage, the reference passages worth verifying."""
    found: dict[int, set[int]] = defaultdict(set)
    by_key: dict[str, list[int]] = defaultdict(list)
    for j, key in enumerate(reference.keys()):
        by_key[key].append(j)
    for i, key in enumerate(target.keys()):
        found[i].update(by_key.get(key, ()))

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
    for i, j in np.concatenate((lsh, shared)).tolist():
        found[i].add(j)
    return found


def compare(target: PreparedDocument, reference: PreparedDocument, settings: Settings) -> list[VerifiedPassage]:
    """Status, matches and reused spans of every target passage with respect to the reference."""
    candidates = candidate_pairs(target, reference, settings)
    verifier = PassageVerifier(target, settings)
    passages, keys, norm_text = reference.passages(), reference.keys(), reference.norm_text
    return [
        verifier.verify(i, [(passages[j], keys[j], norm_text(j)) for j in sorted(candidates.get(i, ()))])
        for i in range(len(target))
    ]


def summarize(passages: list[VerifiedPassage], dropped: int) -> Summary:
    counts = count_statuses(passages)
    return Summary(counts.passages, counts.new, counts.reused, counts.partial, counts.reused_share, dropped)


def diff(old: Document, new: Document, settings: Settings | None = None) -> DiffResult:
    settings = settings or Settings()
    old_prepared = prepare(old, settings)
    new_prepared = prepare(new, settings)
    passages = compare(new_prepared, old_prepared, settings)
    dropped = [
        replace(result, status=DROPPED)
        for result in compare(old_prepared, new_prepared, settings)
        if result.status == NEW
    ]
    return DiffResult(
        old, new, settings, passages, dropped, summarize(passages, len(dropped)), (old_prepared, new_prepared)
    )
