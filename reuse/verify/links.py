"""A link of the alignment (which Chinese and English passages render each other), and what a passage's
terms say about the turn it opens (reuse.text.bilingual.opens_turn answers the same from the text, before
its terms exist)."""

from __future__ import annotations

from dataclasses import dataclass

from reuse.text.bilingual import SPEAKER, Terms


@dataclass(frozen=True)
class Link:
    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float
    """The cosine of their terms (0 to 1): how much of each side the other renders, as the dictionary sees it."""


def speaker(passage: Terms) -> frozenset[str]:
    """The speaker's label it opens with, as a term (问：, Q: ask; 答：, A: answer), or none."""
    return frozenset(t for t in passage.terms if t.startswith(SPEAKER))


def opens_turn(passage: Terms) -> bool:
    return bool(speaker(passage))


def asks(passage: Terms) -> bool:
    return SPEAKER + "q" in passage.terms
