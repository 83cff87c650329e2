"""Segmentation: paragraphs (lines, or HTML block tags), then sentences, with offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from reuse.charclass import HAN_CHAR, languages

# Lines are paragraphs in scraped text; HTML block tags left in it also end one.
_BREAK = re.compile(
    r"\r\n|\r|\n|\u2028|\u2029"
    r"|</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|header|footer|hr)\b[^<>]*>",
    re.IGNORECASE,
)

_CLOSERS = "\"'”’」』）)】]》"
# Full-width terminators end a sentence anywhere.
_ZH_END = re.compile(f"[。！？；]+[{re.escape(_CLOSERS)}]*")
# Half-width ones end a Chinese sentence when they follow Han text (after NFKC the seeds use them).
_ZH_HALF_END = re.compile(f"(?<={HAN_CHAR})[!?;]+[{re.escape(_CLOSERS)}]*|(?<=[”」』])[!?;]+")
# Latin and Cyrillic: . ! ? followed by space and something that can start a sentence.
_LATIN_END = re.compile(f"[.!?]+[{re.escape(_CLOSERS)}]*(?=\\s+[\"'“‘«(\\[A-ZА-ЯЁ0-9]|\\s+{HAN_CHAR})")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "gov",
        "sen",
        "rep",
        "col",
        "lt",
        "sgt",
        "capt",
        "rev",
        "messrs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "fig",
        "approx",
        "est",
        "al",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "г",
        "гг",
        "т",
        "д",
        "им",
        "ул",
        "пр",
        "стр",
        "тыс",
        "млн",
        "млрд",
    ]
)
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_CREDIT = re.compile(r"\s*\([^()\n]{1,60}\)")


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence or paragraph of a document; text == document.text[start:end]."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    lang: str
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank paragraphs as (start, end), whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _BREAK.finditer(text):
        spans.extend(_trimmed(text, position, match.start()))
        position = match.end()
    spans.extend(_trimmed(text, position, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []


def _latin_cut(paragraph: str, match: re.Match[str]) -> int | None:
    """Where a Latin sentence mark ends the sentence, or None for abbreviations and initials.

    A short parenthetical right after the stop is a photo or agency credit ("2025. (Xinhua/Rao
    Aimin)"): it stays with its sentence and the cut moves after it.
    """
    if match.group().startswith("."):
        before = _word_before(paragraph, match.start() + 1)
        if before:
            word = before.group(1).lower().strip(".")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                return None
            if re.fullmatch(r"(?:\w\.)+\w", word):  # U.S, U.N
                return None
    credit = _CREDIT.match(paragraph, match.end())
    if credit is not None and (credit.end() == len(paragraph) or paragraph[credit.end()].isspace()):
        return credit.end()
    return match.end()


def _word_before(paragraph: str, end: int) -> re.Match[str] | None:
    """The word ending at `end` (with its dot), as a search of the whole paragraph before it finds it.

    Searching from the paragraph's start for every stop costs the square of a paragraph without
    breaks; the leftmost match starts where the run of word characters before the stop starts, so a
    window that widens until the match starts inside it finds the same match.
    """
    width = 64
    while True:
        start = max(0, end - width)
        found = _WORD_BEFORE.search(paragraph, start, end)
        if start == 0 or found is None or found.start() > start:
            return found
        width *= 2


def sentence_ends(paragraph: str) -> list[int]:
    """Offsets (within the paragraph) just after each sentence-ending mark."""
    # Most paragraphs lack most of these marks: a substring test is far cheaper than a regex scan.
    ends = {m.end() for m in _ZH_END.finditer(paragraph)} if _has_any(paragraph, "。！？；") else set()
    if _has_any(paragraph, "!?;"):
        ends.update(m.end() for m in _ZH_HALF_END.finditer(paragraph))
    if _has_any(paragraph, ".!?"):
        for m in _LATIN_END.finditer(paragraph):
            cut = _latin_cut(paragraph, m)
            if cut is not None:
                ends.add(cut)
    return sorted(ends)


def _has_any(text: str, marks: str) -> bool:
    return any(mark in text for mark in marks)


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    paragraph = text[start:end]
    spans: list[tuple[int, int]] = []
    position = 0
    for cut in sentence_ends(paragraph) + [len(paragraph)]:
        if cut > position:
            spans.extend(_trimmed(text, start + position, start + cut))
            position = cut
    return spans


def segment_bounds(text: str, unit: str = "sentence") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, end and paragraph number of every passage, as arrays (what `segment` makes passages of)."""
    starts: list[int] = []
    ends: list[int] = []
    numbers: list[int] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        pieces = sentences(text, p_start, p_end) if unit == "sentence" else [(p_start, p_end)]
        for s_start, s_end in pieces:
            starts.append(s_start)
            ends.append(s_end)
            numbers.append(number)
    return (
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array(numbers, dtype=np.int64),
    )


def segment(doc_id: str, text: str, unit: str = "sentence") -> list[Passage]:
    """Cover the text with passages in order; together with the whitespace between them they cover it all."""
    starts, ends, numbers = segment_bounds(text, unit)
    langs = languages(text, starts, ends)
    return [
        Passage(doc_id, i, start, end, text[start:end], lang, number)
        for i, (start, end, number, lang) in enumerate(zip(starts.tolist(), ends.tolist(), numbers.tolist(), langs))
    ]
