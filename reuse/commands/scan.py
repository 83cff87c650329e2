"""`scan`: families of reuse across a corpus, and what share of each document they explain."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reuse.group.classify import common_threshold
from reuse.group.context import Flip, context_families, context_flips, context_ranges
from reuse.group.copies import find_copies
from reuse.group.families import Family, FamilyFinder, describe_texts, number
from reuse.group.members import Member
from reuse.kinds import BOILERPLATE, KINDS, NEW, REPEAT, REUSED
from reuse.load.corpus import Corpus, Skipped
from reuse.load.document import Document
from reuse.runtime.gc_pause import no_cyclic_gc
from reuse.runtime.parallel import default_jobs, parallel_map, shared
from reuse.runtime.stopwatch import Stopwatch
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument, prepare

SHARE_KINDS: tuple[str, ...] = (*KINDS, NEW)


@dataclass
class DocumentReport:
    id: str
    chars: int
    passages: int
    encoding: str
    passage_chars: int
    shares: dict[str, float]
    intervals: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """Character ranges of the document explained by each kind (repeats: every copy but the first)."""


@dataclass
class ScanResult:
    settings: Settings
    documents: list[DocumentReport]
    families: list[Family]
    skipped: list[Skipped]
    prepared: list[PreparedDocument]
    """Every document as prepared, compact, in the order of `documents`: what audit, clean and
    --against read, so that none prepares a document again."""
    stopwatch: Stopwatch = field(default_factory=Stopwatch)
    """Wall time of each stage (not part of any report: it varies from run to run)."""

    @property
    def scanned(self) -> list[PreparedDocument]:
        """The name `prepared` had before one preparation served every command; kept for library users."""
        return self.prepared

    def summary(self) -> dict[str, object]:
        total = sum(d.passage_chars for d in self.documents)
        shares = {
            kind: round(sum(d.shares[kind] * d.passage_chars for d in self.documents) / total, 4) if total else 0.0
            for kind in SHARE_KINDS
        }
        return {
            "documents": len(self.documents),
            "passages": sum(d.passages for d in self.documents),
            "characters": sum(d.chars for d in self.documents),
            "families": {kind: sum(1 for f in self.families if f.kind == kind) for kind in KINDS},
            "shares": shares,
            "skipped": len(self.skipped),
        }


def removals(families: list[Family]) -> dict[str, list[tuple[Member, Family]]]:
    """Members each kind explains, by document: all of them, except the first copy of a repeat."""
    out: dict[str, list[tuple[Member, Family]]] = {}
    for family in families:
        members, at = family.members, _explaining(family)
        for member in members if at is None else (members[i] for i in at):
            out.setdefault(member.doc, []).append((member, family))
    return out


def _explaining(family: Family) -> list[int] | None:
    """The places of the members that explain text (every copy of a repeat but the first in each document),
    or None when all of them do."""
    if family.kind != REPEAT:
        return None
    docs = family.members.docs
    return [i for i in range(1, len(docs)) if docs[i] == docs[i - 1]]  # sorted: a document's first opens its run


def _covered(length: int, ranges: list[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Which of length characters lie in any of the [start, end) ranges.

    The ranges are merged first, so that a byte a character marks where each merged range opens and
    closes: counting every range's ends took three 8-byte arrays as long as the text."""
    bounds = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
    bounds = bounds[bounds[:, 0] < bounds[:, 1]]
    if bounds.size == 0:
        return np.zeros(length, dtype=bool)
    bounds = bounds[np.argsort(bounds[:, 0], kind="stable")]
    reach = np.maximum.accumulate(bounds[:, 1])
    opens = np.flatnonzero(np.concatenate(([True], bounds[1:, 0] > reach[:-1])))
    edges = np.zeros(length + 1, dtype=np.int8)
    edges[bounds[opens, 0]] = 1
    edges[np.append(reach[opens[1:] - 1], reach[-1])] = -1  # a merged range closes before the next opens
    return np.cumsum(edges[:length], dtype=np.int8) > 0


def explained_columns(family: Family) -> tuple[list[str], np.ndarray]:
    """The members of a family that explain text, as `removals` counts them (every copy of a repeat but the
    first in each document): their document ids, and their (start, end) as rows."""
    docs, rows, at = family.members.docs, family.members.rows[:, 1:], _explaining(family)
    return (docs, rows) if at is None else ([docs[i] for i in at], rows[at])


FEW = "reused in few documents"
"""The ranges of reused families in fewer documents than furniture is in (classify.common_threshold):
counted as reused, and the lines that context may still make furniture (group.context)."""
EXPLAINING: tuple[str, ...] = (*KINDS, FEW)
"""The keys of explained_ranges' entries: the kinds, and FEW."""


def explaining(family: Family, n_docs: int, settings: Settings) -> str:
    """Under which key of EXPLAINING a family's members are explained ranges."""
    if family.kind == REUSED and family.documents < common_threshold(n_docs, settings):
        return FEW
    return family.kind


def explained_ranges(
    families: list[Family], n_docs: int, settings: Settings
) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """Per document and kind (EXPLAINING), the ranges that `removals` gives (every copy of a repeat but the
    first)."""
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for family in families:
        kind = explaining(family, n_docs, settings)
        docs, rows = explained_columns(family)
        for doc, (start, end) in zip(docs, rows.tolist()):
            by_kind = out.get(doc)
            if by_kind is None:
                by_kind = out[doc] = {k: [] for k in EXPLAINING}
            by_kind[kind].append((start, end))
    return out


def ranges_by_kind(rows: np.ndarray) -> dict[str, list[tuple[int, int]]]:
    """explained_ranges' entry of one document from its rows of (key's place in EXPLAINING, start, end)."""
    by_kind: dict[str, list[tuple[int, int]]] = {k: [] for k in EXPLAINING}
    for kind, start, end in rows.tolist():
        by_kind[EXPLAINING[kind]].append((start, end))
    return by_kind


def report_in_context(
    doc: PreparedDocument, by_kind: dict[str, list[tuple[int, int]]] | None, settings: Settings
) -> tuple[DocumentReport, list[Flip]]:
    """The document's report once context has had its say (group.context), and the lines it made furniture."""
    flips = context_flips(doc, by_kind[BOILERPLATE] if by_kind else [], by_kind[FEW] if by_kind else [], settings)
    if flips:
        by_kind = {k: list(v) for k, v in by_kind.items()} if by_kind else {k: [] for k in EXPLAINING}
        by_kind[BOILERPLATE] += context_ranges(flips)
    return document_report(doc, by_kind), flips


def document_report(doc: PreparedDocument, by_kind: dict[str, list[tuple[int, int]]] | None) -> DocumentReport:
    length = len(doc.text)
    in_passage = _covered(length, np.stack([doc.starts, doc.ends], axis=1))
    claimed = ~in_passage  # characters outside passages are nobody's
    shares: dict[str, float] = {}
    intervals: dict[str, list[tuple[int, int]]] = {}
    total = int(in_passage.sum())
    for kind in KINDS:  # in order of precedence: a character counts once, for the first kind
        ranges = sorted(by_kind[kind] + by_kind[FEW] if kind == REUSED else by_kind[kind]) if by_kind else []
        mask = _covered(length, ranges) & ~claimed if ranges else np.zeros(length, dtype=bool)
        claimed |= mask
        shares[kind] = round(int(mask.sum()) / total, 4) if total else 0.0
        intervals[kind] = ranges
    shares["new"] = round(1.0 - sum(shares.values()), 4) if total else 0.0
    return DocumentReport(doc.id, length, len(doc), doc.document.encoding, total, shares, intervals)


_NO_DOCUMENT = Document("", "", "")


def _scan_one(index: int) -> tuple[PreparedDocument, np.ndarray, np.ndarray]:
    """A document prepared and compacted, its distinct shingle hashes (sorted) for document frequencies, and
    its MinHash for near-duplicate documents."""
    documents, settings, for_audit = shared()
    prepared = prepare(documents[index], settings)
    distinct = prepared.shingles().distinct_hashes()
    signature = prepared.document_signature(settings.near_candidate_values)
    if for_audit:
        prepared.facts()  # computed here, in parallel, and kept through compact()
    # The text goes back to the parent, which has it already: send a placeholder instead.
    return prepared.compact(_NO_DOCUMENT), distinct, signature


def frequent_hashes(per_document: list[np.ndarray]) -> np.ndarray:
    """Sorted hashes found in two documents or more, from each document's distinct hashes (or from
    sorted runs of such arrays, which a stable sort merges quickly)."""
    if not per_document:
        return np.zeros(0, dtype=np.uint32)
    merged = np.concatenate(per_document)
    merged.sort(kind="stable")
    repeated = merged[1:][merged[1:] == merged[:-1]]  # sorted already: drop neighbours, no second sort
    return repeated[np.concatenate(([True], repeated[1:] != repeated[:-1]))] if repeated.size else repeated


_RUN = 1 << 22
"""Distinct hashes gathered before they are sorted into a run, while workers analyse later documents."""


def scan(
    corpus: Corpus,
    settings: Settings | None = None,
    jobs: int | None = None,
    for_audit: bool = False,
    stopwatch: Stopwatch | None = None,
) -> ScanResult:
    """Families of a corpus and each document's shares; the same whatever `jobs` (processes) is.

    for_audit: also what `audit` needs of each document (its MinHash, its script counts).
    """
    with no_cyclic_gc():
        return _scan(corpus, settings or Settings(), default_jobs() if jobs is None else jobs, for_audit, stopwatch)


def _scan(corpus: Corpus, settings: Settings, jobs: int, for_audit: bool, stopwatch: Stopwatch | None) -> ScanResult:
    stopwatch = stopwatch or Stopwatch()
    documents = sorted(corpus.documents, key=lambda d: d.id)
    # No more processes than documents: one big document is analysed here, not copied to a worker and back.
    jobs = max(1, min(jobs, len(documents)))
    prepared: list[PreparedDocument] = []
    finder = FamilyFinder(settings)
    runs: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    pending_size = 0
    state = (documents, settings, for_audit)
    stopwatch.progress.start("documents", len(documents))
    # The parent builds first-level units and sorts runs of hashes while the workers go on.
    signatures = np.zeros((len(documents), settings.near_candidate_values), dtype=np.uint32)
    for d, (document, (sd, distinct, signature)) in enumerate(
        zip(documents, parallel_map(_scan_one, range(len(documents)), jobs, state))
    ):
        signatures[d] = signature
        stopwatch.progress.advance()
        sd = sd.with_document(document)
        prepared.append(sd)
        finder.add(sd)
        pending.append(distinct)
        pending_size += distinct.size
        if pending_size >= _RUN:
            runs.append(np.sort(np.concatenate(pending), kind="stable"))  # merges the sorted arrays
            pending, pending_size = [], 0
    stopwatch.lap(f"documents: normalize, segment, shingle ({jobs} processes)")
    frequent = frequent_hashes(runs + pending)
    del runs, pending
    stopwatch.lap("shingle document frequencies")
    usable = np.array([sd.has_shingles for sd in prepared], dtype=bool)
    copies = find_copies(
        [sd.id for sd in prepared],
        signatures,
        usable,
        lambda docs: np.stack([prepared[d].document_signature() for d in docs]),
        settings,
    )
    del signatures
    stopwatch.lap("near-duplicate documents")
    families = finder.finish(frequent, jobs, stopwatch, copies)
    explained = explained_ranges(families, len(prepared), settings)
    flips: dict[str, list[Flip]] = {}
    reports = []
    for sd in prepared:
        report, flips[sd.id] = report_in_context(sd, explained.get(sd.id), settings)
        reports.append(report)
    found = context_families(flips)
    if found:
        texts = {sd.id: sd.text for sd in prepared}
        describe_texts(found, lambda m: texts[m.doc][m.start : m.end], settings)
        families += found
        number(families)
    stopwatch.lap("per-document shares")
    return ScanResult(settings, reports, families, list(corpus.skipped), prepared, stopwatch)
