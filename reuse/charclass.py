"""Character classes shared by segmentation, normalization and shingling."""

from __future__ import annotations

import re

# Han ideographs (with kana and hangul, which are also written without spaces) are
# tokens one character each; everything else that is not space is grouped into words.
HAN_RANGES = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B–H
)
HAN = re.compile(f"[{HAN_RANGES}]")
HAN_CODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
"""The same ranges as HAN_RANGES, as numbers for array code (tests check they agree)."""
HAN_CHAR = f"[{HAN_RANGES}]"
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")

LANGS: tuple[str, ...] = ("zh", "en", "ru", "other")


def lang_of(text: str) -> str:
    """The passage's main script: Han characters count one each, words of Latin or Cyrillic one each."""
    han = len(HAN.findall(text))
    latin = len(LATIN_WORD.findall(text))
    cyrillic = len(CYRILLIC_WORD.findall(text))
    best = max(han, latin, cyrillic)
    if best == 0:
        return "other"
    if han == best:
        return "zh"
    if cyrillic == best:
        return "ru"
    return "en"
