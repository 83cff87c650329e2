"""Families: passages and spans reused across a corpus, grouped and classified.

Three levels, so that every character is explained once: whole paragraphs (lines), then sentences
not already in a family, then spans inside the remaining sentences. Kinds:

- boilerplate: site or scraper furniture recurring across documents (whole lines);
- repeat: the same passage more than once inside one document;
- reused: a whole content passage that appears in another document;
- formula: a span reused inside otherwise different sentences across documents.

The stages are modules of this folder: units.py (lines, sentences and their LSH buckets),
templates.py (near-duplicate verification, template text), classify.py (kinds), spans.py (formula
spans), union_find.py (grouping); FamilyFinder runs them in order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np

from reuse.group.classify import Decision, Evidence, repetition, span_kind, unit_decisions
from reuse.group.copies import Copies, alone
from reuse.group.endings import line_ending
from reuse.group.members import Member, Members
from reuse.group.spans import document_spans, opens_paragraph
from reuse.group.templates import edit_similarity, one_line, template_text
from reuse.group.union_find import UnionFind
from reuse.group.units import Unit, is_headline, line_core, near_candidates, new_lines, paragraph_units, sentence_units
from reuse.kinds import BOILERPLATE, KINDS, Kind
from reuse.runtime.stopwatch import Stopwatch
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument

U = TypeVar("U", bound=Unit)

Level = Literal["paragraph", "passage", "span"]
"""What a family's members are: whole lines, sentences, or spans inside sentences."""


@dataclass
class Family:
    kind: Kind
    level: Level
    members: Members
    text: str = ""
    template: str | None = None
    id: str = ""
    keys: set[str] = field(default_factory=set)
    evidence: tuple[Evidence, ...] = ()
    """Why its members are boilerplate (classify.Decision): every member's, since members decided apart
    are families apart."""
    similarity: dict[tuple[str, int], float] = field(default_factory=dict)
    """Members (doc, start) that are edited copies of the family's main line (not its template's slots):
    how much of it they keep (templates.edit_similarity)."""

    @property
    def documents(self) -> int:
        return self.members.documents()

    @property
    def occurrences(self) -> int:
        return len(self.members)


class FamilyFinder:
    """Families of a corpus, fed document by document (in id order) so that the first level's units
    are built while later documents are still being read and analysed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.docs: list[PreparedDocument] = []
        self.paragraph_units: list[Unit] = []
        self.lines = new_lines()
        """Per document, the keys of its lines by their core (a headline's dresses)."""
        self.copies = alone(0)

    def add(self, doc: PreparedDocument) -> None:
        d = len(self.docs)
        self.docs.append(doc)
        units = paragraph_units(doc, d)
        self.paragraph_units += units
        lines = self.lines[d]
        for u in units:
            lines[line_core(u.key)].add(u.key)
        for u in units:
            u.headline = is_headline(u, self.lines)

    def finish(
        self,
        frequent_hashes: np.ndarray,
        jobs: int = 1,
        stopwatch: Stopwatch | None = None,
        copies: Copies | None = None,
    ) -> list[Family]:
        """All the families, with ids, texts and templates.

        frequent_hashes: the sorted shingle hashes found in two documents or more; copies: which documents
        are near-duplicates of which (none, when not given).
        """
        stopwatch = stopwatch or Stopwatch()
        self.copies = copies or alone(len(self.docs))
        stopwatch.progress.start("families of lines and sentences")
        docs = self.docs
        doc_index = {doc.id: d for d, doc in enumerate(docs)}
        in_family = [np.zeros(len(doc), dtype=bool) for doc in docs]
        families = self._line_families(in_family)
        level2 = self._whole_unit_families(sentence_units(docs, in_family, self.lines), "passage")
        for family in level2:
            for m in family.members:
                in_family[doc_index[m.doc]][m.passage] = True
        families += level2
        stopwatch.lap("families of lines and sentences")
        stopwatch.progress.start("families of spans")
        families += self._span_families(in_family, families, doc_index, frequent_hashes, jobs)
        stopwatch.lap("families of spans")
        stopwatch.progress.start("family texts and templates")
        settle_evidence(families, self.copies)
        self._describe(families, doc_index)
        stopwatch.lap("family texts and templates")
        return families

    def _line_families(self, in_family: list[np.ndarray]) -> list[Family]:
        """Families of whole lines, marking their passages in in_family; the line units are let go."""
        docs, units = self.docs, self.paragraph_units
        self.paragraph_units = []
        families = self._whole_unit_families(units, "paragraph")
        unit_of_member = {(docs[u.doc].id, u.start): u for u in units}
        for family in families:
            for m in family.members:
                u = unit_of_member[(m.doc, m.start)]
                in_family[u.doc][u.first : u.last + 1] = True
        return families

    def _whole_unit_families(self, units: list[Unit], level: Level) -> list[Family]:
        if not units:
            return []
        docs = self.docs
        paragraphs = [doc.paragraph_count for doc in docs]

        def ending(u: Unit) -> str:
            return line_ending(docs[u.doc].text, u.start, u.end)

        families: list[Family] = []
        groups = self._groups(units)
        grouped = {i for group in groups for i in group}
        # A line alone, which its page's structure puts outside the main content, is furniture of one page.
        groups += [[i] for i, u in enumerate(units) if u.outside and i not in grouped]
        for group in groups:
            members = [units[i] for i in group]
            decisions = unit_decisions(members, self.copies, paragraphs, ending, self.settings)
            families += decided_families(members, decisions, level, lambda u: docs[u.doc].document.id, self.settings)
        return families

    def _groups(self, units: list[Unit]) -> list[list[int]]:
        """Units grouped by equal keys and by near-duplicate keys (LSH, then token-level similarity)."""
        uf = UnionFind(len(units))
        first_of_key: dict[str, int] = {}
        for i, unit in enumerate(units):
            if unit.key in first_of_key:
                uf.union(first_of_key[unit.key], i)
            else:
                first_of_key[unit.key] = i
        # Near duplicates among distinct keys only: identical lines were joined above, and a bucket of
        # thousands of copies of one line would otherwise make millions of pairs.
        reps = np.array(sorted(first_of_key.values()), dtype=np.int64)
        if reps.size > 1:
            for a, b in near_candidates([units[i] for i in reps], self.docs, self.settings).tolist():
                i, j = int(reps[a]), int(reps[b])
                if one_line(units[i].key, units[j].key, self.settings):
                    uf.union(i, j)
        return uf.groups()

    def _span_families(
        self,
        in_family: list[np.ndarray],
        families: list[Family],
        doc_index: dict[str, int],
        frequent_hashes: np.ndarray,
        jobs: int,
    ) -> list[Family]:
        """Spans inside sentences made of shingles found in other documents, grouped by their text."""
        if frequent_hashes.size == 0:
            return []
        docs = self.docs
        family_of_key = {key: f for f in families for key in f.keys}
        by_key: dict[str, list[Member]] = defaultdict(list)
        found = document_spans(docs, self.settings, in_family, frequent_hashes, set(family_of_key), jobs)
        for d, spans in enumerate(found):
            for passage, start, end, key in spans:
                by_key[key].append(Member(docs[d].id, passage, start, end))
        # A span whose text is a whole-line family's key joins it (a metadata line fused with a sentence).
        out: list[Family] = []
        for key in sorted(by_key):
            members = sorted(set(by_key[key]))
            if key in family_of_key:
                family_of_key[key].members = Members(sorted([*family_of_key[key].members, *members]))
                continue
            family = span_family(
                key,
                members,
                self.copies,
                lambda m: opens_paragraph(docs[doc_index[m.doc]], m.passage, m.start, m.end),
                self.settings,
            )
            if family is not None:
                out.append(family)
        return out

    def _describe(self, families: list[Family], doc_index: dict[str, int]) -> None:
        docs = self.docs
        describe(families, lambda m: docs[doc_index[m.doc]].text[m.start : m.end], self.settings)


def decided_families(
    units: Sequence[U], decisions: Sequence[Decision], level: Level, doc_id: Callable[[U], str], settings: Settings
) -> list[Family]:
    """The families of a group of units, one per decision its members got (most groups: one). The group's
    keys go with its largest family alone, so that a span with one of them joins the same family whatever
    order families were made in (in one process or on a cluster)."""
    by_decision: dict[Decision, list[U]] = defaultdict(list)
    for unit, decision in zip(units, decisions):
        by_decision[decision].append(unit)
    order = {kind: i for i, kind in enumerate(KINDS)}
    ranked = sorted(by_decision.items(), key=lambda item: (-len(item[1]), order[item[0].kind], repr(item[0])))
    return [
        Family(
            decision.kind,
            level,
            Members(sorted(Member(doc_id(u), u.first, u.start, u.end) for u in found)),
            keys={u.key for u in units} if rank == 0 else set(),
            evidence=decision.evidence,
            similarity=_edited(found, doc_id, settings),
        )
        for rank, (decision, found) in enumerate(ranked)
    ]


def _edited(units: Sequence[U], doc_id: Callable[[U], str], settings: Settings) -> dict[tuple[str, int], float]:
    """The similarity of each member that is an edited copy of the family's main line (its most common key)."""
    counts = Counter(u.key for u in units)
    if len(counts) == 1:
        return {}
    main = min(counts, key=lambda k: (-counts[k], k))
    similarity = {key: edit_similarity(key, main, settings) for key in counts}
    return {(doc_id(u), u.start): s for u in units if (s := similarity[u.key]) is not None}


def settle_evidence(families: list[Family], copies: Copies) -> None:
    """Repetition evidence as the families stand once spans have joined them (a metadata line fused with a
    sentence joins its line's family after the line's decision): the documents and share a reader sees."""
    for family in families:
        if any(e.kind == "repetition" for e in family.evidence):
            settled = repetition(family.documents, copies.among_ids(family.members.docs), copies)
            family.evidence = tuple(settled if e.kind == "repetition" else e for e in family.evidence)


def span_family(
    key: str, members: list[Member], copies: Copies, opens: Callable[[Member], bool], settings: Settings
) -> Family | None:
    """The family of a span's members (sorted, distinct), when they are in two documents or more;
    opens(m): the member opens its paragraph."""
    documents = len({m.doc for m in members})
    if documents < 2:
        return None
    distinct = copies.among_ids(m.doc for m in members)
    kind = span_kind(all(opens(m) for m in members), distinct, copies.distinct, settings)
    why: tuple[Evidence, ...] = ()
    if kind == BOILERPLATE:  # furniture fused into the sentence it opens (a dateline)
        why = (repetition(documents, distinct, copies), Evidence("position", place="paragraph start"))
    return Family(kind, "span", Members(members), keys={key}, evidence=why)


def described_members(family: Family, settings: Settings) -> list[Member]:
    """The members whose texts describe a family: its text is the first's, its template compares the next few."""
    return family.members[: settings.template_members + 1]


def describe(families: list[Family], text_of: Callable[[Member], str], settings: Settings) -> None:
    """Representative text, template with slots, and ids in a stable order; text_of(m): a member's text."""
    describe_texts(families, text_of, settings)
    number(families)


def describe_texts(families: list[Family], text_of: Callable[[Member], str], settings: Settings) -> None:
    """Representative text and template with slots of each family."""
    for f in families:
        texts = [text_of(m) for m in described_members(f, settings)]
        f.text = texts[0]
        f.template = template_text(texts, settings)


def number(families: list[Family]) -> None:
    """Families sorted in a stable order (kind, documents, occurrences, text, first member) and given ids."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    families.sort(key=lambda f: (order[f.kind], -f.documents, -f.occurrences, f.text, f.members[0]))
    for number, f in enumerate(families, 1):
        f.id = f"F{number}"
