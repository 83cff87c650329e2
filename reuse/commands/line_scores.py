"""How well boilerplate is told from content, line by line, against lines labelled `furniture` or `content`
(the mfa corpus's labels.json, or labels you make in that form).

A line counts as flagged when most of its non-space characters lie in boilerplate. Precision is over
flagged lines, recall over all furniture lines (including those that recur on one page only), and
"content kept" is the share of content lines not flagged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LabelledLine = tuple[int, int, str]
"""[start, end, label] of one line of a text file: label `furniture` or `content`."""


@dataclass(frozen=True)
class LineScores:
    furniture: int
    content: int
    flagged_furniture: int
    flagged_content: int

    @classmethod
    def of(cls, calls: Iterable[tuple[str, bool]]) -> LineScores:
        """The scores of lines given as (label, flagged)."""
        furniture = content = hit_furniture = hit_content = 0
        for label, hit in calls:
            if label == "furniture":
                furniture += 1
                hit_furniture += hit
            else:
                content += 1
                hit_content += hit
        return cls(furniture, content, hit_furniture, hit_content)

    def __add__(self, other: LineScores) -> LineScores:
        return LineScores(
            self.furniture + other.furniture,
            self.content + other.content,
            self.flagged_furniture + other.flagged_furniture,
            self.flagged_content + other.flagged_content,
        )

    @property
    def precision(self) -> float:
        flagged = self.flagged_furniture + self.flagged_content
        return self.flagged_furniture / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.flagged_furniture / self.furniture if self.furniture else 1.0

    @property
    def content_kept(self) -> float:
        return 1 - self.flagged_content / self.content if self.content else 1.0


NO_LINES = LineScores(0, 0, 0, 0)


def load_line_labels(path: str) -> dict[str, list[LabelledLine]]:
    """{file name: its labelled lines}."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return {name: [(int(s), int(e), str(label)) for s, e, label in lines] for name, lines in raw.items()}


def flagged(text: str, intervals: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """Do most of the non-space characters of text[start:end] lie in the intervals?"""
    covered = [False] * (end - start)
    for s, e in intervals:
        for i in range(max(s, start), min(e, end)):
            covered[i - start] = True
    nonspace = [not c.isspace() for c in text[start:end]]
    return 2 * sum(c and n for c, n in zip(covered, nonspace)) > sum(nonspace)


def score_lines(text: str, boilerplate: Sequence[tuple[int, int]], lines: Iterable[LabelledLine]) -> LineScores:
    """The scores of one document: text as loaded, boilerplate its flagged intervals (sorted)."""

    def call(start: int, end: int) -> bool:
        near = [(s, e) for s, e in boilerplate if s < end and start < e]
        return bool(near) and flagged(text, near, start, end)

    return LineScores.of((label, call(start, end)) for start, end, label in lines)


def compact(text: str) -> tuple[str, list[int]]:
    """text without white space, and where each of its characters is in text."""
    kept = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in kept), kept


def carried_over(source: str, target: str) -> list[int | None]:
    """For each character of source (compact: no white space), where the same character is in target, as
    the longest common subsequence of the two aligns them (None: not carried over). How labels on one
    rendering of a page (a naive scrape) are read on another (our HTML text, an extractor's output)."""
    from rapidfuzz.distance import Indel

    where: list[int | None] = [None] * len(source)
    for op in Indel.opcodes(source, target):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                where[op.src_start + k] = op.dest_start + k
    return where


def score_carried(
    labelled_text: str,
    lines: Iterable[LabelledLine],
    text: str,
    is_furniture: Sequence[bool],
) -> LineScores:
    """The scores of labelled lines read on another rendering of the page: text, whose characters
    is_furniture says are flagged (one flag per character of text). A labelled line counts as flagged
    when most of its non-space characters are carried over to flagged characters, or are not carried
    over at all (an extractor that drops a line calls it furniture)."""
    source, source_at = compact(labelled_text)
    target, target_at = compact(text)
    where = carried_over(source, target)
    index_of = {offset: k for k, offset in enumerate(source_at)}

    def call(start: int, end: int) -> bool:
        ks = [index_of[i] for i in range(start, end) if i in index_of]
        votes = 0
        for k in ks:
            there = where[k]
            votes += there is None or is_furniture[target_at[there]]
        return 2 * votes > len(ks)

    return LineScores.of((label, call(start, end)) for start, end, label in lines)
