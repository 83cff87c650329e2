"""Helpers of the align tests: a Chinese and an English text aligned as two documents, and what a passage
was given as counterparts."""

from __future__ import annotations

from reuse.commands.align import AlignResult, align_documents
from reuse.load.document import Document
from reuse.settings import Settings


def aligned(zh: str, en: str, settings: Settings | None = None) -> AlignResult:
    return align_documents(Document("zh", zh, "utf-8"), Document("en", en, "utf-8"), settings or Settings())


def counterparts_of(result: AlignResult, text: str) -> set[str]:
    """The texts of the counterparts of the first passage that reads `text`."""
    passage = next(a for a in result.passages if a.passage.text == text)
    return {q.text for q, _ in passage.counterparts}
