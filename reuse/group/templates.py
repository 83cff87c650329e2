"""When lines are one template, and the text of a family's template with its slots shown as {…}."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reuse.charclass import HAN_CHAR
from reuse.settings import Settings
from reuse.text.normalize import converter

_TOKENS = re.compile(f"{HAN_CHAR}|[^\\s{HAN_CHAR[1:-1]}]+")
_HAN_ONE = re.compile(HAN_CHAR)


def _tokens(key: str) -> list[str]:
    return _TOKENS.findall(key)


def one_line(a: str, b: str, settings: Settings) -> bool:
    """Two line keys belong to one family: one template with different slots, or one long line edited
    (a lightly edited copy's lines join their source's)."""
    ta, tb = _tokens(a), _tokens(b)
    if fuzz.ratio(ta, tb) < settings.near_similarity:
        return False
    runs = _differing_runs(ta, tb)
    if not all(max(e - s, de - ds) <= settings.slot_tokens for s, e, ds, de in runs):
        return False  # a clause of its own: another line that shares words (a caption's stock opening)
    frame = len(ta) - sum(e - s for s, e, _, _ in runs)
    if len(runs) <= settings.max_slots and frame >= settings.min_frame:
        return True  # slots: an editor's name, a place
    # Edits: short differences scattered through a long line that is otherwise the same.
    return min(len(ta), len(tb)) >= settings.edit_min_tokens and fuzz.ratio(ta, tb) >= settings.edit_similarity


def edit_similarity(key: str, main: str, settings: Settings) -> float | None:
    """How much of a family's main line an edited copy of it keeps (token-level ratio, 0 to 1); None when
    the two are the same line or one template with different slots."""
    if key == main:
        return None
    ta, tb = _tokens(key), _tokens(main)
    runs = _differing_runs(ta, tb)
    frame = len(ta) - sum(e - s for s, e, _, _ in runs)
    slots = all(max(e - s, de - ds) <= settings.slot_tokens for s, e, ds, de in runs)
    if slots and len(runs) <= settings.max_slots and frame >= settings.min_frame:
        return None
    return round(fuzz.ratio(ta, tb) / 100, 4)


def _differing_runs(ta: list[str], tb: list[str]) -> list[list[int]]:
    """[start, end, start in b, end in b] of each run of tokens that differ."""
    # Indel reports a replacement as a deletion next to an insertion: merge touching edits.
    merged: list[list[int]] = []
    for op in Indel.opcodes(ta, tb):
        if op.tag == "equal":
            continue
        if merged and merged[-1][1] == op.src_start and merged[-1][3] == op.dest_start:
            merged[-1][1], merged[-1][3] = op.src_end, op.dest_end
        else:
            merged.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return merged


def template_text(texts: list[str], settings: Settings) -> str | None:
    """The first text with the parts that differ in any of the next template_members members shown as
    {…}; None when all agree.

    Texts are compared after script conversion, so that Traditional against Simplified is no slot.
    """
    first, script = texts[0], settings.script
    others = [t for t in texts[1 : settings.template_members + 1] if t != first]
    if not others:
        return None
    convert = (lambda t: t) if script == "none" else converter(script).convert
    light = convert(first)
    if len(light) != len(first):
        light = first
    slot = [False] * len(first)
    for other in others:
        for op in Indel.opcodes(light, convert(other)):
            if op.tag != "equal":
                for i in range(op.src_start, max(op.src_end, op.src_start + 1)):
                    if i < len(first):
                        slot[i] = True
    if not any(slot):
        return None
    word = [c.isalnum() and not _HAN_ONE.match(c) for c in first]
    # A slot covers whole numbers and words, and slots separated only by punctuation are one slot.
    for i in range(len(first)):
        if slot[i] and word[i]:
            j = i
            while j > 0 and word[j - 1]:
                j -= 1
                slot[j] = True
            j = i
            while j + 1 < len(first) and word[j + 1]:
                j += 1
                slot[j] = True
    filler = [not c.isalnum() for c in first]
    i = 0
    while i < len(first):
        if slot[i]:
            j = i + 1
            while j < len(first) and filler[j] and not slot[j]:
                j += 1
            if j < len(first) and slot[j]:
                for x in range(i + 1, j):
                    slot[x] = True
            i = j
        else:
            i += 1
    out, i = [], 0
    while i < len(first):
        if slot[i]:
            while i < len(first) and slot[i]:
                i += 1
            out.append("{…}")
        else:
            out.append(first[i])
            i += 1
    return "".join(out)
