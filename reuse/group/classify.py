"""The kind of a family: boilerplate (site furniture), repeat (inside one document), reused, or formula.

Whole lines and sentences are told apart by where and how often they recur; spans by whether they
open their paragraphs in a large share of the corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from reuse.group.units import Unit
from reuse.kinds import BOILERPLATE, FORMULA, REPEAT, REUSED, Kind
from reuse.settings import Settings

U = TypeVar("U", bound=Unit)

LineCounts = Sequence[int] | Mapping[int, int]
"""The number of lines of each document, by the index units know it by."""

TERMINAL = re.compile(r"[。！？!?….;；]['\"”’」』)）\]】》]*\s*$")
"""The end of a sentence (with its closing quotes and brackets): furniture is open-ended."""


def common_threshold(n_docs: int, settings: Settings) -> int:
    """Documents a recurring open line must be in to count as furniture wherever it stands: a share of
    the corpus (furniture_share, 30%), at least furniture_min_docs (3)."""
    return max(settings.furniture_min_docs, math.ceil(settings.furniture_share * n_docs))


def frequent_threshold(n_docs: int, settings: Settings) -> int:
    """Documents a recurring line standing at the same place must be in to count as furniture: the
    common threshold, at most furniture_max_docs (50), so that a minor site of a mixed corpus has its own."""
    share = math.ceil(settings.furniture_share * n_docs)
    return max(settings.furniture_min_docs, min(share, settings.furniture_max_docs))


def unit_kind(
    members: Sequence[U],
    n_docs: int,
    paragraphs: LineCounts,
    terminal: Callable[[U], bool],
    settings: Settings,
) -> Kind:
    """The kind of a family of whole lines or sentences (members in any order) in a corpus of n_docs;
    paragraphs[u.doc]: the number of lines of a member's document; terminal(u): a member ends a sentence."""
    in_docs = {u.doc for u in members}
    if len(in_docs) == 1:
        return REPEAT
    if not all(u.whole_line for u in members):
        return REUSED
    keys_by_doc: dict[int, set[str]] = defaultdict(set)
    for u in members:
        keys_by_doc[u.doc].add(u.key)
    if any(len(keys) > 1 for keys in keys_by_doc.values()):
        return REUSED  # dressed differently twice in one page: a headline (contents list and heading)
    if sum(u.headline for u in members) >= settings.headline_share * len(members):
        return REUSED
    # In most of the corpus, a recurring open line is furniture; in fewer documents (a minor site of
    # a mixed corpus) it must also stand at the same place on its pages, as headers and footers do
    # and syndicated paragraphs do not.
    common = len(in_docs) >= common_threshold(n_docs, settings)
    frequent = len(in_docs) >= frequent_threshold(n_docs, settings) and _same_place(members, paragraphs, settings)
    if (common or frequent) and not any(terminal(u) for u in members):
        return BOILERPLATE  # open-ended: no member ends a sentence
    # A line repeated exactly at a page's edge in every page it is on is furniture (a slogan, a
    # breadcrumb, a footer); titles sit just below and are content, even when two pages share one.
    top, bottom = settings.edge_top, settings.edge_bottom
    at_edge = all(u.paragraph < top or u.paragraph >= paragraphs[u.doc] - bottom for u in members)
    if at_edge and len({u.key for u in members}) == 1:
        return BOILERPLATE
    return REUSED


def span_kind(opens_paragraphs: bool, documents: int, n_docs: int, settings: Settings) -> Kind:
    """The kind of a family of spans: furniture fused into sentences (a dateline) when every copy opens its
    paragraph and it is in as many documents as a furniture line must be; a formula otherwise."""
    return BOILERPLATE if opens_paragraphs and documents >= frequent_threshold(n_docs, settings) else FORMULA


def _same_place(members: Sequence[Unit], paragraphs: LineCounts, settings: Settings) -> bool:
    """Do most members stand on the same line counted from the top, or from the bottom, of their page?"""
    from_top = Counter(u.paragraph for u in members).most_common(1)[0][1]
    from_bottom = Counter(paragraphs[u.doc] - 1 - u.paragraph for u in members).most_common(1)[0][1]
    return max(from_top, from_bottom) >= settings.same_place * len(members)
