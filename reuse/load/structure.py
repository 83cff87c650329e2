"""Where a page's main content is, by the field's reference extractor (trafilatura), as character ranges of
the text that html.html_to_text extracted: evidence from the page's own structure (link density, the
main-content element), beside the evidence of repetition across pages that scan gathers.

The extractor rewrites what it keeps (it joins, trims and drops text), so its lines are found again in our
text, in order, with white space ignored; a line it changed beyond that is left unplaced (no evidence).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np

MAX_MARKUP = 5_000_000
"""Pages longer than this (in characters of markup) get no structure evidence: the extractor builds a
tree of the whole page, and a page this long is a dump, not a page a site serves."""

Ranges = tuple[tuple[int, int], ...]


def main_ranges(markup: str, text: str) -> Ranges | None:
    """The ranges of text (as extracted from markup) that the extractor finds to be the page's main content;
    None when it finds none (no evidence either way) or the page is too long to ask."""
    if len(markup) > MAX_MARKUP or not text:
        return None
    import trafilatura

    _quiet_extractor()
    main = trafilatura.extract(markup, include_comments=False, deduplicate=False, favor_precision=False)
    if not main:
        return None
    return placed_lines(text, main.splitlines())


@cache
def _quiet_extractor() -> None:
    """Once a process: the extractor logs its doubts about odd pages, and our error lines are the user's,
    not its (a handler added at every page would pile up, one a page)."""
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    logging.getLogger("trafilatura").propagate = False


def placed_lines(text: str, lines: list[str]) -> Ranges:
    """Where each of lines is found in text, in order, white space ignored, as ranges of text (a line not
    found after the previous one found is skipped)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    at = np.flatnonzero(~_SPACE[np.minimum(codes, _SPACE.size - 1)])  # where each non-space character is
    compact = "".join(text.split())  # the same characters as at: str.split splits at str.isspace
    found: list[tuple[int, int]] = []
    position = 0
    for line in lines:
        needle = "".join(line.split())
        if not needle:
            continue
        where = compact.find(needle, position)
        if where < 0:
            continue
        position = where + len(needle)
        found.append((int(at[where]), int(at[position - 1]) + 1))
    return tuple(found)


def _space_table() -> np.ndarray:
    """True at the code points str.isspace calls white space (all below U+3001)."""
    table = np.zeros(0x3001 + 1, dtype=bool)
    for code in range(table.size - 1):
        table[code] = chr(code).isspace()
    return table


_SPACE = _space_table()
"""The last entry (U+3001) stands for every code point above, none of which is white space."""


def share_inside(ranges: Iterable[tuple[int, int]], start: int, end: int) -> float:
    """The share of text[start:end] that the ranges cover."""
    return covered_lengths([(start, end)], ranges)[0] / (end - start) if end > start else 0.0


def mostly_covered(lines: Sequence[tuple[int, int]], ranges: Iterable[tuple[int, int]]) -> list[bool]:
    """For each line (in order), whether the ranges cover more than half of it."""
    return [2 * covered > end - start for covered, (start, end) in zip(covered_lengths(lines, ranges), lines)]


def covered_lengths(lines: Sequence[tuple[int, int]], ranges: Iterable[tuple[int, int]]) -> list[int]:
    """For each line (start, end), in order, how many of its characters the ranges (any order, overlapping or
    not) cover: one pass over both, the ranges merged, not a scan of all ranges for every line."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    out: list[int] = []
    r = 0
    for start, end in lines:
        while r < len(merged) and merged[r][1] <= start:
            r += 1
        covered, k = 0, r
        while k < len(merged) and merged[k][0] < end:
            covered += min(end, merged[k][1]) - max(start, merged[k][0])
            k += 1
        out.append(covered)
    return out
