"""`diff`: which passages of NEW are new, which reuse OLD (and from where), and what NEW dropped.

Candidates of a pair of documents come from three sources, none of them an all-pairs loop: equal
normalized text (exact keys, which also catch passages too short to shingle), LSH band collisions of
MinHash signatures (near-duplicate passages), and shared shingles (a formula or a template inside
otherwise different sentences). They are the diff's own search (an index query searches its store
instead), so they live here; verifying them is the one loop every command shares (verify.verifier).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace

import numpy as np

from reuse.kinds import DROPPED, NEW
from reuse.load.document import Document
from reuse.runtime.memory import SetAside
from reuse.runtime.progress import Progress
from reuse.settings import Settings
from reuse.sketch.candidates import cross_codes, distinct_rows, join_codes, lsh_cross_codes
from reuse.sketch.prepared import PreparedDocument, prepare
from reuse.text.segment import Passage
from reuse.verify.results import FoundResults, PassageResults, found_nothing
from reuse.verify.verifier import PassageVerifier, StatusCounts, VerifiedPassage, count_statuses


@dataclass(frozen=True)
class Summary(StatusCounts):
    dropped: int


@dataclass(frozen=True)
class DiffResult:
    old: Document
    new: Document
    settings: Settings
    passages: Sequence[VerifiedPassage]
    dropped: Sequence[VerifiedPassage]
    """Both made when read, apart from the passages that found something (verify.results)."""
    summary: Summary
    prepared: tuple[PreparedDocument, PreparedDocument] = field(repr=False, compare=False)
    """OLD and NEW as prepared: what --against looks NEW up with, rather than prepare it again."""


_LET_GO = np.zeros((0, 0), dtype=np.int64)
"""In place of arrays a Searchable no longer needs (or that wait on disk)."""
SET_ASIDE_FROM = 200_000
"""Passages of OLD from which its search arrays wait on disk while NEW is prepared (about 100 MB of them)."""


@dataclass(frozen=True)
class Searchable:
    """What the candidate search asks of one document, computed once for both directions of a diff; the
    shingles and signatures it comes from are let go (on a big document they hold more than the text)."""

    band_keys: np.ndarray
    """(passages, bands) stable band keys of the signatures."""
    usable: np.ndarray
    """Passages with shingles: only they have a meaningful signature."""
    shingle_keys: np.ndarray
    """The distinct (shingle hash, passage) rows, sorted (candidates.distinct_rows): hashes, and passages."""
    shingle_ids: np.ndarray
    distinct: np.ndarray
    """How many different shingles each passage has."""


def searchable(document: PreparedDocument, settings: Settings) -> Searchable:
    usable = document.passages_with_shingles()
    band_keys = document.band_keys()
    shingles = document.shingles()
    keys, ids = distinct_rows(shingles.hashes, shingles.passages)
    del shingles
    document.shed("_shingles")
    return Searchable(band_keys, usable, keys, ids, np.bincount(ids, minlength=len(document)))


def candidate_codes(
    target: PreparedDocument,
    reference: PreparedDocument,
    settings: Settings,
    mine: Searchable | None = None,
    theirs: Searchable | None = None,
) -> np.ndarray:
    """The (target passage, reference passage) pairs worth verifying, distinct and sorted, each as one int64
    code target · width + reference, width = len(reference) + 1 (`pairs_of` makes rows of them): a set per
    passage would cost a few hundred bytes a pair on a big document, a row 16 bytes, a code 8. mine and
    theirs: the two documents' `searchable` forms, when computed already."""
    mine = mine or searchable(target, settings)
    theirs = theirs or searchable(reference, settings)
    return _distinct([symmetric_codes(target, reference, mine, theirs), *shared_codes(mine, theirs, settings)])


def symmetric_codes(
    target: PreparedDocument, reference: PreparedDocument, mine: Searchable, theirs: Searchable
) -> np.ndarray:
    """The candidates that are candidates both ways (`turned` gives the other way's): equal exact keys, and
    LSH collisions."""
    width = len(reference) + 1
    mine_keys, theirs_keys = target.key_hashes(), reference.key_hashes()
    # Keys that hash alike, joined by sorting: no string per passage is held. With 64 bits that is equal
    # keys; a pair whose keys merely collided (about 2⁻⁶⁴ a pair) would be verified as any other
    # candidate, since the verifier compares the keys themselves.
    equal = cross_codes(mine_keys, np.arange(mine_keys.size), theirs_keys, np.arange(theirs_keys.size), width)
    return np.concatenate((equal, lsh_cross_codes(mine.band_keys, mine.usable, theirs.band_keys, theirs.usable, width)))


def turned(codes: np.ndarray, target: PreparedDocument, reference: PreparedDocument) -> np.ndarray:
    """Codes of (target, reference) pairs as codes of the same pairs the other way round."""
    width = len(reference) + 1
    other = codes % width
    other *= len(target) + 1
    other += codes // width
    return other


def shared_codes(mine: Searchable, theirs: Searchable, settings: Settings) -> list[np.ndarray]:
    """Pairs sharing enough distinct shingles, which depends on the target side's passage: one way only.
    In blocks, sorted (join_codes)."""
    # A stretch long enough to count shares several distinct shingles; one common shingle alone
    # ("中俄关系", "the two sides") is what makes most pairs, so require two, or all a passage has.
    codes, _ = join_codes(
        mine.shingle_keys,
        mine.shingle_ids,
        theirs.shingle_keys,
        theirs.shingle_ids,
        theirs.distinct.size + 1,
        # A shingle in many reference passages is a stop phrase: passages that really share text
        # share rarer shingles too.
        settings.max_shingle_group,
        min_shared=np.minimum(settings.min_shared_shingles, mine.distinct),
    )
    return codes


def _distinct(parts: list[np.ndarray]) -> np.ndarray:
    """The sorted distinct codes of all parts, in one array and one copy of it (sorted in place)."""
    codes = np.concatenate(parts)
    parts.clear()
    codes.sort()
    if codes.size:
        codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return codes


def compare(
    target: PreparedDocument,
    reference: PreparedDocument,
    settings: Settings,
    candidates: np.ndarray | None = None,
    progress: Progress | None = None,
    links: bool = False,
) -> Sequence[VerifiedPassage]:
    """Status, matches and reused spans of every target passage with respect to the reference; links: each
    match's spans placed in the reference too (Match.links, for the HTML report)."""
    if candidates is None:
        candidates = candidate_codes(target, reference, settings)
    verifier = PassageVerifier(target, settings)
    progress = progress or Progress()

    def locate(source: Passage, start: int, end: int) -> tuple[int, int]:
        return reference.original_range(source.index, start, end)

    found = FoundResults()
    for i, candidates_of_i in enumerate(_candidates(target, reference, candidates)):
        result = verifier.verify(i, candidates_of_i, locate=locate if links else None)
        if not found_nothing(result):
            found.add(i, result)
        progress.advance()
    return PassageResults(target, found)


def unmatched(
    target: PreparedDocument,
    reference: PreparedDocument,
    settings: Settings,
    candidates: np.ndarray | None = None,
    progress: Progress | None = None,
) -> list[VerifiedPassage]:
    """The target passages that reuse nothing of the reference, as `compare` reports them (status new)."""
    return list(PassageResults(target, {}, NEW, unmatched_indexes(target, reference, settings, candidates, progress)))


def unmatched_indexes(
    target: PreparedDocument,
    reference: PreparedDocument,
    settings: Settings,
    candidates: np.ndarray | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """Which target passages reuse nothing of the reference: a passage's candidates are verified only up to
    the first it reuses."""
    if candidates is None:
        candidates = candidate_codes(target, reference, settings)
    verifier = PassageVerifier(target, settings)
    progress = progress or Progress()
    none: list[int] = []
    for i, candidates_of_i in enumerate(_candidates(target, reference, candidates)):
        if not verifier.reuses_any(i, candidates_of_i):
            none.append(i)
        progress.advance()
    return np.array(none, dtype=np.int64)


_PASSAGE_BLOCK = 4096
"""Target passages whose candidates are turned into Python integers at a time."""
CANDIDATES_KEPT = 200_000
"""Reference passages kept made (object, key, normalized text) while a diff verifies: candidates recur
(boilerplate, formulae), and one shared text per matched passage is what the old list of all gave."""


def _candidates(
    target: PreparedDocument, reference: PreparedDocument, candidates: np.ndarray
) -> Iterator[list[tuple[Passage, str, str]]]:
    """Each target passage's candidates in order, as the verifier takes them, each made when first needed
    and kept while CANDIDATES_KEPT others are (then all are let go, and made again when asked)."""
    width = len(reference) + 1
    bounds = np.searchsorted(candidates, np.arange(len(target) + 1, dtype=np.int64) * width)
    made: dict[int, tuple[Passage, str, str]] = {}
    theirs: list[int] = []
    first = 0  # the pair that theirs[0] is
    for i in range(len(target)):
        if i % _PASSAGE_BLOCK == 0:  # a block's pairs as Python integers: all of them would be 36 bytes a pair
            first, last = int(bounds[i]), int(bounds[min(i + _PASSAGE_BLOCK, len(target))])
            theirs = (candidates[first:last] % width).tolist()
        found = []
        for j in theirs[int(bounds[i]) - first : int(bounds[i + 1]) - first]:
            one = made.get(j)
            if one is None:
                if len(made) >= CANDIDATES_KEPT:
                    made.clear()
                one = made[j] = (reference.passage(j), reference.key(j), reference.norm_text(j))
            found.append(one)
        yield found


def summarize(passages: Sequence[VerifiedPassage], dropped: int) -> Summary:
    counts = count_statuses(passages)
    return Summary(counts.passages, counts.new, counts.reused, counts.partial, counts.reused_share, dropped)


def diff(
    old: Document,
    new: Document,
    settings: Settings | None = None,
    progress: Progress | None = None,
    links: bool = False,
) -> DiffResult:
    """progress: told of each stage, and of each passage verified (a diff of big documents takes minutes);
    links: where in OLD each span of NEW came from (Match.links, which the HTML report shows)."""
    settings = settings or Settings()
    progress = progress or Progress()
    progress.start("prepare OLD")
    old_prepared = prepare(old, settings)
    old_search = searchable(old_prepared, settings)
    aside = None
    waits: AbstractContextManager[None] = nullcontext()
    if len(old_prepared) >= SET_ASIDE_FROM:
        # While NEW is prepared (the diff's peak), OLD's search arrays and offset map wait on disk.
        aside = SetAside([old_search.band_keys, old_search.shingle_keys, old_search.shingle_ids])
        old_search = replace(old_search, band_keys=_LET_GO, shingle_keys=_LET_GO, shingle_ids=_LET_GO)
        waits = old_prepared.offset_map_on_disk()
    progress.start("prepare NEW")
    with waits:
        new_prepared = prepare(new, settings)
        new_search = searchable(new_prepared, settings)
    if aside is not None:
        bands, keys, ids = aside.back()
        old_search = replace(old_search, band_keys=bands, shingle_keys=keys, shingle_ids=ids)
    progress.start("find candidates")
    both_ways = symmetric_codes(new_prepared, old_prepared, new_search, old_search)
    # The band keys (256 bytes a passage) have served: the shingle joins go on without them.
    new_search, old_search = replace(new_search, band_keys=_LET_GO), replace(old_search, band_keys=_LET_GO)
    new_candidates = _distinct([both_ways, *shared_codes(new_search, old_search, settings)])
    both_ways = turned(both_ways, new_prepared, old_prepared)
    old_candidates = _distinct([both_ways, *shared_codes(old_search, new_search, settings)])
    del old_search, new_search, both_ways
    progress.start("verify NEW's passages", len(new_prepared))
    waiting = SetAside([old_candidates]) if len(old_candidates) >= SET_ASIDE_FROM else None
    if waiting is not None:
        del old_candidates  # on disk while NEW's passages are verified
    passages = compare(new_prepared, old_prepared, settings, new_candidates, progress, links)
    del new_candidates
    if waiting is not None:
        (old_candidates,) = waiting.back()
    progress.start("find OLD's dropped passages", len(old_prepared))
    dropped = PassageResults(
        old_prepared, {}, DROPPED, unmatched_indexes(old_prepared, new_prepared, settings, old_candidates, progress)
    )
    progress.done()
    return DiffResult(
        old, new, settings, passages, dropped, summarize(passages, len(dropped)), (old_prepared, new_prepared)
    )
