"""Verification: rapidfuzz aligns a candidate pair and we keep the long enough identical stretches."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .charclass import HAN


@dataclass(frozen=True)
class Span:
    """A reused stretch: target[start:end] matches reference[ref_start:ref_end] (normalized passage offsets)."""

    start: int
    end: int
    ref_start: int
    ref_end: int


def weight(text: str) -> int:
    """Han characters weigh 1, words 2 (see Settings.min_span)."""
    han = len(HAN.findall(text))
    words = len(HAN.sub(" ", text).split())
    return han + 2 * words


def similarity(target: str, reference: str) -> float:
    return fuzz.ratio(target, reference) / 100.0


def _is_word(char: str) -> bool:
    return char != " " and HAN.match(char) is None


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a range to whole tokens and drop spaces at its edges."""
    while start < end and start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start += 1
    while end > start and end < len(text) and _is_word(text[end]) and _is_word(text[end - 1]):
        end -= 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def aligned_spans(target: str, reference: str, max_gap: int, min_block: int = 2) -> list[Span]:
    """Identical stretches of target found in reference, small edits (≤ max_gap chars each side) bridged."""
    blocks = [
        (op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Indel.opcodes(target, reference)
        if op.tag == "equal" and op.src_end - op.src_start >= min_block
    ]
    merged: list[list[int]] = []
    for s, e, rs, re_ in blocks:
        if merged and s - merged[-1][1] <= max_gap and rs - merged[-1][3] <= max_gap:
            merged[-1][1], merged[-1][3] = e, re_
        else:
            merged.append([s, e, rs, re_])
    spans = []
    for s, e, rs, re_ in merged:
        ss, se = _snap(target, s, e)
        if ss < se:
            spans.append(Span(ss, se, rs + (ss - s), re_ - (e - se)))
    return spans


def reused_spans(target: str, reference: str, min_span: int, min_whole: int, max_gap: int) -> list[Span]:
    """Spans of target reused from reference that are long enough to count.

    A span counts when it weighs at least min_span, or when it is the whole target passage and that
    weighs at least min_whole (a short sentence quoted inside a longer one).
    """
    whole = target.strip()
    out = []
    for span in aligned_spans(target, reference, max_gap):
        piece = target[span.start : span.end]
        w = weight(piece)
        if w >= min_span or (piece == whole and w >= min_whole):
            out.append(span)
    return out
