"""`--against INDEX` for diff and scan: passages the index has seen, with how many documents hold them.

A passage the index has seen whole is `reused`, or `boilerplate` when at least `boilerplate_min_docs`
indexed documents hold it (a template or furniture line, not one earlier readout); a passage of
which the index holds some spans is `partial`. Kept apart from diff.py and scan.py: both take the
results they already produce and add what the index knows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from reuse.commands.diff import DiffResult, summarize
from reuse.index.query import IndexPassage, query_analysis
from reuse.index.store import Store, check_settings
from reuse.load.document import Document
from reuse.sketch.analysis import analyze
from reuse.verify.matching import _union

BOILERPLATE_MIN_DOCS = 10
"""Indexed documents holding a passage from which on it counts as boilerplate (--boilerplate-min-docs)."""


def index_status(known: IndexPassage, boilerplate_min_docs: int) -> str:
    if known.status == "reused" and known.documents >= boilerplate_min_docs:
        return "boilerplate"
    return known.status


@dataclass(frozen=True)
class DiffAgainst:
    """A diff whose NEW was also checked against an index."""

    diff: DiffResult
    spec: str
    known: list[IndexPassage]
    boilerplate_min_docs: int

    @property
    def boilerplate(self) -> int:
        return sum(1 for p in self.diff.passages if p.status == "boilerplate")


def diff_against(result: DiffResult, store: Store, boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS) -> DiffAgainst:
    """The diff with NEW's statuses raised by what the index knows (never lowered)."""
    check_settings(store.spec, store.settings, result.settings)
    known = query_analysis(store, analyze(result.new, result.settings)).passages
    passages = []
    for mine, theirs in zip(result.passages, known, strict=True):
        status = index_status(theirs, boilerplate_min_docs)
        if status == "boilerplate":
            final = "boilerplate"
        elif "reused" in (mine.status, status):
            final = "reused"
        elif "partial" in (mine.status, status):
            final = "partial"
        else:
            final = "new"
        spans: tuple[tuple[int, int], ...]
        if final in ("reused", "boilerplate"):
            spans = ((mine.passage.start, mine.passage.end),)
        else:
            spans = tuple(_union([*mine.spans, *theirs.spans]))
        passages.append(replace(mine, status=final, spans=spans, coverage=max(mine.coverage, theirs.coverage)))
    diff = replace(result, passages=passages, summary=summarize(passages, result.summary.dropped))
    return DiffAgainst(diff, store.spec, known, boilerplate_min_docs)


@dataclass(frozen=True)
class DocumentAgainst:
    id: str
    passages: list[IndexPassage]
    boilerplate_min_docs: int

    def counts(self) -> dict[str, int]:
        statuses = [index_status(p, self.boilerplate_min_docs) for p in self.passages]
        return {s: statuses.count(s) for s in ("reused", "boilerplate", "partial")}

    def known_share(self) -> float:
        total = sum(p.passage.end - p.passage.start for p in self.passages)
        return round(sum(p.reused_chars for p in self.passages) / total, 4) if total else 0.0


def scan_against(
    documents: list[Document], store: Store, settings: Any, boilerplate_min_docs: int = BOILERPLATE_MIN_DOCS
) -> list[DocumentAgainst]:
    """For each scanned document, its passages the index knows (its own stored copy ignored)."""
    check_settings(store.spec, store.settings, settings)
    return [
        DocumentAgainst(doc.id, query_analysis(store, analyze(doc, settings)).passages, boilerplate_min_docs)
        for doc in sorted(documents, key=lambda d: d.id)
    ]
