"""Units as the corpus pipeline's stages send them: records of one unit, and tables of many as columns."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from reuse.group.units import Unit

PASSAGE_BITS = 24
"""A unit's place in corpus order is (document's index << PASSAGE_BITS) | first passage."""


@dataclass(slots=True)
class UnitRecord(Unit):
    """A unit with what the corpus-wide reductions need of its document, which they do not have."""

    doc_id: str = ""
    order: int = 0
    """Its place in corpus order (see PASSAGE_BITS): the first unit of a key stands for it, as in-process."""
    terminal: bool = False
    """It ends a sentence (classify.line_ending)."""
    label: bool = False
    """It ends as a label that introduces what follows (classify.line_ending)."""
    lines: int = 0
    """The number of lines of its document."""


_INTS = ("doc", "first", "last", "start", "end", "paragraph", "order", "lines")
_FLAGS = ("whole_line", "headline", "terminal", "label", "inside", "outside", "amid")
OUTSIDE = _FLAGS.index("outside")


@dataclass
class UnitTable:
    """Units as columns (records of millions of units cross between processes: arrays and lists of strings
    pickle fast, objects do not); `record(i)` gives one as a UnitRecord."""

    ints: np.ndarray
    """(n, 8) int64: doc (index in the corpus), first, last, start, end, paragraph, order, lines."""
    flags: np.ndarray
    """(n, 7) bool: whole_line, headline, terminal, label, inside, outside, amid."""
    keys: list[str]
    doc_ids: list[str]
    signed: np.ndarray
    """Orders of the units whose LSH band keys are given (the first of each key in its chunk)."""
    band_keys: np.ndarray
    """(len(signed), bands) int64."""
    usable: np.ndarray
    """Whether each signed unit has shingles at all."""

    def __len__(self) -> int:
        return len(self.keys)

    def __sizeof__(self) -> int:  # what Dask weighs when it places tasks and spills
        text = sum(len(k) for k in self.keys) * 2
        return int(self.ints.nbytes + self.flags.nbytes + self.band_keys.nbytes + text + 100 * len(self.keys))

    def record(self, i: int) -> UnitRecord:
        doc, first, last, start, end, paragraph, order, lines = self.ints[i].tolist()
        whole_line, headline, terminal, label, inside, outside, amid = self.flags[i].tolist()
        return UnitRecord(
            doc, first, last, start, end, self.keys[i], paragraph, whole_line, headline, inside, outside, amid,
            self.doc_ids[i], order, terminal, label, lines,
        )  # fmt: skip

    def placed(self, gidx: np.ndarray) -> UnitTable:
        """The same units with their documents' places in the chunk (as analysis numbers them) turned into
        their places in the corpus (gidx: the corpus index of each of the chunk's documents)."""
        ints = self.ints.copy()
        ints[:, 0] = gidx[ints[:, 0]] if len(self) else ints[:, 0]
        ints[:, 6] = (ints[:, 0] << PASSAGE_BITS) | ints[:, 1]
        first = self.signed & ((1 << PASSAGE_BITS) - 1)
        signed = (gidx[self.signed >> PASSAGE_BITS] << PASSAGE_BITS) | first if self.signed.size else self.signed
        return replace(self, ints=ints, signed=signed)

    @staticmethod
    def concat(tables: list[UnitTable], bands: int) -> UnitTable:
        if not tables:
            return UnitTable.empty(bands)
        return UnitTable(
            np.concatenate([t.ints for t in tables]),
            np.concatenate([t.flags for t in tables]),
            [k for t in tables for k in t.keys],
            [d for t in tables for d in t.doc_ids],
            np.concatenate([t.signed for t in tables]),
            np.concatenate([t.band_keys for t in tables]),
            np.concatenate([t.usable for t in tables]),
        )

    @staticmethod
    def empty(bands: int) -> UnitTable:
        return UnitTable(
            np.zeros((0, len(_INTS)), dtype=np.int64), np.zeros((0, len(_FLAGS)), dtype=bool), [], [],
            np.zeros(0, dtype=np.int64), np.zeros((0, bands), dtype=np.int64), np.zeros(0, dtype=bool),
        )  # fmt: skip
