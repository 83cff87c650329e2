"""The normalized text and its offset map: which original characters each normalized character stands for."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Normalized:
    """Normalized text; character i stands for original[starts[i]:ends[i]].

    The ends are kept as lengths, a byte each where every one fits (almost every normalized character
    stands for one original character): a big document's map costs 5 bytes a character, not 8."""

    text: str
    starts: np.ndarray
    """int32."""
    lengths: np.ndarray
    """ends - starts: uint8 when every one fits, else int32."""

    @classmethod
    def from_ranges(cls, text: str, starts: np.ndarray, ends: np.ndarray) -> Normalized:
        return cls(text, starts, small(ends - starts))

    @property
    def ends(self) -> np.ndarray:
        """The ends, int32 (an array made at every call)."""
        return self.starts + self.lengths.astype(self.starts.dtype)

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """The normalized range whose characters come from original[start:end]."""
        lo = int(np.searchsorted(self.starts, start, side="left"))
        hi = int(np.searchsorted(self.starts, end, side="left"))
        return lo, hi

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original range that normalized[start:end] (non-empty) stands for."""
        if not 0 <= start < end <= len(self.text):
            # An empty range stands for no characters: the caller knows where (a passage), this map does not.
            raise ValueError(f"normalized range {start}:{end} is empty or outside 0:{len(self.text)}")
        return int(self.starts[start]), int(self.starts[end - 1]) + int(self.lengths[end - 1])

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Pickled as steps and lengths, a byte each where they fit (almost every character stands for one
        # original character, one further on): a cluster scan writes its chunks to disk and every stage reads
        # them back, and the starts, four bytes a character, were over a third of a chunk's bytes.
        steps = np.diff(self.starts, prepend=0) if self.starts.size else self.starts
        return _unpickled, (self.text, small(steps), self.lengths, self.starts.dtype.str)


def small(values: np.ndarray) -> np.ndarray:
    """The values as uint8 when every one fits, else as they are."""
    if values.size and 0 <= int(values.min()) and int(values.max()) <= 255:
        return values.astype(np.uint8)
    return values


def _unpickled(text: str, steps: np.ndarray, lengths: np.ndarray, dtype: str) -> Normalized:
    return Normalized(text, np.cumsum(steps, dtype=np.int64).astype(dtype), lengths)
