"""The corpus pipeline's per-document stages, run on chunks of documents: what a cluster's workers do.

A chunk is some of the corpus's files, read, decoded and prepared on the worker that analyses them,
and kept there (Dask spills it to disk under memory pressure). Each stage reads a chunk and what the
last corpus-wide reduction sent it, and returns records split into partitions for the next reduction
(partitions.py): a line's or sentence's key by a hash of its text, a shingle hash by its value. The
functions are the in-process path's own (paragraph_units, sentence_units, spans_of_document,
document_report, document_audit, cleaned_copies): only where their inputs come from differs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from reuse.commands.audit import DocumentAudit, document_audit
from reuse.commands.clean import CleanCopy, Explained, cleaned_copies, write_cleaned
from reuse.commands.scan import DocumentReport, document_report
from reuse.errors import InputError
from reuse.group.classify import TERMINAL
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
from reuse.load.corpus import InputOptions, Skipped, Source, read_source
from reuse.load.document import Document
from reuse.runtime.output import Protected, write_atomic
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument, prepare

PASSAGE_BITS = 24
"""A unit's place in corpus order is (document's index << PASSAGE_BITS) | first passage."""

Covered = list[tuple[int, int, int]]
"""Passages a family holds: (document's index in the corpus, first passage, last passage)."""

SpanRecord = tuple[str, str, int, int, int, bool]
"""A shared span: (key, document id, passage, start, end, opens its paragraph)."""


@dataclass(slots=True)
class UnitRecord(Unit):
    """A unit with what the corpus-wide reductions need of its document, which they do not have."""

    doc_id: str = ""
    order: int = 0
    """Its place in corpus order (see PASSAGE_BITS): the first unit of a key stands for it, as in-process."""
    terminal: bool = False
    """It ends a sentence (classify.TERMINAL)."""
    lines: int = 0
    """The number of lines of its document."""


@dataclass
class Chunk:
    prepared: list[PreparedDocument]
    """Its documents, prepared, in id order."""
    skipped: list[tuple[int, Skipped]]
    """Files skipped (--skip-bad), with their place in reading order."""
    ids: list[tuple[str, str]]
    """(id, source) of its documents in reading order: ids used twice are refused across chunks."""
    hash_parts: list[np.ndarray]
    """Each document's distinct shingle hashes, all documents together, split by value into partitions."""
    line_units: list[Unit] = field(default_factory=list)
    """Every whole line of its documents (doc: the document's place in `prepared`), headlines marked."""
    lines: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    """Per document (its place in `prepared`), the keys of its lines by their core (see units.is_headline)."""
    failure: tuple[int, str] | None = None
    """The first file that could not be read (its place in reading order, the error), without --skip-bad."""


def key_partition(key: str, parts: int) -> int:
    """The partition of a key: a hash that every process computes alike (not Python's salted hash)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % parts


def hash_partitions(hashes: np.ndarray, parts: int) -> list[np.ndarray]:
    """32-bit hashes split into `parts` ranges of values, in order: concatenated, sorted parts stay sorted."""
    which = (hashes.astype(np.uint64) * np.uint64(parts)) >> np.uint64(32)
    return [hashes[which == p] for p in range(parts)]


def analyse(
    sources: list[tuple[int, Source]], options: InputOptions, settings: Settings, for_audit: bool, parts: int
) -> Chunk:
    """Read and prepare some files (with their places in reading order); what later stages read of them."""
    documents: list[Document] = []
    skipped: list[tuple[int, Skipped]] = []
    for position, source in sources:
        try:
            found = read_source(source, options)
        except InputError as err:  # the client reports the first in reading order, as in-process
            return Chunk([], skipped, [], [], failure=(position, str(err)))
        if isinstance(found, Skipped):
            skipped.append((position, found))
        else:
            documents += found
    ids = [(doc.id, doc.source) for doc in documents]
    documents.sort(key=lambda d: d.id)
    prepared, distinct = [], []
    for document in documents:
        doc = prepare(document, settings)
        distinct.append(doc.shingles().distinct_hashes())
        if for_audit:
            doc.facts()  # kept through compact()
        prepared.append(doc.compact())
    hashes = np.concatenate(distinct) if distinct else np.zeros(0, dtype=np.uint32)
    line_units, lines = _lines_of(prepared)
    return Chunk(prepared, skipped, ids, hash_partitions(hashes, parts), line_units, lines)


def chunk_ids(chunk: Chunk) -> tuple[list[tuple[str, str]], list[tuple[int, Skipped]], tuple[int, str] | None]:
    return chunk.ids, chunk.skipped, chunk.failure


def chunk_hashes(chunk: Chunk, part: int) -> np.ndarray:
    return chunk.hash_parts[part]


def chunk_documents(chunk: Chunk) -> list[Document]:
    """Its documents without their texts, in id order: what a client checks and names copies by."""
    return [replace(doc.document, text="") for doc in chunk.prepared]


UnitParts = tuple[list[list[UnitRecord]], list[dict[int, tuple[np.ndarray, bool]]]]
"""Per partition: unit records, and the LSH band keys (with whether it has shingles) of the first unit
of each key in this chunk, by its order."""


def _records(chunk: Chunk, gidx: list[int], units: list[Unit], settings: Settings, parts: int) -> UnitParts:
    docs = chunk.prepared
    records: list[list[UnitRecord]] = [[] for _ in range(parts)]
    bands: list[dict[int, tuple[np.ndarray, bool]]] = [{} for _ in range(parts)]
    first_of_key: dict[str, int] = {}
    for n, u in enumerate(units):
        first_of_key.setdefault(u.key, n)
    firsts = sorted(first_of_key.values())
    keys, usable = unit_band_keys([units[n] for n in firsts], docs, settings)
    signed = {n: (keys[i], bool(usable[i])) for i, n in enumerate(firsts)}
    for n, u in enumerate(units):
        doc = docs[u.doc]
        g = gidx[u.doc]
        order = (g << PASSAGE_BITS) | u.first
        record = UnitRecord(
            g, u.first, u.last, u.start, u.end, u.key, u.paragraph, u.whole_line, u.headline,
            doc.id, order, TERMINAL.search(doc.text, u.start, u.end) is not None, doc.paragraph_count,
        )  # fmt: skip
        p = key_partition(u.key, parts)
        records[p].append(record)
        if n in signed:
            bands[p][order] = signed[n]
    return records, bands


def _lines_of(docs: list[PreparedDocument]) -> tuple[list[Unit], dict[int, dict[str, set[str]]]]:
    """Every whole line of the documents, headlines marked, as FamilyFinder.add makes them."""
    lines = new_lines()
    units: list[Unit] = []
    for d, doc in enumerate(docs):
        found = paragraph_units(doc, d)
        for u in found:
            lines[d][line_core(u.key)].add(u.key)
        for u in found:
            u.headline = is_headline(u, lines)
        units += found
    # Plain dictionaries: a chunk travels between processes, and a defaultdict's factory does not pickle.
    return units, {d: dict(cores) for d, cores in lines.items()}


def line_records(chunk: Chunk, gidx: list[int], settings: Settings, parts: int) -> UnitParts:
    """The first level's units: every whole line."""
    return _records(chunk, gidx, chunk.line_units, settings, parts)


def _in_family(chunk: Chunk, gidx: list[int], covered: list[Covered]) -> list[np.ndarray]:
    local = {g: d for d, g in enumerate(gidx)}
    marks = [np.zeros(len(doc), dtype=bool) for doc in chunk.prepared]
    for found in covered:
        for g, first, last in found:
            marks[local[g]][first : last + 1] = True
    return marks


def sentence_records(
    chunk: Chunk, gidx: list[int], covered: list[Covered], settings: Settings, parts: int
) -> UnitParts:
    """The second level's units: the sentences no line family holds (covered: what those families hold)."""
    units = sentence_units(chunk.prepared, _in_family(chunk, gidx, covered), chunk.lines)
    return _records(chunk, gidx, units, settings, parts)


def span_records(
    chunk: Chunk,
    gidx: list[int],
    covered: list[Covered],
    frequent: list[np.ndarray],
    known: set[str],
    settings: Settings,
    parts: int,
) -> list[list[SpanRecord]]:
    """The third level: spans of shingles found in other documents (frequent: the sorted hashes found in
    two documents or more, by partition) inside passages no family holds; known: the families' keys."""
    hashes = np.concatenate(frequent) if frequent else np.zeros(0, dtype=np.uint32)
    out: list[list[SpanRecord]] = [[] for _ in range(parts)]
    for doc, in_family in zip(chunk.prepared, _in_family(chunk, gidx, covered)):
        for passage, start, end, key in spans_of_document(doc, in_family, hashes, known, settings):
            opens = opens_paragraph(doc, passage, start)
            out[key_partition(key, parts)].append((key, doc.id, passage, start, end, opens))
    return out


def member_texts(chunk: Chunk, wanted: list[tuple[str, int, int]]) -> list[str]:
    """The texts of (document id, start, end) ranges of this chunk's documents."""
    texts = {doc.id: doc.text for doc in chunk.prepared}
    return [texts[doc][start:end] for doc, start, end in wanted]


Finished = tuple[list[DocumentReport], list[DocumentAudit], list[str], np.ndarray, np.ndarray]
"""Each document's scan report; for an audit, also its audit, normalized-text digest, MinHash and
whether it has shingles."""


def finish(
    chunk: Chunk,
    explained: dict[str, dict[str, list[tuple[int, int]]]],
    repeats: dict[str, int] | None,
    settings: Settings,
) -> Finished:
    """Shares of what families explain in each document (explained: as scan.explained_ranges gives);
    with repeats (per document, for an audit), each document's audit too."""
    reports = [document_report(doc, explained.get(doc.id)) for doc in chunk.prepared]
    if repeats is None:
        empty = np.zeros((0, settings.num_perm), dtype=np.uint32)
        return reports, [], [], empty, np.zeros(0, dtype=bool)
    audits = [document_audit(doc, r, repeats.get(doc.id, 0), settings) for doc, r in zip(chunk.prepared, reports)]
    facts = [doc.facts() for doc in chunk.prepared]
    signatures = np.zeros((len(facts), settings.num_perm), dtype=np.uint32)
    for d, f in enumerate(facts):
        signatures[d] = f.signature
    usable = np.array([doc.has_shingles for doc in chunk.prepared], dtype=bool)
    return reports, audits, [f.text_sha256 for f in facts], signatures, usable


Cleaned = tuple[list[bytes], list[list[str]], tuple[str, str] | None]
"""A chunk's cleaned copies, the manifest lines of each, and the first document (id, error) that cannot be
written, if any (the client reports the first in id order, as in-process)."""


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
