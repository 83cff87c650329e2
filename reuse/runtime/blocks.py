"""Arrays made a block at a time, joined without holding every block and every joined array at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def join_blocks(columns: Sequence[list[np.ndarray]]) -> list[np.ndarray]:
    """Each column's blocks joined into one array, a column at a time; each column's list is emptied as it
    is joined, so that its blocks are let go before the next column is (the blocks and all the joined
    arrays together were a big document's peak)."""
    joined = []
    for blocks in columns:
        joined.append(np.concatenate(blocks))
        blocks.clear()
    return joined
