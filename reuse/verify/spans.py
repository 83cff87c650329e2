"""Verification: rapidfuzz aligns a candidate pair and we keep the long enough identical stretches."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reuse.charclass import HAN
from reuse.settings import Settings


@dataclass(frozen=True)
class Span:
    """A reused stretch: target[start:end] matches reference[ref_start:ref_end] (normalized passage offsets)."""

    start: int
    end: int
    ref_start: int
    ref_end: int
    bridged: int = 0
    """Han characters inside the span that were substituted, not matched: they add no weight."""


def weight(text: str) -> int:
    """Han characters weigh 1, words 2 (see Settings.min_span)."""
    han = len(HAN.findall(text))
    words = len(HAN.sub(" ", text).split())
    return han + 2 * words


def similarity(target: str, reference: str) -> float:
    return fuzz.ratio(target, reference) / 100.0


def _is_word(char: str) -> bool:
    return char != " " and HAN.match(char) is None


def _mid_word(text: str, position: int) -> bool:
    """True when position falls inside a word (between two word characters)."""
    return 0 < position < len(text) and _is_word(text[position - 1]) and _is_word(text[position])


def _whole_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is one or more whole words: replacing it is a different word, not a variant."""
    return (
        start < end
        and any(_is_word(c) for c in text[start:end])
        and (start == 0 or not _is_word(text[start - 1]))
        and (end == len(text) or not _is_word(text[end]))
    )


def _snap(target: str, reference: str, span: list[int]) -> Span | None:
    """Shrink a matched range to whole tokens in both texts and drop spaces at its edges."""
    s, e, rs, re_, bridged = span
    while s < e and (_mid_word(target, s) or _mid_word(reference, rs) or target[s] == " "):
        s, rs = s + 1, rs + 1
    while e > s and (_mid_word(target, e) or _mid_word(reference, re_) or target[e - 1] == " "):
        e, re_ = e - 1, re_ - 1
    return Span(s, e, rs, re_, bridged) if s < e else None


def _extend(target: str, reference: str, s: int, e: int, rs: int, re_: int) -> tuple[int, int, int, int]:
    """Grow an aligned block while both texts agree: the alignment may have cut a shared stretch short."""
    while s > 0 and rs > 0 and target[s - 1] == reference[rs - 1]:
        s, rs = s - 1, rs - 1
    while e < len(target) and re_ < len(reference) and target[e] == reference[re_]:
        e, re_ = e + 1, re_ + 1
    return s, e, rs, re_


QgramIndex = dict[str, list[int]]


def qgram_index(reference: str, q: int) -> QgramIndex:
    where: QgramIndex = {}
    for j in range(len(reference) - q + 1):
        where.setdefault(reference[j : j + q], []).append(j)
    return where


def _seed_blocks(
    target: str, reference: str, q: int, where: QgramIndex | None = None
) -> list[tuple[int, int, int, int]]:
    """Every maximal common stretch of at least q characters, grown from shared q-grams."""
    if where is None:
        where = qgram_index(reference, q)
    blocks = []
    reach: dict[int, int] = {}  # diagonal → end of the last block found on it
    for i in range(len(target) - q + 1):
        for j in where.get(target[i : i + q], ()):
            if reach.get(i - j, -1) > i:
                continue
            block = _extend(target, reference, i, i + q, j, j + q)
            reach[i - j] = block[1]
            blocks.append(block)
    return blocks


def aligned_spans(
    target: str,
    reference: str,
    max_gap: int,
    min_block: int,
    seed: int,
    index: QgramIndex | None = None,
    min_chars: int = 1,
) -> list[Span]:
    """Identical stretches of target found in reference, variants (≤ max_gap characters replaced) bridged.

    rapidfuzz's alignment (LCS) gives the blocks of one best global alignment, short ones included,
    which is what bridges an edit inside a stretch. It maximizes the number of matched characters,
    so it can pair a shared stretch's words with scattered words elsewhere; exact seeds add every
    maximal shared stretch of at least `seed` characters, wherever the alignment went.
    """
    blocks = {
        _extend(target, reference, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(target, reference)
        if op.tag == "equal" and op.src_end - op.src_start >= min_block
    }
    blocks.update(_seed_blocks(target, reference, seed, index))
    merged: list[list[int]] = []  # [start, end, ref_start, ref_end, bridged]
    for s, e, rs, re_ in sorted(blocks, key=lambda b: (b[0], -b[1], b[2])):
        for m in reversed(merged):
            gap, ref_gap = s - m[1], rs - m[3]
            if s - rs == m[0] - m[2] and s <= m[1]:  # the same stretch, found twice
                m[1], m[3] = max(m[1], e), max(m[3], re_)
                break
            if (
                0 < gap == ref_gap <= max_gap
                and not _whole_word(target, m[1], s)
                and not _whole_word(reference, m[3], rs)
            ):  # a variant: characters replaced one for one inside a word, or a variant Han character
                m[4] += len(HAN.findall(target, m[1], s))
                m[1], m[3] = max(m[1], e), max(m[3], re_)
                break
        else:
            merged.append([s, e, rs, re_, 0])
    snapped = (_snap(target, reference, m) for m in merged if m[1] - m[0] >= min_chars)
    return [span for span in snapped if span is not None]


def seed_length(settings: Settings) -> int:
    """Any span of weight w has at least w − 1 characters, so seeds of that length cannot miss one."""
    return max(1, min(settings.max_seed, min(settings.min_span, settings.min_whole) - 1))


def shortest_span(min_weight: int) -> int:
    """The fewest characters a text of at least this weight has: one-letter words and Han characters in
    turn (a1b2c…, 1 a Han character), c characters weighing (3c + 1) // 2 at most, so c = ⌈(2w − 1) / 3⌉.
    Asked for every candidate pair: arithmetic, not a search."""
    return max(1, -(-(2 * min_weight - 1) // 3))


def could_reuse(target: str, reference: str, settings: Settings) -> bool:
    """False only when `reused_spans` finds nothing, checked in a few substring searches: most candidate
    pairs (passages sharing a formula's shingles, or a band) share no stretch long enough to count.

    Without variants (max_gap 0) a span is one identical stretch of both texts, so it is either the whole
    target passage, found in the reference, or as long as shortest_span(min_span) at least."""
    if settings.max_gap:
        return True
    whole = target.strip()
    if whole and whole in reference:
        return True
    n = shortest_span(settings.min_span)
    return any(target[k : k + n] in reference for k in range(len(target) - n + 1))


def reused_spans(target: str, reference: str, settings: Settings, index: QgramIndex | None = None) -> list[Span]:
    """Spans of target reused from reference that are long enough to count.

    A span counts when it weighs at least min_span, or when it is the whole target passage and that
    weighs at least min_whole (a short sentence quoted inside a longer one).
    """
    whole = target.strip()
    out = []
    min_span, min_whole = settings.min_span, settings.min_whole
    seed = seed_length(settings)
    spans = aligned_spans(target, reference, settings.max_gap, settings.min_block, seed, index, min_chars=seed)
    for span in spans:
        piece = target[span.start : span.end]
        w = weight(piece) - span.bridged
        if w >= min_span or (piece == whole and w >= min_whole):
            out.append(span)
    return out
