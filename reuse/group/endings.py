"""How a line ends: a sentence (furniture never does), a label that introduces what follows, or open."""

from __future__ import annotations

import re
from typing import Final

TERMINAL = re.compile(r"[。！？!?….;；]['\"”’」』)）\]】》]*\s*$")
"""The end of a sentence (with its closing quotes and brackets): furniture is open-ended."""
LABEL = re.compile(r"[:：]\s*$")
"""The end of a label that introduces what follows it (问：, Q:, 来源：)."""
SENTENCE: Final = "sentence"
INTRODUCES: Final = "label"


_MARKS = frozenset("。！？!?….;；")
_COLONS = frozenset(":：")
_CLOSERS = frozenset("'\"”’」』)）]】》")


def line_ending(text: str, start: int, end: int) -> str:
    """How text[start:end] ends: SENTENCE, INTRODUCES (a label), or "" (open, as furniture is)."""
    if end <= start:
        return ""
    # Its last character decides, as the patterns would (they are anchored at the end), unless it is a
    # closing quote or bracket or a space: then the patterns do. Searching every line was a tenth of a scan.
    last = text[end - 1]
    if last in _MARKS:
        return SENTENCE
    if last in _COLONS:
        return INTRODUCES
    if last not in _CLOSERS and not last.isspace():
        return ""
    if TERMINAL.search(text, start, end) is not None:
        return SENTENCE
    return INTRODUCES if LABEL.search(text, start, end) is not None else ""
