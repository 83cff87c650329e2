"""Where a page's main content is, by the field's reference extractor (trafilatura), as character ranges of
the text that html.html_to_text extracted: evidence from the page's own structure (link density, the
main-content element), beside the evidence of repetition across pages that scan gathers.

The extractor rewrites what it keeps (it joins, trims and drops text), so its lines are found again in our
text, in order, with white space ignored; a line it changed beyond that is left unplaced (no evidence).
"""

from __future__ import annotations

import logging

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

    # The extractor logs its doubts about odd pages; our error lines are the user's, not its.
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    logging.getLogger("trafilatura").propagate = False
    main = trafilatura.extract(markup, include_comments=False, deduplicate=False, favor_precision=False)
    if not main:
        return None
    return placed_lines(text, main.splitlines())


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


def share_inside(ranges: Ranges, start: int, end: int) -> float:
    """The share of text[start:end] that the ranges cover (ranges sorted, apart)."""
    if end <= start:
        return 0.0
    covered = sum(max(0, min(e, end) - max(s, start)) for s, e in ranges if s < end and start < e)
    return covered / (end - start)
