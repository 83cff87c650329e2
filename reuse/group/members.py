"""Where families occur: one Member per occurrence, kept by the million as a family's columns (Members)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, overload

import numpy as np


class Member(NamedTuple):
    """Where a family occurs. A tuple: made, hashed and sorted at C speed."""

    doc: str
    passage: int
    """Index of the (first) passage (`index` in JSON)."""
    start: int
    end: int


class Members(Sequence[Member]):
    """A family's members in order, as columns: each document id one shared string, the numbers one int64 row.

    A corpus of 100,000 readouts has millions of members, which the process that reports holds to the end:
    as Member tuples with their own ints and id strings they cost some 240 bytes each, as columns 32.
    Reading one gives a Member, so that code reads them as it would a list."""

    __slots__ = ("docs", "rows")

    def __init__(self, members: Iterable[Member] = ()) -> None:
        found = list(members)
        self.docs: list[str] = [sys.intern(m.doc) for m in found]
        self.rows: np.ndarray = np.array([m[1:] for m in found], dtype=np.int64).reshape(-1, 3)
        """(passage, start, end) of each member."""

    def __len__(self) -> int:
        return len(self.docs)

    @overload
    def __getitem__(self, i: int) -> Member: ...

    @overload
    def __getitem__(self, i: slice) -> list[Member]: ...

    def __getitem__(self, i: int | slice) -> Member | list[Member]:
        if isinstance(i, slice):
            return list(_members(self.docs[i], self.rows[i]))
        passage, start, end = self.rows[i].tolist()
        return Member(self.docs[i], passage, start, end)

    def __iter__(self) -> Iterator[Member]:
        return _members(self.docs, self.rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Members):
            return self.docs == other.docs and np.array_equal(self.rows, other.rows)
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the list it stands for

    def __repr__(self) -> str:
        return f"Members({list(self)!r})"

    def documents(self) -> int:
        """In how many documents its members are."""
        return len(set(self.docs))

    def __getstate__(self) -> tuple[list[str], np.ndarray]:
        return self.docs, self.rows

    def __setstate__(self, state: tuple[list[str], np.ndarray]) -> None:
        # Each family arrives as its own pickle, with its own copies of the ids: one string per document again.
        docs, self.rows = state
        self.docs = [sys.intern(doc) for doc in docs]


def _members(docs: list[str], rows: np.ndarray) -> Iterator[Member]:
    columns: list[Any] = rows.T.tolist() if len(rows) else [[], [], []]
    return map(Member, docs, *columns)
