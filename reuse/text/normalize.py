"""Normalization with an offset map back to the text as the user gave it.

Each stage turns an array of code points into another and says, for every output character, which
range of the stage's input it came from; composing the stages gives, for every normalized
character, the range of original characters it stands for. Offsets are code points throughout.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from reuse.charclass import han_mask
from reuse.runtime.blocks import join_blocks
from reuse.text.normalized import Normalized, small

if TYPE_CHECKING:
    from opencc import OpenCC

    from reuse.settings import Settings

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'，。、）（]*[^\s<>()\[\]\"'，。、）（.,;:!?]", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
SPACE = ord(" ")
_OFFSET = np.int32
"""Of offsets into the text throughout: they fit in 32 bits for any document under 2 GB (a Document is
read whole, in memory), and take half the memory of int64 in every stage's arrays."""
ZERO = ord("0")


def to_codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint32)


def from_codes(codes: np.ndarray) -> str:
    return codes.astype("<u4").tobytes().decode("utf-32-le")


class _Stage:
    """Code points with, per character, the half-open range of original text it stands for."""

    __slots__ = ("codes", "ends", "starts")

    def __init__(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        self.codes, self.starts, self.ends = codes, starts, ends

    def take(self, keep: np.ndarray) -> _Stage:
        return _Stage(self.codes[keep], self.starts[keep], self.ends[keep])


def _substitute(stage: _Stage, text: str, matches: list[tuple[int, int, str]]) -> _Stage:
    """Replace text[s:e] by r for each (s, e, r); each replacement character stands for all of s:e."""
    codes, starts, ends = [], [], []
    position = 0
    for s, e, replacement in matches:
        codes.append(stage.codes[position:s])
        starts.append(stage.starts[position:s])
        ends.append(stage.ends[position:s])
        if replacement:
            n = len(replacement)
            codes.append(to_codes(replacement))
            starts.append(np.full(n, stage.starts[s], dtype=stage.starts.dtype))
            ends.append(np.full(n, stage.ends[e - 1], dtype=stage.ends.dtype))
        position = e
    codes.append(stage.codes[position:])
    starts.append(stage.starts[position:])
    ends.append(stage.ends[position:])
    return _Stage(np.concatenate(codes), np.concatenate(starts), np.concatenate(ends))


def _strip_markup(stage: _Stage, markup: bool, urls: bool) -> _Stage:
    """Tags become spaces, entities their characters, URLs one word: slots like digits."""
    text = from_codes(stage.codes)
    found: list[tuple[int, int, str]] = []
    if markup and ("<" in text or "&" in text):
        found += [(m.start(), m.end(), " ") for m in _TAG.finditer(text)]
        found += [(m.start(), m.end(), html.unescape(m.group())) for m in _ENTITY.finditer(text)]
    if urls:
        taken = sorted(found)
        for m in _URL.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                found.append((m.start(), m.end(), " url "))
    found.sort()
    return _substitute(stage, text, found) if found else stage


@lru_cache(maxsize=65536)
def _fold_char(char: str, casefold: bool) -> str:
    """NFKC, case folding, accents dropped consistently, punctuation, symbols and spaces to one space."""
    folded = unicodedata.normalize("NFKC", char)
    if casefold:
        folded = folded.casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    if any(unicodedata.combining(c) for c in decomposed):
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = []
    for c in folded:
        category = unicodedata.category(c)
        if category[0] in "PSZ" or category in ("Cc", "Cf") or c.isspace():
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


_UNSEEN = -1


@dataclass
class _FoldTable:
    """Each code point's folded form: its length, its one character, or (for other lengths) its text.

    Filled as characters turn up, so that a corpus looks each character up in unicodedata once, not
    once per document."""

    length: np.ndarray
    char: np.ndarray
    longer: dict[int, str]


_FOLDED: dict[bool, _FoldTable] = {}


def _fold_table(codes: np.ndarray, casefold: bool) -> _FoldTable:
    if casefold not in _FOLDED:
        _FOLDED[casefold] = _FoldTable(np.full(0x110000, _UNSEEN, dtype=np.int8), np.zeros(0x110000, np.uint32), {})
    table = _FOLDED[casefold]
    for code in np.unique(codes[table.length[codes] == _UNSEEN]).tolist():
        folded = _fold_char(chr(code), casefold)
        table.length[code] = len(folded)
        if len(folded) == 1:
            table.char[code] = ord(folded)
        else:
            table.longer[code] = folded
    return table


def _fold(stage: _Stage, casefold: bool) -> _Stage:
    if stage.codes.size == 0:
        return stage
    table = _fold_table(stage.codes, casefold)
    per_char = table.length[stage.codes]
    if np.all(per_char == 1):
        return _Stage(table.char[stage.codes], stage.starts, stage.ends)
    # Some characters fold to several (… to three spaces) or to none (a lone combining mark).
    source = np.repeat(np.arange(stage.codes.size, dtype=_OFFSET), per_char)
    codes = table.char[stage.codes][source]
    longer = np.flatnonzero(per_char > 1)
    for i, first in zip(longer.tolist(), np.searchsorted(source, longer).tolist()):  # not a cumsum of all
        codes[first : first + int(per_char[i])] = to_codes(table.longer[int(stage.codes[i])])
    return _Stage(codes, stage.starts[source], stage.ends[source])


@lru_cache(maxsize=4)
def converter(script: str) -> OpenCC:
    import opencc

    return opencc.OpenCC(script)


_BREAKS = np.full(0x110000, _UNSEEN, dtype=np.int8)
"""1 for characters that end a clause (punctuation, line breaks), 0 for others; filled as they turn up."""


def _hard_breaks(codes: np.ndarray) -> np.ndarray:
    """Prefix counts of characters that end a clause (punctuation, line breaks), not plain spaces."""
    for code in np.unique(codes[_BREAKS[codes] == _UNSEEN]).tolist():
        char = chr(code)
        _BREAKS[code] = unicodedata.category(char)[0] == "P" or char in "\n\r\u2028\u2029"
    return np.concatenate(([0], np.cumsum(_BREAKS[codes])))


def _clauses(stage: _Stage, breaks: np.ndarray, max_clause: int) -> np.ndarray:
    """Bounds of the clauses: cut where the original had a clause break between two characters, or at a
    space, and after max_clause characters (Settings.max_clause), so that aligning a clause stays cheap."""
    n = stage.codes.size
    if n == 0:
        return np.zeros(1, dtype=np.int64)
    cut = np.zeros(n, dtype=bool)
    if n > 1:
        cut[1:] = breaks[stage.starts[1:]] > breaks[stage.ends[:-1]]
        cut[1:] |= stage.codes[1:] == SPACE
    cut[0] = True
    bounds = np.append(np.flatnonzero(cut), n)
    long = np.flatnonzero(np.diff(bounds) > max_clause)
    if long.size:
        extra = [np.arange(bounds[i] + max_clause, bounds[i + 1], max_clause) for i in long.tolist()]
        bounds = np.unique(np.concatenate([bounds, *extra]))
    return bounds


_SEPARATOR = "\n"
"""Between clauses converted in one call: no phrase contains it, and folding has turned every line
break of the text into a space, so the clauses convert exactly as they would one by one."""


_CONVERT_BLOCK = 1 << 20
"""Characters converted together (a 100 MB text converted at once peaked at 1.2 GB). Past it, which path a
block takes is the block's own, and no phrase is matched across a block's clause break."""


def _convert_script(stage: _Stage, script: str, original: np.ndarray, max_clause: int) -> _Stage:
    """OpenCC conversion, a block of clauses at a time (one block for any text up to _CONVERT_BLOCK)."""
    if script == "none" or stage.codes.size == 0:
        return stage
    cuts = _block_cuts(stage, original, _CONVERT_BLOCK)
    parts = [
        _convert_block(_Stage(stage.codes[lo:hi], stage.starts[lo:hi], stage.ends[lo:hi]), script, original, max_clause)
        for lo, hi in itertools.pairwise(cuts)
    ]
    columns = [[getattr(part, name) for part in parts] for name in ("codes", "starts", "ends")]
    del parts
    codes, starts, ends = join_blocks(columns)
    return _Stage(codes, starts, ends)


def _block_cuts(stage: _Stage, original: np.ndarray, block: int) -> list[int]:
    """Where to cut the stage into blocks of about `block` characters: at the first clause break (a space,
    or punctuation or a line break in the original between two characters) past each multiple of block,
    so that no phrase is cut unless a clause runs on for a whole block."""
    n = stage.codes.size
    cuts = [0]
    while n - cuts[-1] > block:
        target = cuts[-1] + block
        window = slice(target, min(target + block, n))
        space = stage.codes[window] == SPACE
        starts, ends = stage.starts[window], stage.ends[target - 1 : window.stop - 1]
        lo, hi = int(min(starts.min(), ends.min())), int(max(starts.max(), ends.max()))
        breaks = _hard_breaks(original[lo:hi])
        broken = breaks[starts - lo] > breaks[ends - lo]
        found = np.flatnonzero(space | broken)
        cuts.append(target + int(found[0]) if found.size else target)
    cuts.append(n)
    return cuts


def _convert_block(stage: _Stage, script: str, original: np.ndarray, max_clause: int) -> _Stage:
    """OpenCC conversion; where a phrase changes the length, align that clause alone."""
    before = from_codes(stage.codes)
    after = converter(script).convert(before)
    if after == before:
        return stage
    if len(after) == len(before):
        return _Stage(to_codes(after), stage.starts, stage.ends)
    # Phrase conversion changed the length (記憶體 → 内存). Clause by clause (cut where the
    # original had punctuation or a line break), clauses of the same length keep the
    # character-for-character map; the others are aligned, which stays cheap because they are short.
    lo, hi = int(stage.starts.min()), int(stage.ends.max())  # the stretch of the original the block stands for
    bounds = _clauses(
        _Stage(stage.codes, stage.starts - lo, stage.ends - lo), _hard_breaks(original[lo:hi]), max_clause
    )
    separated = np.insert(stage.codes, bounds[1:-1], ord(_SEPARATOR))
    converted = converter(script).convert(from_codes(separated)).split(_SEPARATOR)
    pieces: list[str] = []
    replacements: list[tuple[int, int, str]] = []
    for lo, hi, clause in zip(bounds[:-1].tolist(), bounds[1:].tolist(), converted):
        if len(clause) == hi - lo:
            pieces.append(clause)
        else:
            original_clause = before[lo:hi]
            pieces.append(original_clause)
            replacements.extend((lo + s, lo + e, r) for s, e, r in _replacements(original_clause, clause))
    codes = to_codes("".join(pieces))
    return _substitute(_Stage(codes, stage.starts, stage.ends), before, replacements)


def _replacements(before: str, after: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) blocks turning before into after, each run of edits one block."""
    from rapidfuzz.distance import Indel

    blocks: list[list[int]] = []  # [src_start, src_end, dest_start, dest_end]
    for op in Indel.opcodes(before, after):
        if op.tag == "equal":
            continue
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1][1], blocks[-1][3] = op.src_end, op.dest_end
        else:
            blocks.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    out = []
    for s, e, ds, de in blocks:
        if s == e:  # a pure insertion stands for a neighbouring character, taken along with it
            if s > 0:
                s, ds = s - 1, ds - 1
            else:
                e, de = e + 1, de + 1
        out.append((s, e, after[ds:de]))
    return out


def _is_word_char(codes: np.ndarray) -> np.ndarray:
    """Characters of space-separated words (not space, not Han)."""
    han = han_mask(codes)
    return (codes != SPACE) & ~han


def _collapse_spaces(stage: _Stage) -> _Stage:
    """Keep one space only where it separates two words; Han text needs none.

    Run by run of spaces (where each opens and closes), not position by position: the nearest
    non-space character on each side of every position took four 4-byte arrays as long as the text."""
    codes = stage.codes
    space = codes == SPACE
    if not space.any():
        return stage
    edges = np.diff(space.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    opens, closes = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # closes: one past each run
    del edges
    before, after = opens > 0, closes < codes.size
    prev_word = np.zeros(opens.size, dtype=bool)
    next_word = np.zeros(opens.size, dtype=bool)
    prev_word[before] = _is_word_char(codes[opens[before] - 1])
    next_word[after] = _is_word_char(codes[closes[after]])
    keep = ~space
    keep[opens[prev_word & next_word]] = True  # a run kept is its first space
    return stage.take(keep)


def _mask_digits(stage: _Stage) -> _Stage:
    codes = stage.codes
    digit = (codes >= ZERO) & (codes <= ZERO + 9)
    if not digit.any():
        return stage
    run_start = digit & np.concatenate(([True], ~digit[:-1]))
    run_end = digit & np.concatenate((~digit[1:], [True]))
    keep = ~digit | run_start
    # Taken first, then changed: whole copies of codes and ends to change were a big document's peak.
    out_codes, ends = codes[keep], stage.ends[keep]
    out_codes[digit[keep]] = ZERO
    ends[run_start[keep]] = stage.ends[run_end]
    return _Stage(out_codes, stage.starts[keep], ends)


def normalize(text: str, settings: Settings) -> Normalized:
    """Fold what does not matter for reuse: markup, width, case, punctuation, spaces, script, digits."""
    codes = to_codes(text)
    index = np.arange(codes.size, dtype=_OFFSET)
    stage = _Stage(codes, index, index + 1)
    del index  # each stage's arrays are let go once the next stage has made its own
    if settings.strip_markup or settings.mask_urls:
        stage = _strip_markup(stage, settings.strip_markup, settings.mask_urls)
    stage = _fold(stage, settings.casefold)
    # Spaces go before script conversion, so that 人工 智慧 and 人工智慧 convert alike.
    stage = _collapse_spaces(stage)
    stage = _convert_script(stage, settings.script, codes, settings.max_clause)
    del codes
    if settings.mask_digits:
        stage = _mask_digits(stage)
    starts = stage.starts.astype(np.int32, copy=False)
    lengths = small(stage.ends - starts)
    del stage.ends
    return Normalized(from_codes(stage.codes), starts, lengths)
