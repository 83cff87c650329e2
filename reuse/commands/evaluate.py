"""Precision and recall of reuse detection against hand-labelled passages (fixtures/labels/*.jsonl).

A label names a diff pair (OLD, NEW paths relative to a root), a NEW passage by its start offset and
first characters, and its true status. Positive means reused or partial.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from reuse.commands.diff import diff
from reuse.errors import InputError
from reuse.kinds import NEW, PARTIAL, REUSED
from reuse.load.document import load_document
from reuse.settings import Settings
from reuse.text.segment import segment


@dataclass(frozen=True)
class Label:
    pair: str
    old: str
    new: str
    start: int
    quote: str
    status: str


@dataclass
class Scores:
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(true status, predicted status) → count."""
    errors: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    """(pair, start, quote, true, predicted) for each passage whose positive/negative call is wrong."""

    @property
    def total(self) -> int:
        return sum(self.confusion.values())

    def _count(self, truth: bool, predicted: bool) -> int:
        return sum(n for (t, p), n in self.confusion.items() if (t != NEW) == truth and (p != NEW) == predicted)

    @property
    def precision(self) -> float:
        tp, fp = self._count(True, True), self._count(False, True)
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self._count(True, True), self._count(True, False)
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def status_accuracy(self) -> float:
        """Share of passages whose exact status (new, partial, reused) is right."""
        right = sum(n for (t, p), n in self.confusion.items() if t == p)
        return right / self.total if self.total else 1.0

    def line(self) -> str:
        return (
            f"{self.total} labelled passages: precision {self.precision:.3f}, recall {self.recall:.3f}, "
            f"exact status {self.status_accuracy:.3f}"
        )


def load_labels(directory: str) -> list[Label]:
    labels = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                try:
                    labels.append(Label(row["pair"], row["old"], row["new"], row["start"], row["quote"], row["status"]))
                except KeyError as err:
                    raise InputError(f"{name}:{number}: label lacks {err}") from None
    return labels


def _paragraph_truth(statuses: list[str]) -> str:
    if all(s == REUSED for s in statuses):
        return REUSED
    if all(s == NEW for s in statuses):
        return NEW
    return PARTIAL


def evaluate(labels: list[Label], settings: Settings, root: str = ".") -> Scores:
    """Run each labelled pair's diff and compare statuses; paragraph settings aggregate sentence labels."""
    scores = Scores()
    by_pair: dict[tuple[str, str, str], list[Label]] = defaultdict(list)
    for label in labels:
        by_pair[(label.pair, label.old, label.new)].append(label)
    for (pair, old, new), group in sorted(by_pair.items()):
        new_doc = load_document(os.path.join(root, new), doc_id=new)
        for label in group:
            if not new_doc.text.startswith(label.quote, label.start):
                raise InputError(f"label {pair}@{label.start}: {label.quote!r} is not at that offset of {new}")
        result = diff(load_document(os.path.join(root, old), doc_id=old), new_doc, settings)
        predicted = {r.passage.start: r.status for r in result.passages}
        truth = {label.start: (label.status, label.quote) for label in group}
        if settings.unit == "paragraph":
            sentence_paragraph = {p.start: p.paragraph for p in segment(new, new_doc.text, "sentence")}
            paragraph_start = {p.paragraph: p.start for p in segment(new, new_doc.text, "paragraph")}
            grouped: dict[int, list[str]] = defaultdict(list)
            for start, (status, _) in truth.items():
                grouped[sentence_paragraph[start]].append(status)
            truth = {paragraph_start[number]: (_paragraph_truth(statuses), "") for number, statuses in grouped.items()}
        for start, (status, quote) in sorted(truth.items()):
            if start not in predicted:
                raise InputError(f"label {pair}@{start}: no passage of {new} starts there")
            got = predicted[start]
            scores.confusion[(status, got)] += 1
            if (status != NEW) != (got != NEW):
                scores.errors.append((pair, start, quote, status, got))
    return scores
