"""Near-duplicate documents of a corpus on a cluster (group.copies): the chunks' first MinHash values
gathered once, the whole signatures of the candidates only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from reuse.commands import chunks
from reuse.commands.cluster_tasks import Tasks
from reuse.group.copies import Copies, find_copies

if TYPE_CHECKING:
    from distributed import Future


def copies_on_cluster(run: Tasks, futures: list[Future], order: dict[str, int]) -> Copies:
    """Which documents are near-duplicates of which: candidates from the chunks' first MinHash values placed in
    corpus order, confirmed by the whole signatures of the candidates, asked of the chunks that hold them."""
    settings = run.settings
    prefixes = np.zeros((len(order), settings.near_candidate_values), dtype=np.uint32)
    usable = np.zeros(len(order), dtype=bool)
    chunk_ids: list[list[str]] = []
    for ids, rows, has in run.gather([run.on_chunk(chunks.chunk_signatures, f) for f in futures]):
        at = np.array([order[i] for i in ids], dtype=np.int64)
        prefixes[at], usable[at] = rows, has
        chunk_ids.append(ids)
    by_place = sorted(order, key=order.__getitem__)

    def whole(docs: list[int]) -> np.ndarray:
        wanted = {by_place[d] for d in docs}
        asked = [(c, [i for i in ids if i in wanted]) for c, ids in enumerate(chunk_ids)]
        asked = [(c, ids) for c, ids in asked if ids]
        rows = run.gather([run.on_chunk(chunks.whole_signatures, futures[c], ids) for c, ids in asked])
        found = {i: row for (_, ids), part in zip(asked, rows) for i, row in zip(ids, part)}
        return np.stack([found[by_place[d]] for d in docs])

    return find_copies(by_place, prefixes, usable, whole, settings)
