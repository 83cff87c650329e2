"""`--against INDEX` for diff and scan: passages the index has seen, with how many documents hold them.

A passage the index has seen whole is `reused`, or `boilerplate` when at least `boilerplate_min_docs`
indexed documents hold it (a template or furniture line, not one earlier readout); a passage of
which the index holds some spans is `partial`. Kept apart from diff.py and scan.py: both take the
results they already produce and add what the index knows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reuse.commands.diff import DiffResult, summarize
from reuse.commands.scan import ScanResult
from reuse.index import open_index
from reuse.index.query import query_prepared
from reuse.index.store import Store, check_settings
from reuse.kinds import BOILERPLATE, NEW, PARTIAL, REUSED, AgainstStatus
from reuse.settings import BOILERPLATE_MIN_DOCS, Settings
from reuse.sketch.prepared import PreparedDocument
from reuse.verify.verifier import VerifiedPassage, count_statuses, merge_ranges


def index_status(known: VerifiedPassage, boilerplate_min_docs: int) -> str:
    if known.status == REUSED and known.documents >= boilerplate_min_docs:
        return BOILERPLATE
    return known.status


@dataclass(frozen=True)
class DiffAgainst:
    """A diff whose NEW was also checked against an index."""

    diff: DiffResult
    spec: str
    known: list[VerifiedPassage]
    boilerplate_min_docs: int

    @property
    def boilerplate(self) -> int:
        return sum(1 for p in self.diff.passages if p.status == BOILERPLATE)


def diff_against(result: DiffResult, store: Store, boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS) -> DiffAgainst:
    """The diff with NEW's statuses raised by what the index knows (never lowered)."""
    check_settings(store.spec, store.settings, result.settings)
    known = query_prepared(store, result.prepared[1]).passages
    passages = []
    for mine, theirs in zip(result.passages, known, strict=True):
        status = index_status(theirs, boilerplate_min_docs)
        final: AgainstStatus
        if status == BOILERPLATE:
            final = BOILERPLATE
        elif REUSED in (mine.status, status):
            final = REUSED
        elif PARTIAL in (mine.status, status):
            final = PARTIAL
        else:
            final = NEW
        spans: tuple[tuple[int, int], ...]
        if final in (REUSED, BOILERPLATE):
            spans = ((mine.passage.start, mine.passage.end),)
        else:
            spans = tuple(merge_ranges([*mine.spans, *theirs.spans]))
        passages.append(replace(mine, status=final, spans=spans, coverage=max(mine.coverage, theirs.coverage)))
    diff = replace(result, passages=passages, summary=summarize(passages, result.summary.dropped))
    return DiffAgainst(diff, store.spec, known, boilerplate_min_docs)


def diff_against_index(result: DiffResult, spec: str, boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS) -> DiffAgainst:
    """`diff --against`: diff_against with the index at spec, opened read-only for the look-up only."""
    with open_index(spec, "read") as store:
        return diff_against(result, store, boilerplate_min_docs)


@dataclass(frozen=True)
class DocumentAgainst:
    id: str
    passages: list[VerifiedPassage]
    boilerplate_min_docs: int

    def counts(self) -> dict[str, int]:
        statuses = [index_status(p, self.boilerplate_min_docs) for p in self.passages]
        return {s: statuses.count(s) for s in (REUSED, BOILERPLATE, PARTIAL)}

    def known_share(self) -> float:
        """The share of the document's passage characters the index holds: a query's reused share."""
        return count_statuses(self.passages).reused_share


def scan_against(
    documents: list[PreparedDocument],
    store: Store,
    settings: Settings,
    boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS,
) -> list[DocumentAgainst]:
    """For each scanned document (as the scan prepared it, with settings), its passages the index knows
    (its own stored copy ignored)."""
    check_settings(store.spec, store.settings, settings)
    return [
        DocumentAgainst(doc.id, query_prepared(store, doc).passages, boilerplate_min_docs)
        for doc in sorted(documents, key=lambda d: d.id)
    ]


def scan_against_index(
    result: ScanResult, spec: str, boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS
) -> list[DocumentAgainst]:
    """`scan --against`: each document of a finished scan looked up in the index at spec, opened read-only.

    The look-up is a stage of the scan's stopwatch, so that `--timings` shows it like the scan's own.
    """
    with open_index(spec, "read") as store:
        found = scan_against(result.prepared, store, result.settings, boilerplate_min_docs)
    result.stopwatch.lap("look up each document in the index")
    return found
