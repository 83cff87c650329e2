"""The kind of each member of a family: boilerplate (site furniture), repeat (inside one document), reused,
or formula, and for boilerplate the evidence for it.

Whole lines and sentences are told apart by where and how often they recur, how they end, what stands
around them and, for HTML, the page's structure; spans by whether they open their paragraphs in a large
share of the corpus. Members decided alike make one family (families.decided_families).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reuse.group.copies import Copies
from reuse.group.endings import INTRODUCES, SENTENCE
from reuse.group.units import Unit
from reuse.kinds import BOILERPLATE, FORMULA, REPEAT, REUSED, Kind
from reuse.settings import Settings

U = TypeVar("U", bound=Unit)

LineCounts = Sequence[int] | Mapping[int, int]
"""The number of lines of each document, by the index units know it by."""


def common_threshold(n_docs: int, settings: Settings) -> int:
    """Documents a recurring open line must be in to count as furniture wherever it stands: a share of
    the corpus (furniture_share, 30%), at least furniture_min_docs (3)."""
    return max(settings.furniture_min_docs, math.ceil(settings.furniture_share * n_docs))


def frequent_threshold(n_docs: int, settings: Settings) -> int:
    """Documents a recurring line standing at the same place must be in to count as furniture: the
    common threshold, at most furniture_max_docs (50), so that a minor site of a mixed corpus has its own."""
    share = math.ceil(settings.furniture_share * n_docs)
    return max(settings.furniture_min_docs, min(share, settings.furniture_max_docs))


@dataclass(frozen=True)
class Evidence:
    """Why a member is boilerplate: `repetition` (in how many documents, and what share of the corpus),
    `position` (the edge of the page it stands at), `context` or `structure`."""

    kind: str
    documents: int = 0
    distinct: int = 0
    """Documents, near-duplicates counted once (group.copies): what the decision weighed."""
    share: float = 0.0
    """distinct, as a share of the corpus's distinct documents."""
    place: str = ""

    def as_json(self) -> dict[str, object]:
        if self.kind == "repetition":
            return {"kind": self.kind, "documents": self.documents, "distinct": self.distinct, "share": self.share}
        if self.kind == "position":
            return {"kind": self.kind, "place": self.place}
        return {"kind": self.kind}


def repetition(documents: int, distinct: int, copies: Copies) -> Evidence:
    """The evidence of a line found in documents of a corpus, distinct of them once near-duplicates count once."""
    return Evidence("repetition", documents, distinct, round(distinct / copies.distinct, 4))


@dataclass(frozen=True)
class Decision:
    """The kind of one member of a family, and for boilerplate the evidence for it."""

    kind: Kind
    evidence: tuple[Evidence, ...] = ()


def unit_decisions(
    members: Sequence[U],
    copies: Copies,
    paragraphs: LineCounts,
    ending: Callable[[U], str],
    settings: Settings,
) -> list[Decision]:
    """The decision on each member of a family of whole lines or sentences (members in any order) in a corpus
    (copies: its documents, and which are near-duplicates of which: shares and thresholds count distinct
    documents); paragraphs[u.doc]: the number of lines of a member's document; ending(u): how a member ends
    (line_ending). A family's members mostly share one decision; a few that stand apart from the rest (a content
    line that ends its sentence, among furniture that never does) get their own, so that a few noisy members
    do not overturn the family, nor the family them.

    Where a page's structure is known (HTML input, load.structure), it is evidence too: a member outside the
    main content is furniture, recurring or not, and one inside it content; but where most of its family
    stand on the other side on their pages, the extractor slipped on this page and the family's decision
    holds (a speaker label the extractor dropped with its line's markup), as it does for furniture that
    recurs on most pages (the evidence of repetition is strong, and an extractor keeps what it cannot
    tell apart on a page of little text)."""
    decisions = _by_repetition(members, copies, paragraphs, ending, settings)
    if not any(u.inside or u.outside for u in members):
        return decisions
    documents = len({u.doc for u in members})
    distinct = copies.among({u.doc for u in members})
    repeated = (repetition(documents, distinct, copies),) if documents > 1 else ()
    mostly_outside = 2 * sum(u.outside for u in members) > len(members)
    mostly_inside = 2 * sum(u.inside for u in members) > len(members)
    content = Decision(REUSED if documents > 1 else REPEAT)
    strong = settings.strong_share * copies.distinct
    placed = []
    for u, decision in zip(members, decisions):
        if u.outside and decision.kind == BOILERPLATE:
            decision = Decision(BOILERPLATE, (*decision.evidence, STRUCTURE))
        elif u.outside and not mostly_inside:
            decision = Decision(BOILERPLATE, (*repeated, STRUCTURE))
        elif u.inside and decision.kind == BOILERPLATE and not (mostly_outside or distinct > strong):
            decision = content
        placed.append(decision)
    return placed


STRUCTURE = Evidence("structure")
"""Outside the page's main content, as its structure shows it."""


def _by_repetition(
    members: Sequence[U],
    copies: Copies,
    paragraphs: LineCounts,
    ending: Callable[[U], str],
    settings: Settings,
) -> list[Decision]:
    """unit_decisions from repetition, position and how lines end alone."""
    in_docs = {u.doc for u in members}
    if len(in_docs) == 1:
        return [Decision(REPEAT)] * len(members)
    reused = [Decision(REUSED)] * len(members)
    if not all(u.whole_line for u in members):
        return reused
    keys_by_doc: dict[int, set[str]] = defaultdict(set)
    for u in members:
        if u.headline:  # not a template's members that differ in slots (a list of dated titles)
            keys_by_doc[u.doc].add(u.key)
    if any(len(keys) > 1 for keys in keys_by_doc.values()):
        return reused  # dressed differently twice in one page: a headline (contents list and heading)
    if sum(u.headline for u in members) >= settings.headline_share * len(members):
        return reused
    endings = [ending(u) for u in members]
    stray = settings.stray_share * len(members)
    if len(members) >= 2 * len(in_docs) and sum(e != INTRODUCES for e in endings) <= stray:
        # A label that introduces what follows and recurs within its pages (问：, 答：, Q:, A:) belongs to
        # the content it introduces, though it is on most pages and never ends a sentence; furniture's
        # labels (来源：) stand once a page.
        return reused
    # In most of the corpus, a recurring open line is furniture; in fewer documents (a minor site of
    # a mixed corpus) it must also stand at the same place on its pages, as headers and footers do
    # and syndicated paragraphs do not.
    n_docs, distinct = copies.distinct, copies.among(in_docs)
    common = distinct >= common_threshold(n_docs, settings)
    same_place = _same_place(members, paragraphs, settings)
    frequent = distinct >= frequent_threshold(n_docs, settings) and same_place
    ends = [e == SENTENCE for e in endings]
    if (common or frequent) and sum(ends) <= stray:
        # Open-ended furniture: the odd member that ends a sentence is a content line that happens to
        # read the same (a one-word heading, a widget's label), not furniture.
        why = [repetition(len(in_docs), distinct, copies)]
        if same_place and not common:
            why.append(Evidence("position", place="same line"))
        furniture = Decision(BOILERPLATE, tuple(why))
        # A member standing amid content (a line between two sentences of text) is content that reads the
        # same, unless the repetition is strong: on most of the corpus's pages.
        strong = distinct > settings.strong_share * n_docs
        return [Decision(REUSED) if end or (u.amid and not strong) else furniture for u, end in zip(members, ends)]
    # A line repeated exactly at a page's edge in the pages it is on is furniture (a slogan, a
    # breadcrumb, a footer); titles sit just below and are content, even when two pages share one. Most
    # members (same_place) suffice: a copy of a page with its lines reordered moves the slogan off its
    # edge, and one with typos joins it with another key.
    top, bottom = settings.edge_top, settings.edge_bottom
    places = Counter(
        "top" if u.paragraph < top else "bottom" if u.paragraph >= paragraphs[u.doc] - bottom else "" for u in members
    )
    most = settings.same_place * len(members)
    exact = Counter(u.key for u in members).most_common(1)[0][1] >= most  # the same line, not a template
    if exact and len(members) - places[""] >= most:
        edge = Evidence("position", place=" and ".join(sorted(p for p in places if p)))
        return [Decision(BOILERPLATE, (repetition(len(in_docs), distinct, copies), edge))] * len(members)
    return reused


def span_kind(opens_paragraphs: bool, documents: int, n_docs: int, settings: Settings) -> Kind:
    """The kind of a family of spans: furniture fused into sentences (a dateline) when every copy opens its
    paragraph and it is in as many documents as a furniture line must be; a formula otherwise."""
    return BOILERPLATE if opens_paragraphs and documents >= frequent_threshold(n_docs, settings) else FORMULA


def _same_place(members: Sequence[Unit], paragraphs: LineCounts, settings: Settings) -> bool:
    """Do most members stand on the same line counted from the top, or from the bottom, of their page?"""
    from_top = Counter(u.paragraph for u in members).most_common(1)[0][1]
    from_bottom = Counter(paragraphs[u.doc] - 1 - u.paragraph for u in members).most_common(1)[0][1]
    return max(from_top, from_bottom) >= settings.same_place * len(members)
