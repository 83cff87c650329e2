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


def line_ending(text: str, start: int, end: int) -> str:
    """How text[start:end] ends: SENTENCE, INTRODUCES (a label), or "" (open, as furniture is)."""
    if TERMINAL.search(text, start, end) is not None:
        return SENTENCE
    return INTRODUCES if LABEL.search(text, start, end) is not None else ""
