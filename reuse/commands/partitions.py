"""The corpus pipeline's reductions, each over one partition of the records that chunks.py's stages emit.

Every record of a key (or of a shingle hash, or of an LSH band value) lands in the same partition,
so each reduction sees all of what it decides on and nothing more: document frequencies of shingles,
the units of each distinct line or sentence, the LSH buckets of their first units, the families they
make, and the spans of each key. Results are sorted by corpus order wherever order could show, so
that neither the number of partitions nor the order records arrive in changes any output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reuse.commands.chunks import Covered, SpanRecord, UnitRecord
from reuse.commands.scan import frequent_hashes
from reuse.group.classify import unit_kind
from reuse.group.families import Family, Level, Member, span_family
from reuse.group.templates import same_template
from reuse.settings import Settings
from reuse.sketch.candidates import pairs_within_groups


def frequent(parts: list[np.ndarray]) -> np.ndarray:
    """The hashes of one value range found in two documents or more (each part: documents' distinct hashes)."""
    return frequent_hashes(parts)


@dataclass
class KeyPartition:
    units: dict[str, list[UnitRecord]]
    """The units of each key, in corpus order; keys in the order of their first units."""
    bands: dict[int, tuple[np.ndarray, bool]]
    """LSH band keys of each key's first unit (by its order), and whether it has shingles."""


def group_keys(
    unit_parts: list[list[UnitRecord]], band_parts: list[dict[int, tuple[np.ndarray, bool]]]
) -> KeyPartition:
    """The units of one partition of keys, from every chunk, grouped by key (equal lines are one family)."""
    units = sorted((u for part in unit_parts for u in part), key=lambda u: u.order)
    by_key: dict[str, list[UnitRecord]] = {}
    for u in units:
        by_key.setdefault(u.key, []).append(u)
    signed: dict[int, tuple[np.ndarray, bool]] = {}
    for part in band_parts:
        signed.update(part)
    # A chunk signs the first unit of each of its keys; the corpus's first is some chunk's first.
    return KeyPartition(by_key, {found[0].order: signed[found[0].order] for found in by_key.values()})


def band_records(partition: KeyPartition, parts: int) -> list[np.ndarray]:
    """(band, band key, order) of every first unit with shingles, split by band key into partitions."""
    rows = [(order, keys) for order, (keys, usable) in partition.bands.items() if usable]
    if not rows:
        return [np.zeros((0, 3), dtype=np.int64) for _ in range(parts)]
    orders = np.array([order for order, _ in rows], dtype=np.int64)
    keys = np.stack([k for _, k in rows]).astype(np.int64)
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
    return {found[0].order: key for key, found in partition.units.items() if found[0].order in orders}


def verified(pairs: list[tuple[int, int, str, str]], settings: Settings) -> list[tuple[int, int]]:
    """The candidate pairs (orders and keys of two first units) whose keys are one template."""
    return [(a, b) for a, b, key_a, key_b in pairs if same_template(key_a, key_b, settings)]


def unit_family(units: list[UnitRecord], n_docs: int, level: Level, settings: Settings) -> Family:
    """The family of a group of units (two or more), as FamilyFinder makes it."""
    lines = {u.doc: u.lines for u in units}
    kind = unit_kind(units, n_docs, lines, lambda u: u.terminal, settings)
    members = sorted(Member(u.doc_id, u.first, u.start, u.end) for u in units)
    return Family(kind, level, members, keys={u.key for u in units})


def covered_by(units: list[UnitRecord]) -> Covered:
    return [(u.doc, u.first, u.last) for u in units]


PartitionFamilies = tuple[list[Family], Covered, dict[int, list[UnitRecord]]]
"""Families made in one partition, the passages they hold, and the units of keys joined by near duplicates
to keys elsewhere (by the order of their group's first unit), which the client makes families of."""


def partition_families(
    partition: KeyPartition, joined: dict[int, int], n_docs: int, level: Level, settings: Settings
) -> PartitionFamilies:
    """Families of this partition's keys; joined: for each first unit verified near another, its group's first."""
    families: list[Family] = []
    covered: Covered = []
    elsewhere: dict[int, list[UnitRecord]] = {}
    for units in partition.units.values():
        root = joined.get(units[0].order)
        if root is not None:
            elsewhere.setdefault(root, []).extend(units)
        elif len(units) > 1:
            families.append(unit_family(units, n_docs, level, settings))
            covered += covered_by(units)
    return families, covered, elsewhere


SpanFamilies = tuple[list[Family], dict[str, list[Member]]]
"""New families of spans, and the members of spans whose key is a known family's (which they join)."""


def span_families(parts: list[list[SpanRecord]], known: set[str], n_docs: int, settings: Settings) -> SpanFamilies:
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
        family = span_family(key, members, n_docs, found.__getitem__, settings)
        if family is not None:
            families.append(family)
    return families, joins
