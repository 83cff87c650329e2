"""Every passage's verification result, holding only those that found something.

A diff of big documents has millions of passages, most of them often new: a result for each, with
its Passage, is a few hundred bytes of objects that say nothing a status would not. `PassageResults`
keeps the results that found something and makes the others, all alike, when they are asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from reuse.kinds import NEW, ReportedStatus
from reuse.sketch.prepared import PreparedDocument
from reuse.verify.verifier import VerifiedPassage


def found_nothing(result: VerifiedPassage) -> bool:
    """Whether result is what a passage with no match is given (PassageResults makes those)."""
    return (
        result.status == NEW
        and not result.matches
        and not result.spans
        and result.similarity == 0.0
        and result.coverage == 0.0
        and result.documents == 0
    )


class PassageResults(Sequence[VerifiedPassage]):
    """The results of some passages of document, in order: those in found as they are, the others
    (found nothing) as new ones with this status.

    indexes: which passages, in order (all of them when None)."""

    def __init__(
        self,
        document: PreparedDocument,
        found: Mapping[int, VerifiedPassage],
        status: ReportedStatus = NEW,
        indexes: np.ndarray | None = None,
    ) -> None:
        self.document, self.found, self.status = document, found, status
        self.indexes = np.arange(len(document), dtype=np.int64) if indexes is None else indexes

    def __len__(self) -> int:
        return int(self.indexes.size)

    @overload
    def __getitem__(self, k: int) -> VerifiedPassage: ...
    @overload
    def __getitem__(self, k: slice) -> list[VerifiedPassage]: ...
    def __getitem__(self, k: int | slice) -> VerifiedPassage | list[VerifiedPassage]:
        if isinstance(k, slice):
            return [self._result(i) for i in self.indexes[k].tolist()]
        return self._result(int(self.indexes[k]))

    def __iter__(self) -> Iterator[VerifiedPassage]:
        for i in self.indexes.tolist():
            yield self._result(i)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Sequence[VerifiedPassage]) -> list[VerifiedPassage]:
        return [*self, *other]

    def __radd__(self, other: Sequence[VerifiedPassage]) -> list[VerifiedPassage]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"PassageResults({len(self)} passages, {len(self.found)} found something)"

    def _result(self, i: int) -> VerifiedPassage:
        result = self.found.get(i)
        if result is None:
            return VerifiedPassage(self.document.passage(i), self.status, 0.0, 0.0, 0, (), ())
        return result
