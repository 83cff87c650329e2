"""`diff`: which passages of NEW are new, which reuse OLD (and from where), and what NEW dropped."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.analysis import analyze
from reuse.verify.matching import PassageResult, compare


@dataclass(frozen=True)
class Summary:
    passages: int
    new: int
    reused: int
    partial: int
    reused_share: float
    """Share of NEW's passage characters that lie in reused spans."""
    dropped: int


@dataclass(frozen=True)
class DiffResult:
    old: Document
    new: Document
    settings: Settings
    passages: list[PassageResult]
    dropped: list[PassageResult]
    summary: Summary


def summarize(passages: list[PassageResult], dropped: int) -> Summary:
    counts = {status: sum(1 for p in passages if p.status == status) for status in ("new", "reused", "partial")}
    total = sum(p.passage.end - p.passage.start for p in passages)
    reused = sum(p.reused_chars for p in passages)
    return Summary(
        passages=len(passages),
        new=counts["new"],
        reused=counts["reused"],
        partial=counts["partial"],
        reused_share=round(reused / total, 4) if total else 0.0,
        dropped=dropped,
    )


def diff(old: Document, new: Document, settings: Settings | None = None) -> DiffResult:
    settings = settings or Settings()
    old_analysis = analyze(old, settings)
    new_analysis = analyze(new, settings)
    passages = compare(new_analysis, old_analysis, settings)
    dropped = [
        replace(result, status="dropped")
        for result in compare(old_analysis, new_analysis, settings)
        if result.status == "new"
    ]
    return DiffResult(old, new, settings, passages, dropped, summarize(passages, len(dropped)))
