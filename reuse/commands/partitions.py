"""The corpus pipeline's reductions, each over one partition of the records that chunks.py's stages emit.

Every record of a key (or of a shingle hash, or of an LSH band value) lands in the same partition,
so each reduction sees all of what it decides on and nothing more: document frequencies of shingles,
the units of each distinct line or sentence, the LSH buckets of their first units, the families they
make, and the spans of each key. Results are sorted by corpus order wherever order could show, so
that neither the number of partitions nor the order records arrive in changes any output.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from reuse.commands.chunks import Covered, SpanRecord
from reuse.commands.unit_tables import OUTSIDE, UnitRecord, UnitTable
from reuse.group.classify import unit_decisions
from reuse.group.copies import Copies
from reuse.group.endings import INTRODUCES, SENTENCE
from reuse.group.families import Family, Level, decided_families, span_family
from reuse.group.members import Member
from reuse.group.templates import one_line
from reuse.group.union_find import UnionFind
from reuse.runtime.gc_pause import without_cyclic_gc
from reuse.settings import Settings
from reuse.sketch.candidates import pairs_within_groups


@without_cyclic_gc
def frequent_for_chunks(parts: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """For each chunk, which of its distinct hashes of one value range are in two documents or more of the
    corpus, as packed bits (parts: each chunk's distinct hashes, sorted, and in how many of its documents)."""
    if not parts:
        return []
    values = np.concatenate([v for v, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    if values.size:
        starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
        totals = np.add.reduceat(counts, starts)
        found = values[starts][totals >= 2]
    else:
        found = values
    masks = []
    for mine, _ in parts:
        at = np.minimum(np.searchsorted(found, mine), max(found.size - 1, 0))
        hit = found[at] == mine if found.size else np.zeros(mine.size, dtype=bool)
        masks.append(np.packbits(hit))
    return masks


@dataclass
class KeyPartition:
    table: UnitTable
    """Its units, from every chunk, in corpus order."""
    rows: dict[str, list[int]]
    """The rows of each key's units, in corpus order; keys in the order of their first units."""
    bands: tuple[np.ndarray, np.ndarray, np.ndarray]
    """Orders of each key's first unit, their LSH band keys, and whether they have shingles."""

    def __sizeof__(self) -> int:
        return sys.getsizeof(self.table) + 100 * len(self.rows)


@without_cyclic_gc
def group_keys(tables: list[UnitTable], bands: int) -> KeyPartition:
    """The units of one partition of keys, from every chunk, grouped by key (equal lines are one family)."""
    table = UnitTable.concat(tables, bands)
    order = np.argsort(table.ints[:, 6], kind="stable")
    keys = table.keys
    rows: dict[str, list[int]] = {}
    for i in order.tolist():
        rows.setdefault(keys[i], []).append(i)
    for key, found in rows.items():  # one string per key, not one per chunk it came from
        for i in found:
            keys[i] = key
    # A chunk signs the first unit of each of its keys; the corpus's first is some chunk's first.
    firsts = table.ints[[found[0] for found in rows.values()], 6] if rows else np.zeros(0, dtype=np.int64)
    sorter = np.argsort(table.signed, kind="stable")
    picked = sorter[np.searchsorted(table.signed, firsts, sorter=sorter)]
    return KeyPartition(table, rows, (firsts, table.band_keys[picked], table.usable[picked]))


def band_records(partition: KeyPartition, parts: int) -> list[np.ndarray]:
    """(band, band key, order) of every first unit with shingles, split by band key into partitions."""
    firsts, keys, usable = partition.bands
    orders, keys = firsts[usable], keys[usable].astype(np.int64)
    if orders.size == 0:
        return [np.zeros((0, 3), dtype=np.int64) for _ in range(parts)]
    bands = keys.shape[1]
    table = np.stack(
        (np.tile(np.arange(bands, dtype=np.int64), orders.size), keys.reshape(-1), np.repeat(orders, bands)), axis=1
    )
    which = table[:, 1].view(np.uint64) % np.uint64(parts)
    return [table[which == p] for p in range(parts)]


def band_pairs(parts: list[np.ndarray], settings: Settings) -> np.ndarray:
    """Pairs of first units (by order, smaller first) sharing a value in some band, buckets larger than
    max_lsh_bucket skipped: near_candidates' pairs, band by band, of one range of band keys."""
    table = np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)
    if table.shape[0] < 2:
        return np.zeros((0, 2), dtype=np.int64)
    _, bucket = np.unique(table[:, :2], axis=0, return_inverse=True)
    return pairs_within_groups(bucket.reshape(-1), table[:, 2], settings.max_lsh_bucket)


def keys_of(partition: KeyPartition, orders: set[int]) -> dict[int, str]:
    """The keys of the first units among orders that this partition holds."""
    order = partition.table.ints[:, 6]
    return {int(order[found[0]]): key for key, found in partition.rows.items() if int(order[found[0]]) in orders}


def components(edges: list[tuple[int, int]]) -> dict[int, int]:
    """For every order in an edge, the smallest order of its connected group."""
    nodes = sorted({n for edge in edges for n in edge})
    index = {n: i for i, n in enumerate(nodes)}
    uf = UnionFind(len(nodes))
    for a, b in edges:
        uf.union(index[a], index[b])
    return {n: nodes[uf.find(index[n])] for n in nodes}


def verified(pairs: list[tuple[int, int, str, str]], settings: Settings) -> list[tuple[int, int]]:
    """The candidate pairs (orders and keys of two first units) whose keys are one template."""
    return [(a, b) for a, b, key_a, key_b in pairs if one_line(key_a, key_b, settings)]


def ending_of(unit: UnitRecord) -> str:
    """The line_ending a unit record's flags keep."""
    return SENTENCE if unit.terminal else INTRODUCES if unit.label else ""


def unit_families(units: list[UnitRecord], copies: Copies, level: Level, settings: Settings) -> list[Family]:
    """The families of a group of units (two or more), as FamilyFinder makes them."""
    lines = {u.doc: u.lines for u in units}
    decisions = unit_decisions(units, copies, lines, ending_of, settings)
    return decided_families(units, decisions, level, lambda u: u.doc_id, settings)


def covered_by(units: list[UnitRecord]) -> Covered:
    return np.array([(u.doc, u.first, u.last) for u in units], dtype=np.int64).reshape(-1, 3)


def by_chunk(covered: Covered, chunk_of_doc: np.ndarray, count: int) -> list[Covered]:
    """The covered passages split by the chunk their document is in (chunk_of_doc: by corpus index)."""
    which = chunk_of_doc[covered[:, 0]]
    order = np.argsort(which, kind="stable")
    return np.split(covered[order], np.searchsorted(which[order], np.arange(1, count)))


PartitionFamilies = tuple[list[Family], list[Covered], dict[int, list[UnitRecord]]]
"""Families made in one partition, the passages they hold (by chunk), and the units of keys joined by near duplicates
to keys elsewhere (by the order of their group's first unit), which the client makes families of."""


@without_cyclic_gc
def partition_families(
    partition: KeyPartition,
    joined: dict[int, int],
    copies: Copies,
    level: Level,
    chunk_of: tuple[np.ndarray, int],
    settings: Settings,
) -> PartitionFamilies:
    """Families of this partition's keys; joined: for each first unit verified near another, its group's first;
    chunk_of: the chunk of each document (by its index in the corpus) and the number of chunks, to split what
    the families hold by."""
    families: list[Family] = []
    chunk_of_doc, count = chunk_of
    held: list[list[int]] = []
    elsewhere: dict[int, list[UnitRecord]] = {}
    table = partition.table
    order = table.ints[:, 6]
    for rows in partition.rows.values():
        root = joined.get(int(order[rows[0]]))
        if root is None and len(rows) < 2 and not table.flags[rows[0], OUTSIDE]:
            continue  # most keys: one line, no family, and no object made for it (but furniture of one page)
        units = [table.record(i) for i in rows]
        if root is not None:
            elsewhere.setdefault(root, []).extend(units)
        else:
            families += unit_families(units, copies, level, settings)
            held.append(rows)
    in_families = np.array([row for found in held for row in found], dtype=np.int64)
    covered = table.ints[in_families][:, :3]  # doc, first, last
    return families, by_chunk(covered, chunk_of_doc, count), elsewhere


SpanFamilies = tuple[list[Family], dict[str, list[Member]]]
"""New families of spans, and the members of spans whose key is a known family's (which they join)."""


@without_cyclic_gc
def span_families(parts: list[list[SpanRecord]], known: set[str], copies: Copies, settings: Settings) -> SpanFamilies:
    """Spans grouped by key: FamilyFinder's third level, for one partition of keys."""
    by_key: dict[str, dict[Member, bool]] = {}
    for part in parts:
        for key, doc, passage, start, end, opens in part:
            by_key.setdefault(key, {})[Member(doc, passage, start, end)] = opens
    families: list[Family] = []
    joins: dict[str, list[Member]] = {}
    for key in sorted(by_key):
        found = by_key[key]
        members = sorted(found)
        if key in known:
            joins[key] = members
            continue
        family = span_family(key, members, copies, found.__getitem__, settings)
        if family is not None:
            families.append(family)
    return families, joins
