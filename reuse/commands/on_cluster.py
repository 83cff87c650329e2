"""`scan`, `audit` and `clean` on a Dask cluster: chunks.py's stages on the workers, partitions.py's reductions
between them, and only families and per-document figures through the client.

The stages, with what each reads and gives (M chunks of files, P partitions):

1. analyse (per chunk): files → Chunk, with its lines' unit records by key partition, kept by its worker's
   chunk store (chunk_store.py: in memory up to a budget, the rest on the worker's disk); in the same
   visit, its documents' ids and its shingle hashes with their document counts by value range.
2. ids (client): every document's id → its place in corpus (id) order; ids used twice refused; the
   lines' records renumbered in that order when the lines stage reads them.
3. frequent (per hash range): the chunks' hashes and counts → for each chunk, which of its hashes are in
   two documents or more (a bit mask, sent to that chunk's span stage).
4. lines, then sentences (per chunk → per key partition → per band partition → client):
   units by key → equal keys grouped, first units' LSH bands → candidate pairs → verified pairs
   (one_line) → groups joined on the client → families, and the passages they hold (sent from the
   partitions to the chunks, whose next level skips them).
5. spans (per chunk → per key partition): spans of frequent shingles → span families, and spans joining
   a line or sentence family of the same key.
6. finish (per chunk): the lines context makes furniture in each document (group.context), each
   document's shares (and audit), and the few member texts that name each family and its template;
   clean's copies, written by the workers. The client adds the context families and describes them all.

In-process, FamilyFinder runs the same per-document functions and decisions in one process; tests
check that both give the same bytes.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from reuse.commands import chunk_store, chunks, cluster_tasks, partitions
from reuse.commands.audit import AuditResult, corpus_audit, repeat_counts
from reuse.commands.chunk_store import ChunkRef
from reuse.commands.chunks import Finished
from reuse.commands.clean import CleanCopy, explained_members, prepare_out_dir
from reuse.commands.cluster_copies import copies_on_cluster
from reuse.commands.cluster_tasks import Tasks, finish_packed, packed, release
from reuse.commands.scan import EXPLAINING, ScanResult, explained_columns, explaining
from reuse.commands.unit_tables import UnitRecord
from reuse.errors import InputError
from reuse.group.context import context_families
from reuse.group.copies import Copies
from reuse.group.families import Family, Level, describe, described_members, settle_evidence
from reuse.group.members import Members
from reuse.kinds import BOILERPLATE
from reuse.load.corpus import InputOptions, Skipped, Source, checked_listing, worker_sources
from reuse.runtime.gc_pause import without_cyclic_gc
from reuse.runtime.stopwatch import Stopwatch
from reuse.runtime.urls import make_dirs
from reuse.settings import Settings

if TYPE_CHECKING:
    from distributed import Client, Future


CHUNK_FILES = 250
"""The most files in one chunk."""


@dataclass
class ClusterScan:
    """A scan run on a cluster: its result, and its chunks, still on the workers, for audit or clean.

    The result's documents carry their shares, not the ranges behind them (`intervals` is empty: a
    corpus has as many as its families have members, and the workers use them where they are)."""

    result: ScanResult
    chunks: list[Future]
    """Futures of the chunks' ChunkRefs."""
    gidx: list[list[int]]
    token: str
    """The run's token, to release its chunks (see release)."""
    audit_parts: list[Finished] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    """Every file read (to refuse an output over one)."""


def _chunk_sources(sources: list[tuple[int, Source]], workers: int) -> list[list[tuple[int, Source]]]:
    """Files in chunks: several per worker, so that a slow or lost one delays little, and none large (a worker
    holds a chunk whole while it works on it, and its store writes and reads whole chunks)."""
    size = max(1, min(CHUNK_FILES, math.ceil(len(sources) / max(1, 8 * workers))))
    return [sources[i : i + size] for i in range(0, len(sources), size)]


@without_cyclic_gc
def scan_on_cluster(
    client: Client,
    paths: list[str],
    options: InputOptions,
    settings: Settings,
    for_audit: bool = False,
    stopwatch: Stopwatch | None = None,
    chunk_size: int | None = None,
    parts: int | None = None,
    chunk_memory: int | None = None,
) -> ClusterScan:
    """What `scan` gives, computed by the cluster's workers; the same bytes whatever the chunks, partitions or
    the bytes of chunks each worker keeps in memory (chunk_memory; see chunk_store.MEMORY).

    The chunks stay on the workers until `release(client, result.token)`."""
    stopwatch = stopwatch or Stopwatch()
    skipped, sources = worker_sources(paths, options)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    run = Tasks(client, settings, parts or max(2, 2 * workers))
    groups = (
        _chunk_sources(sources, workers)
        if chunk_size is None
        else [sources[i : i + chunk_size] for i in range(0, len(sources), chunk_size)]
    )
    token = uuid.uuid4().hex
    memory = cluster_tasks.chunk_memory(client) if chunk_memory is None else chunk_memory
    refs = [
        ChunkRef(token, i, group, options, settings, for_audit, run.parts, memory) for i, group in enumerate(groups)
    ]
    try:
        return _scan(run, refs, skipped, sources, for_audit, stopwatch)
    except BaseException:
        release(client, token)
        raise


def _scan(
    run: Tasks,
    refs: list[ChunkRef],
    skipped: list[tuple[int, Skipped]],
    sources: list[tuple[int, Source]],
    for_audit: bool,
    stopwatch: Stopwatch,
) -> ClusterScan:
    settings, workers = run.settings, max(1, len(run.client.scheduler_info().get("workers", {})))
    stopwatch.progress.start(f"documents (cluster, {workers} workers)")
    kept = [run.submit(chunk_store.keep, ref) for ref in refs]
    futures, listed_chunks, hash_parts = zip(*(run.split(k, 3) for k in kept)) if kept else ([],) * 3
    futures = list(futures)
    listing = run.gather(listed_chunks)
    run.locate(kept, futures)  # before any task on a chunk: it runs where its chunk is kept
    del kept  # each part is freed once read, not all at the end
    stopwatch.lap(f"documents: read, normalize, segment, shingle (cluster, {workers} workers)")
    stopwatch.progress.start("families of lines")
    ids, skipped_list = checked_listing(listing, skipped)
    order = {doc_id: g for g, doc_id in enumerate(sorted(doc_id for doc_id, _ in ids))}
    gidx = [sorted(order[doc_id] for doc_id, _ in found) for found, _, _ in listing]
    chunk_of = {g: c for c, found in enumerate(gidx) for g in found}
    n_docs = len(order)
    copies = copies_on_cluster(run, futures, order)
    shared_copies = run.share(copies)

    hashes_by_part = [run.split(hashes, run.parts) for hashes in hash_parts]
    frequent_parts = [
        run.split(run.submit(partitions.frequent_for_chunks, [hashes[p] for hashes in hashes_by_part]), len(futures))
        for p in range(run.parts)
    ]
    frequent = [[part[c] for part in frequent_parts] for c in range(len(futures))]
    # The client lets go of every future whose data a later stage no longer needs, in this function and in
    # _families: what a worker holds is what is still to be read, not every stage's records.
    del hash_parts, hashes_by_part, frequent_parts, listed_chunks
    run.chunk_of = np.zeros(n_docs, dtype=np.int64)
    for c, found in enumerate(gidx):
        run.chunk_of[found] = c
    shared_chunk_of = run.share((run.chunk_of, len(futures)))
    line_tables = [run.on_chunk(chunks.line_records, f, g) for f, g in zip(futures, gidx)]
    lines, line_covered = _families(run, line_tables, (copies, shared_copies), "paragraph", shared_chunk_of)
    stopwatch.lap("families of lines")
    stopwatch.progress.start("families of sentences")
    sentences, sentence_covered = _families(
        run,
        [
            run.on_chunk(chunks.sentence_records, f, g, covered, settings, run.parts)
            for f, g, covered in zip(futures, gidx, line_covered)
        ],
        (copies, shared_copies),
        "passage",
        shared_chunk_of,
    )
    families = lines + sentences
    stopwatch.lap("families of sentences")
    stopwatch.progress.start("families of spans")
    covered = [a + b for a, b in zip(line_covered, sentence_covered)]
    families += _span_families(run, futures, gidx, covered, frequent, families, shared_copies)
    settle_evidence(families, copies)
    stopwatch.lap("families of spans")
    stopwatch.progress.start("per-document shares")
    by_id = {doc_id: chunk_of[g] for doc_id, g in order.items()}
    wanted = _wanted(families, by_id, len(futures), settings)
    explained = _explained_by_chunk(families, order, run.chunk_of, len(futures), settings)
    repeats = repeat_counts(families) if for_audit else None
    by_gidx = sorted(order, key=order.__getitem__)
    chunk_ids = [[by_gidx[i] for i in g] for g in gidx]
    finished = run.gather(
        [
            run.on_chunk(
                finish_packed,
                f,
                packed(
                    explained[c],
                    gidx[c],
                    None if repeats is None else {doc: repeats[doc] for doc in ids_of_chunk if doc in repeats},
                    wanted[c],
                    settings,
                ),
            )
            for c, (f, ids_of_chunk) in enumerate(zip(futures, chunk_ids))
        ]
    )
    del explained
    reports = sorted((r for part in finished for r in part[0]), key=lambda r: order[r.id])
    stopwatch.lap("per-document shares, and the texts of family members")
    stopwatch.progress.start("family texts and templates")
    texts = {where: text for c, part in enumerate(finished) for where, text in zip(wanted[c], part[5])}
    flips = {doc: found for part in finished for doc, found, _ in part[6]}
    for part in finished:
        for doc, found, flipped_texts in part[6]:
            texts.update({(doc, start, end): text for (_, start, end, _), text in zip(found, flipped_texts)})
    families += context_families(flips)
    describe(families, lambda m: texts[(m.doc, m.start, m.end)], settings)
    stopwatch.lap("family texts and templates")
    result = ScanResult(settings, reports, families, skipped_list, [], stopwatch)
    paths_read = sorted({source.path for _, source in sources})
    return ClusterScan(result, futures, gidx, refs[0].run, finished if for_audit else [], paths_read)


def _families(
    run: Tasks, unit_parts: list[Future], copies: tuple[Copies, Future], level: Level, chunk_of: Future
) -> tuple[list[Family], list[list[Any]]]:
    """Families of one level from the chunks' unit records (see the module's docstring, stage 4), and for
    each chunk what they hold of its passages (futures of arrays left on the workers, and one array made here).

    Empties unit_parts, the caller's list, so that the records are freed once grouped."""
    parts, settings, count = run.parts, run.settings, len(unit_parts)
    tables = [run.split(f, parts) for f in unit_parts]
    unit_parts.clear()
    keyed = [run.submit(partitions.group_keys, [t[p] for t in tables], settings.bands) for p in range(parts)]
    del tables
    band_split = [run.split(run.submit(partitions.band_records, k, parts), parts) for k in keyed]
    found = run.gather([run.submit(partitions.band_pairs, [b[p] for b in band_split], settings) for p in range(parts)])
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    pairs = np.unique(pairs, axis=0) if pairs.size else pairs.reshape(0, 2)
    joined: dict[int, int] = {}
    if pairs.size:
        wanted = set(pairs.reshape(-1).tolist())
        keys: dict[int, str] = {}
        for part in run.gather([run.submit(partitions.keys_of, k, wanted) for k in keyed]):
            keys.update(part)
        rows = [(a, b, keys[a], keys[b]) for a, b in pairs.tolist()]
        step = max(1, math.ceil(len(rows) / (4 * parts)))
        edges = [
            edge
            for part in run.gather(
                [run.submit(partitions.verified, rows[i : i + step], settings) for i in range(0, len(rows), step)]
            )
            for edge in part
        ]
        joined = partitions.components(edges)
    shared_joined = run.share(joined)
    made = [
        run.split(run.submit(partitions.partition_families, k, shared_joined, copies[1], level, chunk_of, settings), 3)
        for k in keyed
    ]
    families: list[Family] = []
    covered: list[chunks.Covered] = []
    elsewhere: dict[int, list[UnitRecord]] = defaultdict(list)
    for found_families, found_elsewhere in zip(run.gather([m[0] for m in made]), run.gather([m[2] for m in made])):
        families += found_families
        for root, units in found_elsewhere.items():
            elsewhere[root] += units
    for root in sorted(elsewhere):
        units = sorted(elsewhere[root], key=lambda u: u.order)
        families += partitions.unit_families(units, copies[0], level, settings)
        covered.append(partitions.covered_by(units))
    by_chunk = [run.split(m[1], count) for m in made]
    here = partitions.by_chunk(
        np.concatenate(covered) if covered else np.zeros((0, 3), dtype=np.int64), run.chunk_of, count
    )
    return families, [[*(part[c] for part in by_chunk), here[c]] for c in range(count)]


def _span_families(
    run: Tasks,
    futures: list[Future],
    gidx: list[list[int]],
    covered: list[list[Any]],
    frequent: list[list[Future]],
    families: list[Family],
    copies: Future,
) -> list[Family]:
    # Later families win a key, as in FamilyFinder: a sentence family's over a line family's.
    family_of_key = {key: f for f in families for key in f.keys}
    known = set(family_of_key)
    parts, settings = run.parts, run.settings
    shared_known = run.share(known)
    spans = [
        run.split(run.on_chunk(chunks.span_records, f, g, part, found, shared_known, settings, parts), parts)
        for f, g, part, found in zip(futures, gidx, covered, frequent)
    ]
    made = run.gather(
        [
            run.submit(partitions.span_families, [s[p] for s in spans], shared_known, copies, settings)
            for p in range(parts)
        ]
    )
    out: list[Family] = []
    for found, joins in made:
        out += found
        for key, members in joins.items():
            family = family_of_key[key]
            family.members = Members(sorted([*family.members, *members]))
    return out


def _explained_by_chunk(
    families: list[Family], order: dict[str, int], chunk_of: np.ndarray, count: int, settings: Settings
) -> list[np.ndarray]:
    """scan.explained_ranges as rows of (document's index in the corpus, key's place in EXPLAINING, start, end),
    split by chunk: a corpus has millions, which as tuples in dictionaries cost the command 130 bytes each."""
    rows = [np.zeros((0, 4), dtype=np.int64)]
    for family in families:
        docs, ranges = explained_columns(family)
        if docs:
            where = np.fromiter(map(order.__getitem__, docs), dtype=np.int64, count=len(docs))
            key = EXPLAINING.index(explaining(family, len(order), settings))
            kind = np.full(len(docs), key, dtype=np.int64)
            rows.append(np.column_stack((where, kind, ranges)))
    return partitions.by_chunk(np.concatenate(rows), chunk_of, count)


def _wanted(
    families: list[Family], chunk_of_doc: dict[str, int], count: int, settings: Settings
) -> list[list[tuple[str, int, int]]]:
    """Per chunk, the (document id, start, end) of the members whose texts describe the families."""
    wanted: list[list[tuple[str, int, int]]] = [[] for _ in range(count)]
    for family in families:
        for m in described_members(family, settings):
            wanted[chunk_of_doc[m.doc]].append((m.doc, m.start, m.end))
    return wanted


def audit_on_cluster(scanned: ClusterScan, max_boilerplate: float) -> AuditResult:
    """`audit` of a scan run for_audit on a cluster: the workers audited each document in its finish stage."""
    result, parts = scanned.result, scanned.audit_parts
    documents = sorted((a for part in parts for a in part[1]), key=lambda a: a.id)
    order = {a.id: i for i, a in enumerate(documents)}
    rows = sorted(
        ((doc_id, digest, sig, usable)
         for part in parts
         for doc_id, digest, sig, usable in zip((a.id for a in part[1]), part[2], part[3], part[4])),
        key=lambda row: order[row[0]],
    )  # fmt: skip
    settings = result.settings
    signatures = np.stack([row[2] for row in rows]) if rows else np.zeros((0, settings.num_perm), dtype=np.uint32)
    usable = np.array([row[3] for row in rows], dtype=bool)
    share = result.summary()["shares"]
    assert isinstance(share, dict)
    digests = [row[1] for row in rows]
    return corpus_audit(documents, digests, signatures, usable, max_boilerplate, float(share[BOILERPLATE]), settings)


def clean_on_cluster(
    client: Client, scanned: ClusterScan, out_dir: str, inputs: list[str], kinds: set[str], manifest: str | None = None
) -> tuple[int, int]:
    """`clean` with the copies encoded and written, and the manifest written, by the workers.

    Every copy is encoded (the step that can refuse a character) before the first is written."""
    run = Tasks(client, scanned.result.settings, 1)
    run.locate(scanned.chunks)
    per_chunk = run.gather([run.on_chunk(chunks.chunk_documents, f) for f in scanned.chunks])
    documents = sorted((doc for found in per_chunk for doc in found), key=lambda d: d.id)
    copies, manifest_path, protected = prepare_out_dir(documents, out_dir, inputs, manifest)
    copy_of = {copy.document.id: copy for copy in copies}
    explained = explained_members(scanned.result.families)
    done: list[tuple[list[CleanCopy], Future]] = []
    for future, found in zip(scanned.chunks, per_chunk):
        chunk_copies = [copy_of[doc.id] for doc in found]
        todo = [explained.get(doc.id, []) for doc in found]
        done.append((chunk_copies, run.on_chunk(chunks.cleaned, future, chunk_copies, todo, kinds)))
    errors = [e for e in run.gather([run.submit(chunks.cleaned_error, f) for _, f in done]) if e is not None]
    if errors:
        raise InputError(min(errors)[1])
    make_dirs(out_dir)
    run.gather([run.submit(chunks.write_chunk, f, chunk_copies, protected) for chunk_copies, f in done])
    ids = [copy.document.id for copy in copies]
    removed = run.gather([run.submit(chunks.write_manifest, manifest_path, ids, done, protected)])[0]
    return len(copies), int(removed)
