"""Evidence from context: a short line standing between furniture lines is furniture too, as jusText's
context rule has it, though it recurs on few pages or on one (a related-links entry, a menu item).

Families give each document its boilerplate; this pass reads a document's lines in order and flips the
runs of short, open-ended lines that stand between boilerplate lines. The first such run of a page is
its title, under the breadcrumb and above a metadata line, and stays content; so does a headline (the
page carries its words in other dress too, as a contents entry).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from reuse.group.classify import Evidence
from reuse.group.endings import SENTENCE, line_ending
from reuse.group.families import Family
from reuse.group.members import Member, Members
from reuse.group.units import line_core
from reuse.kinds import BOILERPLATE
from reuse.load.structure import mostly_covered
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument

CONTEXT = Evidence("context")
"""Between furniture lines on its page."""

Flip = tuple[int, int, int, str]
"""A line that context makes furniture: its first passage, start, end, and key (its normalized text)."""


def context_flips(
    doc: PreparedDocument,
    boilerplate: Iterable[tuple[int, int]],
    reused: Iterable[tuple[int, int]],
    settings: Settings,
) -> list[Flip]:
    """The lines of doc that context makes furniture, given the ranges its families call boilerplate, and
    those of reused families in fewer documents than furniture is in (scan.FEW): a line must be found on
    another page too (a line of one page between furniture lines is as often a headline whose story is
    missing as furniture), and a line recurring on many pages was judged by its repetition already."""
    boilerplate, reused = list(boilerplate), list(reused)
    if not boilerplate or not reused:
        return []  # nothing to stand between, or nothing found on another page: most documents
    bounds = doc.paragraph_bounds()
    if len(bounds) < 3:
        return []
    starts, ends = doc.starts.tolist(), doc.ends.tolist()
    lines = [(starts[first], ends[last]) for first, last in bounds]
    flagged = mostly_covered(lines, boilerplate)
    elsewhere = mostly_covered(lines, reused)
    dresses: dict[str, set[str]] | None = None  # the page's shorter lines by their core, made when first asked

    def headline(k: int) -> bool:
        nonlocal dresses
        if dresses is None:
            dresses = defaultdict(set)
            for n, (start, end) in enumerate(lines):
                if end - start <= _DRESSED * settings.context_max_chars:  # a contents entry may be longer
                    key = _key(doc, *bounds[n])
                    dresses[line_core(key)].add(key)
        return len(dresses[line_core(_key(doc, *bounds[k]))]) > 1

    flips: list[Flip] = []
    title_seen = False
    i = 0
    while i < len(lines):
        if flagged[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and not flagged[j]:
            j += 1
        run = range(i, j)
        # A headline (its page carries its words in other dress: a contents entry) is content.
        if (
            i > 0
            and j < len(lines)
            and title_seen
            and all(elsewhere[k] and _short_and_open(doc, *lines[k], settings) for k in run)
            and not any(headline(k) for k in run)
        ):
            flips += [(bounds[k][0], lines[k][0], lines[k][1], _key(doc, *bounds[k])) for k in run]
        title_seen = True
        i = j
    return flips


_DRESSED = 4
"""Lines up to this many times context_max_chars long are looked at as a headline's other dress."""


def _short_and_open(doc: PreparedDocument, start: int, end: int, settings: Settings) -> bool:
    return end - start <= settings.context_max_chars and line_ending(doc.text, start, end) != SENTENCE


def _key(doc: PreparedDocument, first: int, last: int) -> str:
    lo, hi = int(doc.range_starts[first]), int(doc.range_ends[last])
    return doc.normalized.text[lo:hi] or doc.key(first)


def context_families(flips: dict[str, list[Flip]]) -> list[Family]:
    """The families of the lines context made furniture (flips by document id): one per key, kind
    boilerplate, evidence `context`; texts and ids are given later, with every family's."""
    by_key: dict[str, list[Member]] = defaultdict(list)
    for doc in sorted(flips):
        for first, start, end, key in flips[doc]:
            by_key[key].append(Member(doc, first, start, end))
    return [
        Family(BOILERPLATE, "paragraph", Members(sorted(members)), evidence=(CONTEXT,))
        for _, members in sorted(by_key.items())
    ]


def context_ranges(flips: list[Flip]) -> list[tuple[int, int]]:
    return [(start, end) for _, start, end, _ in flips]
