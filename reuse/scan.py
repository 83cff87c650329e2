"""`scan`: families of reuse across a corpus, and what share of each document they explain."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .analysis import Analysis, analyze
from .corpus import Corpus, Skipped
from .families import KINDS, Family, Member, find_families
from .settings import Settings

SHARE_KINDS: tuple[str, ...] = (*KINDS, "new")


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
    analyses: list[Analysis]

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
        seen: set[str] = set()
        for member in family.members:
            if family.kind == "repeat" and member.doc not in seen:
                seen.add(member.doc)
                continue
            seen.add(member.doc)
            out.setdefault(member.doc, []).append((member, family))
    return out


def _report(a: Analysis, explained: list[tuple[Member, Family]]) -> DocumentReport:
    text = a.document.text
    in_passage = np.zeros(len(text), dtype=bool)
    for p in a.passages:
        in_passage[p.start : p.end] = True
    claimed = ~in_passage  # characters outside passages are nobody's
    shares: dict[str, float] = {}
    intervals: dict[str, list[tuple[int, int]]] = {}
    total = int(in_passage.sum())
    for kind in KINDS:  # in order of precedence: a character counts once, for the first kind
        mask = np.zeros(len(text), dtype=bool)
        ranges = sorted((m.start, m.end) for m, f in explained if f.kind == kind)
        for start, end in ranges:
            mask[start:end] = True
        mask &= ~claimed
        claimed |= mask
        shares[kind] = round(int(mask.sum()) / total, 4) if total else 0.0
        intervals[kind] = ranges
    shares["new"] = round(1.0 - sum(shares.values()), 4) if total else 0.0
    return DocumentReport(a.document.id, len(text), len(a.passages), a.document.encoding, total, shares, intervals)


def scan(corpus: Corpus, settings: Settings | None = None) -> ScanResult:
    settings = settings or Settings()
    analyses = [analyze(doc, settings) for doc in sorted(corpus.documents, key=lambda d: d.id)]
    families = find_families(analyses, settings)
    explained = removals(families)
    documents = [_report(a, explained.get(a.document.id, [])) for a in analyses]
    return ScanResult(settings, documents, families, list(corpus.skipped), analyses)
