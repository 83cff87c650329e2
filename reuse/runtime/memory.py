"""What a run of big documents does to hold less: arrays set aside on disk while it works on something
else, and glibc told to give big freed blocks back at once."""

from __future__ import annotations

import ctypes
import tempfile

import numpy as np

_M_MMAP_THRESHOLD = -3
"""mallopt's parameter number for the size from which glibc maps an allocation of its own."""
MAPPED_FROM = 128 * 1024


def return_big_blocks() -> bool:
    """Have glibc map every allocation of MAPPED_FROM bytes or more and unmap it when freed (its default,
    until a big block is freed: then it raises the threshold to 32 MB and keeps freed blocks in the heap,
    where a whole-document array of one stage leaves room that the next stage's smaller ones cannot
    all reuse). Costs page faults; worth it past some tens of MB of text. False where there is no glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MAPPED_FROM))
    except (OSError, AttributeError):
        return False


class SetAside:
    """Arrays written to an unnamed temporary file and let go, to be read back once (`back`)."""

    def __init__(self, arrays: list[np.ndarray]) -> None:
        self.count = len(arrays)
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (read back, and closed, by back())
        for array in arrays:
            np.save(self.file, array, allow_pickle=False)

    def back(self) -> list[np.ndarray]:
        self.file.seek(0)
        arrays = [np.load(self.file, allow_pickle=False) for _ in range(self.count)]
        self.file.close()
        return arrays
