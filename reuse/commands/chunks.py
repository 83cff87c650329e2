"""The corpus pipeline's per-document stages, run on chunks of documents: what a cluster's workers do.

A chunk is some of the corpus's files, read, decoded and prepared on the worker that analyses them,
and kept there (chunk_store.py: in memory, or on the worker's disk past a budget). Each stage reads a
chunk and what the last corpus-wide reduction sent it, and returns records split into partitions for
the next reduction (partitions.py): a line's or sentence's key by a hash of its text, a shingle hash
by its value. The functions are the in-process path's own (paragraph_units, sentence_units,
spans_of_document, document_report, document_audit, cleaned_copies): only where their inputs come from
differs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from reuse.commands.audit import DocumentAudit, document_audit, duplicate_facts
from reuse.commands.clean import CleanCopy, Explained, cleaned_copies, write_cleaned
from reuse.commands.scan import DocumentReport, ranges_by_kind, report_in_context
from reuse.commands.unit_tables import PASSAGE_BITS, UnitTable
from reuse.errors import InputError
from reuse.group.context import Flip
from reuse.group.endings import INTRODUCES, SENTENCE, line_ending
from reuse.group.spans import opens_paragraph, spans_of_document
from reuse.group.units import (
    Unit,
    is_headline,
    line_core,
    new_lines,
    paragraph_units,
    sentence_units,
    unit_band_keys,
)
from reuse.load.corpus import InputOptions, Listing, Skipped, Source, read_sources
from reuse.load.document import Document
from reuse.runtime.gc_pause import without_cyclic_gc
from reuse.runtime.output import Protected, write_atomic
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument, prepare

Covered = np.ndarray
"""Passages families hold: rows of (document's index in the corpus, first passage, last passage), int64
(a corpus has millions: as tuples, they cost more to send than to use)."""

SpanRecord = tuple[str, str, int, int, int, bool]
"""A shared span: (key, document id, passage, start, end, opens its paragraph)."""


@dataclass
class Chunk:
    prepared: list[PreparedDocument]
    """Its documents, prepared, in id order."""
    skipped: list[tuple[int, Skipped]]
    """Files skipped (--skip-bad), with their place in reading order."""
    ids: list[tuple[str, str]]
    """(id, source) of its documents in reading order: ids used twice are refused across chunks."""
    hash_parts: list[tuple[np.ndarray, np.ndarray]]
    """Its documents' shingle hashes split by value into partitions: in each, the distinct hashes (sorted)
    and in how many of its documents each is."""
    line_tables: list[UnitTable] = field(default_factory=list)
    """Its whole lines' unit records by key partition, numbered by their documents' places in `prepared`
    (made at analysis, when the lines are at hand, and placed in corpus order by `line_records`)."""
    lines: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    """Per document (its place in `prepared`), the keys of its lines by their core (see units.is_headline)."""
    signatures: np.ndarray | None = None
    """The first near_candidate_values of each document's MinHash (rows in the order of `prepared`), to find
    candidate near-duplicate documents."""
    failure: tuple[int, str] | None = None
    """The first file that could not be read (its place in reading order, the error), without --skip-bad."""

    def __sizeof__(self) -> int:  # what Dask weighs when it places tasks (near the chunk) and spills
        size = sum(doc.size_estimate() for doc in self.prepared)
        size += sum(values.nbytes + counts.nbytes for values, counts in self.hash_parts)
        return int(size + sum(table.__sizeof__() for table in self.line_tables))


def key_partition(key: str, parts: int) -> int:
    """The partition of a key: a hash that every process computes alike (not Python's salted hash)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % parts


def hash_partitions(hashes: np.ndarray, parts: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Hashes (each document's distinct ones, together) split into `parts` ranges of values, in order; in
    each, the distinct values, sorted, and how often each occurs (in how many documents)."""
    which = (hashes.astype(np.uint64) * np.uint64(parts)) >> np.uint64(32)
    out = []
    for p in range(parts):
        values, counts = np.unique(hashes[which == p], return_counts=True)
        out.append((values, counts.astype(np.int32)))
    return out


def analyse(
    sources: list[tuple[int, Source]], options: InputOptions, settings: Settings, for_audit: bool, parts: int
) -> Chunk:
    """Read and prepare some files (with their places in reading order); what later stages read of them."""
    read = read_sources(sources, options)
    if read.failure:
        return Chunk([], read.skipped, [], [], failure=read.failure)
    documents, skipped, ids = read.documents, read.skipped, read.ids
    prepared, distinct = [], []
    signatures = np.zeros((len(documents), settings.near_candidate_values), dtype=np.uint32)
    for d, document in enumerate(documents):
        doc = prepare(document, settings)
        distinct.append(doc.shingles().distinct_hashes())
        signatures[d] = doc.document_signature(settings.near_candidate_values)
        if for_audit:
            doc.facts()  # kept through compact()
        prepared.append(doc.compact())
    hashes = np.concatenate(distinct) if distinct else np.zeros(0, dtype=np.uint32)
    line_units, lines = _lines_of(prepared)
    chunk = Chunk(prepared, skipped, ids, hash_partitions(hashes, parts), lines=lines, signatures=signatures)
    # Tables, not Unit objects: a chunk kept on disk is pickled whole, and read back by every stage.
    chunk.line_tables = _records(chunk, list(range(len(prepared))), line_units, settings, parts)
    return chunk


def chunk_ids(chunk: Chunk) -> Listing:
    return chunk.ids, chunk.skipped, chunk.failure


def chunk_signatures(chunk: Chunk) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Its documents' ids, MinHash rows and whether they have shingles, in the order of `prepared`."""
    usable = np.array([doc.has_shingles for doc in chunk.prepared], dtype=bool)
    assert chunk.signatures is not None
    return [doc.id for doc in chunk.prepared], chunk.signatures, usable


def whole_signatures(chunk: Chunk, ids: list[str]) -> np.ndarray:
    """The whole MinHash of some of its documents (by id, in that order): candidates to confirm."""
    by_id = {doc.id: doc for doc in chunk.prepared}
    return np.stack(
        [by_id[i].facts().signature if "_facts" in by_id[i].__dict__ else by_id[i].document_signature() for i in ids]
    )


def chunk_hashes(chunk: Chunk) -> list[tuple[np.ndarray, np.ndarray]]:
    return chunk.hash_parts


def chunk_documents(chunk: Chunk) -> list[Document]:
    """Its documents without their texts, in id order: what a client checks and names copies by."""
    return [replace(doc.document, text="") for doc in chunk.prepared]


def _records(chunk: Chunk, gidx: list[int], units: list[Unit], settings: Settings, parts: int) -> list[UnitTable]:
    """The units as tables, one per partition of their keys, with the band keys of each key's first unit."""
    docs = chunk.prepared
    if not units:
        return [UnitTable.empty(settings.bands) for _ in range(parts)]
    first_of_key: dict[str, int] = {}
    for n, u in enumerate(units):
        first_of_key.setdefault(u.key, n)
    firsts = np.array(sorted(first_of_key.values()), dtype=np.int64)
    band_keys, usable = unit_band_keys([units[n] for n in firsts.tolist()], docs, settings)
    ints = np.array(
        [(gidx[u.doc], u.first, u.last, u.start, u.end, u.paragraph, 0, docs[u.doc].paragraph_count) for u in units],
        dtype=np.int64,
    )
    if int(ints[:, 2].max()) >> PASSAGE_BITS:
        doc = docs[units[int(ints[:, 2].argmax())].doc]
        raise InputError(
            f"{doc.document.source}: more than {1 << PASSAGE_BITS:,} passages, more than a cluster scan orders"
        )
    ints[:, 6] = (ints[:, 0] << PASSAGE_BITS) | ints[:, 1]
    flags = np.array(
        [
            (
                u.whole_line,
                u.headline,
                *_ends(line_ending(docs[u.doc].text, u.start, u.end)),
                u.inside,
                u.outside,
                u.amid,
            )
            for u in units
        ],
        dtype=bool,
    )
    # Equal keys as one string, held and pickled once: a chunk's lines repeat (in the synthetic corpus of
    # scraped pages, a fifth of a chunk's lines are distinct).
    same: dict[str, str] = {}
    keys = [same.setdefault(u.key, u.key) for u in units]
    doc_ids = [docs[u.doc].id for u in units]
    where = np.fromiter((key_partition(k, parts) for k in keys), dtype=np.int64, count=len(keys))
    tables = []
    for p in range(parts):
        rows = np.flatnonzero(where == p)
        mine = firsts[where[firsts] == p]
        signed_rows = np.searchsorted(firsts, mine)
        tables.append(
            UnitTable(
                ints[rows],
                flags[rows],
                [keys[i] for i in rows.tolist()],
                [doc_ids[i] for i in rows.tolist()],
                ints[mine, 6],
                band_keys[signed_rows],
                usable[signed_rows],
            )
        )
    return tables


def _ends(ending: str) -> tuple[bool, bool]:
    """A unit's table flags terminal and label, from its line_ending."""
    return ending == SENTENCE, ending == INTRODUCES


def _lines_of(docs: list[PreparedDocument]) -> tuple[list[Unit], dict[int, dict[str, set[str]]]]:
    """Every whole line of the documents, headlines marked, as FamilyFinder.add makes them."""
    lines = new_lines()
    units: list[Unit] = []
    # Equal keys and cores as one string each: a chunk's pages repeat their lines, and a chunk kept on disk is
    # pickled whole, each string object once (these cores were a fifth of a chunk's bytes).
    same: dict[str, str] = {}
    for d, doc in enumerate(docs):
        found = paragraph_units(doc, d)
        for u in found:
            u.key = same.setdefault(u.key, u.key)
            core = line_core(u.key)
            lines[d][same.setdefault(core, core)].add(u.key)
        for u in found:
            u.headline = is_headline(u, lines)
        units += found
    # Plain dictionaries: a chunk travels between processes, and a defaultdict's factory does not pickle.
    return units, {d: dict(cores) for d, cores in lines.items()}


@without_cyclic_gc
def line_records(chunk: Chunk, gidx: list[int]) -> list[UnitTable]:
    """The first level's units, every whole line, by key partition, in corpus order (gidx: the corpus index
    of each of the chunk's documents, which analysis did not know)."""
    where = np.array(gidx, dtype=np.int64)
    return [table.placed(where) for table in chunk.line_tables]


def _in_family(chunk: Chunk, gidx: list[int], covered: list[Covered]) -> list[np.ndarray]:
    local = {g: d for d, g in enumerate(gidx)}
    marks = [np.zeros(len(doc), dtype=bool) for doc in chunk.prepared]
    for found in covered:
        for g, first, last in found.tolist():
            marks[local[g]][first : last + 1] = True
    return marks


@without_cyclic_gc
def sentence_records(
    chunk: Chunk, gidx: list[int], covered: list[Covered], settings: Settings, parts: int
) -> list[UnitTable]:
    """The second level's units: the sentences no line family holds (covered: what those families hold)."""
    units = sentence_units(chunk.prepared, _in_family(chunk, gidx, covered), chunk.lines)
    return _records(chunk, gidx, units, settings, parts)


@without_cyclic_gc
def span_records(
    chunk: Chunk,
    gidx: list[int],
    covered: list[Covered],
    frequent: list[np.ndarray],
    known: set[str],
    settings: Settings,
    parts: int,
) -> list[list[SpanRecord]]:
    """The third level: spans of shingles found in other documents inside passages no family holds (frequent:
    per partition, which of the chunk's distinct hashes are in two documents or more, as packed bits;
    known: the families' keys)."""
    # Partitions are ranges of values in order: their frequent hashes, joined, are sorted.
    found = [
        values[np.unpackbits(mask, count=values.size).astype(bool)]
        for (values, _), mask in zip(chunk.hash_parts, frequent)
    ]
    hashes = np.concatenate(found) if found else np.zeros(0, dtype=np.uint32)
    out: list[list[SpanRecord]] = [[] for _ in range(parts)]
    for doc, in_family in zip(chunk.prepared, _in_family(chunk, gidx, covered)):
        for passage, start, end, key in spans_of_document(doc, in_family, hashes, known, settings):
            opens = opens_paragraph(doc, passage, start, end)
            out[key_partition(key, parts)].append((key, doc.id, passage, start, end, opens))
    return out


def member_texts(chunk: Chunk, wanted: list[tuple[str, int, int]]) -> list[str]:
    """The texts of (document id, start, end) ranges of this chunk's documents."""
    texts = {doc.id: doc.text for doc in chunk.prepared}
    return [texts[doc][start:end] for doc, start, end in wanted]


ContextFlips = tuple[str, list[Flip], list[str]]
"""A document's id, the lines context made furniture in it (group.context), and their texts."""

Finished = tuple[
    list[DocumentReport], list[DocumentAudit], list[str], np.ndarray, np.ndarray, list[str], list[ContextFlips]
]
"""Each document's scan report; for an audit, also its audit, normalized-text digest, MinHash and
whether it has shingles; the texts of the members asked for; the lines context made furniture."""


@without_cyclic_gc
def finish(
    chunk: Chunk,
    explained: np.ndarray,
    gidx: list[int],
    repeats: dict[str, int] | None,
    wanted: list[tuple[str, int, int]],
    settings: Settings,
) -> Finished:
    """Shares of what families explain in each document (explained: rows of (document's index in the corpus,
    kind's place in KINDS, start, end), scan.explained_ranges' own for this chunk; gidx: the corpus index of
    each of its documents); with repeats (per document, for an audit), each document's audit too; and the
    texts of the wanted (document id, start, end) ranges (see member_texts), in the same visit to the chunk."""
    texts = member_texts(chunk, wanted)
    explained = explained[np.argsort(explained[:, 0], kind="stable")]
    docs = np.array(gidx, dtype=np.int64)
    bounds = np.searchsorted(explained[:, 0], docs, side="left")
    ends = np.searchsorted(explained[:, 0], docs, side="right")
    reports: list[DocumentReport] = []
    flipped: list[ContextFlips] = []
    for doc, a, b in zip(chunk.prepared, bounds.tolist(), ends.tolist()):
        report, flips = report_in_context(doc, ranges_by_kind(explained[a:b, 1:]) if b > a else None, settings)
        reports.append(report)
        if flips:
            flipped.append((doc.id, flips, [doc.text[start:end] for _, start, end, _ in flips]))
    # The client needs the shares; the ranges behind them (as many as the families' members) stay here.
    light = [replace(report, intervals={}) for report in reports]
    if repeats is None:
        empty = np.zeros((0, settings.num_perm), dtype=np.uint32)
        return light, [], [], empty, np.zeros(0, dtype=bool), texts, flipped
    audits = [document_audit(doc, r, repeats.get(doc.id, 0), settings) for doc, r in zip(chunk.prepared, reports)]
    digests, signatures, usable = duplicate_facts(chunk.prepared, settings)
    return light, audits, digests, signatures, usable, texts, flipped


Cleaned = tuple[list[bytes], list[list[str]], tuple[str, str] | None]
"""A chunk's cleaned copies, the manifest lines of each, and the first document (id, error) that cannot be
written, if any (the client reports the first in id order, as in-process)."""


@without_cyclic_gc
def cleaned(chunk: Chunk, copies: list[CleanCopy], explained: list[Explained], kinds: set[str]) -> Cleaned:
    """This chunk's cleaned copies (copies and explained in the chunk's order) and their manifest lines."""
    contents, lines = [], []
    for doc, copy, found in zip(chunk.prepared, copies, explained):
        try:
            data, (doc_lines,) = cleaned_copies([copy], [doc.text], [found], kinds)
        except InputError as err:
            return [], [], (doc.id, str(err))
        contents += data
        lines.append(doc_lines)
    return contents, lines, None


def cleaned_error(done: Cleaned) -> tuple[str, str] | None:
    return done[2]


def write_chunk(done: Cleaned, copies: list[CleanCopy], protected: Protected) -> int:
    write_cleaned(copies, done[0], protected)
    return len(copies)


def write_manifest(path: str, ids: list[str], done: list[tuple[list[CleanCopy], Cleaned]], protected: Protected) -> int:
    """The manifest, its lines in document id order (ids), from every chunk's cleaned copies; its line count."""
    by_id = {copy.document.id: lines for copies, found in done for copy, lines in zip(copies, found[1])}
    lines = [line for doc_id in ids for line in by_id[doc_id]]
    write_atomic(path, "".join(line + "\n" for line in lines), protected)
    return len(lines)
