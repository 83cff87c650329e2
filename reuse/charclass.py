"""Character classes shared by segmentation, normalization and shingling."""

from __future__ import annotations

import re

import numpy as np

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


def han_mask(codes: np.ndarray) -> np.ndarray:
    """Han (and kana, hangul) code points, by range checks on the whole array."""
    mask = np.zeros(codes.size, dtype=bool)
    for lo, hi in HAN_CODE_RANGES:
        mask |= (codes >= lo) & (codes <= hi)
    return mask


def _runs_in(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many runs of True each [start, end) holds (a run cut by start counts from there)."""
    previous = np.concatenate(([False], mask[:-1]))
    run_start = np.concatenate(([0], np.cumsum(mask & ~previous)))
    cut = mask[np.minimum(starts, mask.size - 1)] & previous[np.minimum(starts, mask.size - 1)] & (starts < ends)
    return run_start[ends] - run_start[starts] + cut


_LANGUAGE_BLOCK = 1 << 22
"""Characters of text whose passages are looked at together: the masks and counts are a few arrays as
long as the text looked at (a 100 MB document's at once peaked at 0.8 GB)."""


def languages(text: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """lang_of of every text[start:end] (passages in order), a block of passages at a time."""
    out: list[str] = []
    lo, n = 0, starts.size
    while lo < n:
        hi = max(lo + 1, int(np.searchsorted(ends, int(starts[lo]) + _LANGUAGE_BLOCK, side="right")))
        first, last = int(starts[lo:hi].min()), int(ends[lo:hi].max())
        out += _languages(text[first:last], starts[lo:hi] - first, ends[lo:hi] - first)
        lo = hi
    return out


def _languages(text: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    if codes.size == 0:
        return ["other"] * starts.size
    han = np.concatenate(([0], np.cumsum(han_mask(codes))))
    han = han[ends] - han[starts]
    latin_mask = ((codes | 0x20) >= ord("a")) & ((codes | 0x20) <= ord("z")) | ((codes >= 0xC0) & (codes <= 0x24F))
    latin = _runs_in(latin_mask, starts, ends)
    cyrillic = _runs_in((codes >= 0x400) & (codes <= 0x4FF), starts, ends)
    best = np.maximum(np.maximum(han, latin), cyrillic)
    out = np.where(best == 0, 3, np.where(han == best, 0, np.where(cyrillic == best, 2, 1)))
    return [LANGS[i] for i in out.tolist()]
