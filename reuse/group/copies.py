"""Near-duplicate documents (re-scrapes, syndicated copies), so that a decision counts each story once."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

import numpy as np

from reuse.group.union_find import UnionFind
from reuse.settings import Settings
from reuse.sketch.candidates import agreement, lsh_pairs


@dataclass(frozen=True)
class Copies:
    """Which documents of a corpus are near-duplicates of which (MinHash of all their shingles at least
    near_duplicate alike, as `audit` finds them, exact copies included).

    A family's kind is weighed by how many distinct documents hold it: a hundred copies of one page would
    otherwise outvote the corpus, and a few noisy copies overturn a decision (a shuffled copy moves the
    slogan off its page's edge)."""

    of: np.ndarray
    """Per document (its place in corpus order), the first document of its cluster (itself when alone)."""
    by_id: dict[str, str] = field(default_factory=dict)
    """For documents in a cluster of two or more only: id → the id of its cluster's first."""
    distinct: int = 0
    """Documents, near-duplicates counted once."""

    def among(self, docs: Collection[int]) -> int:
        """Distinct documents among these (distinct) places in corpus order."""
        if not self.by_id:
            return len(docs)
        of = self.of
        return len({int(of[d]) for d in docs})

    def among_ids(self, ids: Iterable[str]) -> int:
        """Distinct documents among these ids."""
        by_id = self.by_id
        return len({by_id.get(i, i) for i in ids})


def alone(n_docs: int) -> Copies:
    """A corpus of n_docs documents, none a near-duplicate of another."""
    return Copies(np.arange(n_docs, dtype=np.int64), distinct=n_docs)


def find_copies(
    ids: list[str],
    prefixes: np.ndarray,
    usable: np.ndarray,
    whole: Callable[[list[int]], np.ndarray],
    settings: Settings,
) -> Copies:
    """The near-duplicate clusters of documents (in corpus order: ids, the first near_candidate_values of
    their MinHash, whether they have shingles). Candidates share a band of those first values; whole(docs)
    gives the whole signatures of the candidates whose first values are alike within near_candidate_margin
    of near_duplicate (rows in the order asked), which confirm them as `audit` does: at least
    near_duplicate of their values equal.

    Signing every document whole cost a scan a tenth of its time; the first values find the candidates
    (all but about 1.5% of pairs at exactly 0.8 similarity, all but 0.02% at 0.9) at a quarter of it."""
    rows = settings.rows
    pairs = lsh_pairs(prefixes, max(1, prefixes.shape[1] // rows), rows, usable)
    of = np.arange(len(ids), dtype=np.int64)
    # Most candidates of a site's pages share only its furniture: their first values already say so.
    pairs = pairs[agreement(prefixes, pairs) >= settings.near_duplicate - settings.near_candidate_margin]
    if pairs.size == 0:
        return Copies(of, distinct=len(ids))
    wanted = np.unique(pairs)
    full = whole(wanted.tolist())
    confirmed = pairs[agreement(full, np.searchsorted(wanted, pairs)) >= settings.near_duplicate]
    uf = UnionFind(len(ids))
    for i, j in confirmed.tolist():
        uf.union(i, j)
    by_id = {}
    for group in uf.groups():
        of[group] = group[0]
        by_id.update({ids[d]: ids[group[0]] for d in group})
    return Copies(of, by_id, int(np.count_nonzero(of == np.arange(len(ids)))))
