"""Every passage's verification result, holding only those that found something, and those on disk
once there are many.

A diff of big documents has millions of passages, most of them often new: a result for each, with
its Passage, is a few hundred bytes of objects that say nothing a status would not. `PassageResults`
keeps the results that found something and makes the others, all alike, when they are asked for.
Those that found something can be millions too, each with its matches (a few hundred bytes a match;
a passage of a big document can match hundreds of copies): `FoundResults` keeps results as objects
until they hold IN_MEMORY matches, and writes the rest, pickled, to an unnamed temporary file, read
back one by one as the report asks for them.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, overload

import numpy as np

from reuse.kinds import NEW, ReportedStatus
from reuse.sketch.prepared import PreparedDocument
from reuse.verify.verifier import VerifiedPassage

IN_MEMORY = 200_000
"""Matches (a result counting as one more) kept as objects before the rest go to disk: about 60 MB."""


class FoundResults(Mapping[int, VerifiedPassage]):
    """Results by passage index, added in any order; past IN_MEMORY matches, pickled to a temporary file."""

    def __init__(self, in_memory: int | None = None) -> None:
        self.in_memory = IN_MEMORY if in_memory is None else in_memory
        self.held: dict[int, VerifiedPassage] = {}
        self.held_matches = 0
        self.places: dict[int, tuple[int, int]] = {}
        """Where each result on disk is: offset and length in the file."""
        self.file: IO[bytes] | None = None

    def add(self, i: int, result: VerifiedPassage) -> None:
        if self.file is None and self.held_matches + 1 + len(result.matches) <= self.in_memory:
            self.held[i] = result
            self.held_matches += 1 + len(result.matches)
            return
        if self.file is None:
            # Unnamed, so gone with the process however it ends; it lives as long as these results do.
            self.file = tempfile.TemporaryFile()  # noqa: SIM115
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self.file.seek(0, 2)
        self.places[i] = (self.file.tell(), len(data))
        self.file.write(data)

    def __getitem__(self, i: int) -> VerifiedPassage:
        held = self.held.get(i)
        if held is not None:
            return held
        offset, size = self.places[i]
        assert self.file is not None
        self.file.seek(offset)
        result: VerifiedPassage = pickle.loads(self.file.read(size))
        return result

    def get(self, i: int, default: VerifiedPassage | None = None) -> VerifiedPassage | None:  # type: ignore[override]
        return self[i] if i in self.held or i in self.places else default

    def __contains__(self, i: object) -> bool:
        return i in self.held or i in self.places

    def __iter__(self) -> Iterator[int]:
        return iter(sorted([*self.held, *self.places]))

    def __len__(self) -> int:
        return len(self.held) + len(self.places)

    def __del__(self) -> None:
        if self.file is not None:
            self.file.close()


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
