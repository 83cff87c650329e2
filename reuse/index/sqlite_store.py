"""The default index's reads and writes: one SQLite file (standard library sqlite3), WAL journal, one
transaction per batch. The file itself (tables, recognising, creating, opening) is sqlite_file's.

Band look-ups go through the primary key of a WITHOUT ROWID table (band_key, passage), exact keys
through an index on passages(key_hash), so a query reads a few pages, never the whole index.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np

from reuse.index.sqlite_file import create_index, error, open_index_file, transaction
from reuse.index.store import IndexEntry, Stats, Store, StoredDocument, StoredPassage, batches
from reuse.settings import Settings
from reuse.sketch.candidates import stable_band_keys

# SQLite allows 500 terms in a compound SELECT; each band look-up is one term (for its LIMIT).
_COMPOUND = 250
_IN_BATCH = 500
# Passages per write transaction. Band keys are random, so a transaction dirties pages all over the
# band table and the WAL holds each dirty page once: the bigger the batch, the more rows per page written.
BATCH = 50_000

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn sqlite3's errors into one-line IndexStoreErrors naming the index."""

    @functools.wraps(method)
    def wrapper(self: SqliteStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as err:
            raise error(self.spec, err) from None

    return wrapper


_ROWS = 1 << 16
"""Band rows handed to SQLite at once."""
_PASSAGES = 1 << 15
"""Passages whose band entries are made at once."""
_STAGED = 1 << 20
"""Band entries (16 bytes each) a batch holds before it writes them."""


class SqliteStore(Store):
    def __init__(self, path: str, mode: str, settings: Settings | None = None, force: bool = False) -> None:
        """mode: 'create' (a new index with settings; force replaces an existing index), 'write' or 'read'."""
        self.spec = path
        if mode == "create":
            self.db, self.settings = create_index(path, settings, force)
        else:
            self.db, self.settings = open_index_file(path, mode)

    @_guarded
    def add(self, documents: Iterable[IndexEntry]) -> tuple[int, int]:
        written = replaced = 0
        for batch in batches(documents, BATCH):
            self.db.execute("BEGIN IMMEDIATE")
            with transaction(self.db):
                next_pid = int(self.db.execute("SELECT value FROM meta WHERE name = 'next_passage'").fetchone()[0])
                staged: list[np.ndarray] = []
                counts: Counter[int] = Counter()
                ids: set[str] = set()
                for doc in batch:
                    if doc.id in ids:  # the same id twice in one batch: its first copy must be in the tables
                        self._write_staged(staged, counts)
                        ids.clear()
                    ids.add(doc.id)
                    replaced += self._delete(doc.id)
                    next_pid = self._insert(doc, next_pid, staged, counts)
                    written += 1
                self._write_staged(staged, counts)
                self.db.execute("UPDATE meta SET value = ? WHERE name = 'next_passage'", (str(next_pid),))
        return written, replaced

    def _insert(self, doc: IndexEntry, first: int, staged: list[np.ndarray], counts: Counter[int]) -> int:
        db = self.db
        cursor = db.execute(
            "INSERT INTO documents (id, first, passages, chars) VALUES (?, ?, ?, ?)",
            (doc.id, first, doc.passages, doc.chars),
        )
        doc_num = cursor.lastrowid
        signatures = doc.signatures.astype("<u4", copy=False)
        for lo in range(0, doc.passages, _PASSAGES):
            hi = min(lo + _PASSAGES, doc.passages)
            db.executemany(
                "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        first + i,
                        doc_num,
                        i,
                        start,
                        end,
                        kh,
                        key,
                        text,
                        signatures[i].tobytes() if doc.usable[i] else None,
                    )
                    for i, start, end, kh, key, text in doc.rows(lo, hi)
                ),
            )
        rows = np.flatnonzero(doc.usable)
        # A block of passages at a time, and written once a batch's entries grow past _STAGED: a big document's
        # band entries, sorted and deduplicated at once, took several copies of passages x bands x 16 bytes.
        for block in range(0, rows.size, _PASSAGES):
            part = rows[block : block + _PASSAGES]
            keys = doc.band_keys[part]
            pids = np.repeat(part + first, keys.shape[1])
            staged.append(np.unique(np.stack((keys.ravel(), pids), axis=1), axis=0))
            if sum(len(pairs) for pairs in staged) >= _STAGED:
                self._write_staged(staged, counts)
        counts.update(set(doc.key_hashes.tolist()))
        return first + doc.passages

    def _write_staged(self, staged: list[np.ndarray], counts: Counter[int]) -> None:
        """Band entries and key counts of a whole batch, in key order: each page of the band table is
        then visited once per batch, not once per document (random keys, a table bigger than the cache)."""
        if staged:
            pairs = np.concatenate(staged)
            pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
            for start in range(0, len(pairs), _ROWS):  # a list of Python rows per block, never of all of them
                self.db.executemany("INSERT INTO bands VALUES (?, ?)", pairs[start : start + _ROWS].tolist())
        self.db.executemany(
            "INSERT INTO keys VALUES (?, ?) ON CONFLICT (key_hash) DO UPDATE SET docs = docs + excluded.docs",
            sorted(counts.items()),
        )
        staged.clear()
        counts.clear()

    def _delete(self, doc_id: str) -> int:
        """Remove a document's rows if it is there; 1 if it was."""
        db = self.db
        row = db.execute("SELECT doc, first, passages FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return 0
        doc_num, first, count = row
        last = first + count - 1
        stored = db.execute(
            "SELECT passage, signature FROM passages WHERE passage BETWEEN ? AND ? AND signature IS NOT NULL",
            (first, last),
        ).fetchall()
        if stored:
            pids = np.array([pid for pid, _ in stored], dtype=np.int64)
            sigs = np.frombuffer(b"".join(sig for _, sig in stored), dtype="<u4").reshape(len(stored), -1)
            keys = stable_band_keys(sigs, self.settings.bands, self.settings.rows)
            pairs = np.stack((keys.ravel(), np.repeat(pids, keys.shape[1])), axis=1)
            db.executemany("DELETE FROM bands WHERE band_key = ? AND passage = ?", pairs.tolist())
        hashes = [
            (h,)
            for (h,) in db.execute(
                "SELECT DISTINCT key_hash FROM passages WHERE passage BETWEEN ? AND ?", (first, last)
            )
        ]
        db.executemany("UPDATE keys SET docs = docs - 1 WHERE key_hash = ?", hashes)
        db.executemany("DELETE FROM keys WHERE key_hash = ? AND docs <= 0", hashes)
        db.execute("DELETE FROM passages WHERE passage BETWEEN ? AND ?", (first, last))
        db.execute("DELETE FROM documents WHERE doc = ?", (doc_num,))
        return 1

    @_guarded
    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        missing = []
        self.db.execute("BEGIN IMMEDIATE")
        with transaction(self.db):
            for doc_id in doc_ids:
                if not self._delete(doc_id):
                    missing.append(doc_id)
        return missing

    @_guarded
    def stats(self, check: bool = False) -> Stats:
        meta = dict(self.db.execute("SELECT name, value FROM meta").fetchall())
        documents, passages = self.db.execute("SELECT COUNT(*), COALESCE(SUM(passages), 0) FROM documents").fetchone()
        keys = self.db.execute("SELECT COUNT(*) FROM keys").fetchone()[0]
        size = sum(os.path.getsize(self.spec + s) for s in ("", "-wal") if os.path.exists(self.spec + s))
        stats = Stats(
            self.spec,
            "sqlite",
            int(meta["schema_version"]),
            meta["fingerprint"],
            self.settings.as_dict(),
            meta.get("created_by", ""),
            documents,
            passages,
            keys,
            size,
        )
        if check:
            stats.problems = self._problems(passages)
        return stats

    def _problems(self, passages: int) -> list[str]:
        db, problems = self.db, []
        result = db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            problems.append(f"SQLite quick_check: {result}")
        rows = db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        if rows != passages:
            problems.append(f"{rows} passage rows, documents account for {passages}")
        orphans = db.execute(
            "SELECT COUNT(*) FROM passages p LEFT JOIN documents d ON p.doc = d.doc "
            "WHERE d.doc IS NULL OR p.passage NOT BETWEEN d.first AND d.first + d.passages - 1"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} passages outside their document's range")
        signed = db.execute("SELECT COUNT(*) FROM passages WHERE signature IS NOT NULL").fetchone()[0]
        bands = db.execute("SELECT COUNT(*) FROM bands").fetchone()[0]
        if bands != signed * self.settings.bands:
            problems.append(f"{bands} band rows, expected {signed} × {self.settings.bands}")
        dangling = db.execute(
            "SELECT COUNT(*) FROM bands b LEFT JOIN passages p ON b.passage = p.passage WHERE p.passage IS NULL"
        ).fetchone()[0]
        if dangling:
            problems.append(f"{dangling} band rows point to no passage")
        wrong = db.execute(
            "SELECT COUNT(*) FROM keys k "
            "WHERE k.docs != (SELECT COUNT(DISTINCT doc) FROM passages p WHERE p.key_hash = k.key_hash)"
        ).fetchone()[0]
        wrong += db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT key_hash FROM passages) "
            "WHERE key_hash NOT IN (SELECT key_hash FROM keys)"
        ).fetchone()[0]
        if wrong:
            problems.append(f"{wrong} exact keys with a wrong document count")
        return problems

    @_guarded
    def band_members(self, band_keys: Sequence[int], cap: int) -> dict[int, list[int]]:
        return self._capped(f"SELECT band_key, passage FROM bands WHERE band_key = ? LIMIT {cap:d}", band_keys)

    @_guarded
    def key_members(self, key_hashes: Sequence[int], cap: int) -> dict[int, list[int]]:
        return self._capped(
            f"SELECT key_hash, passage FROM passages WHERE key_hash = ? ORDER BY passage LIMIT {cap:d}", key_hashes
        )

    def _capped(self, select: str, keys: Sequence[int]) -> dict[int, list[int]]:
        """Passages per key, from a (key, passage) SELECT with its own LIMIT run for each distinct key:
        _COMPOUND of them joined into one statement, so a readout's look-ups take a few round trips."""
        out: dict[int, list[int]] = {}
        unique = sorted(set(keys))
        for lo in range(0, len(unique), _COMPOUND):
            chunk = unique[lo : lo + _COMPOUND]
            sql = " UNION ALL ".join([f"SELECT * FROM ({select})"] * len(chunk))
            for key, pid in self.db.execute(sql, chunk):
                out.setdefault(key, []).append(pid)
        return out

    @_guarded
    def key_documents(self, key_hashes: Sequence[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        unique = sorted(set(key_hashes))
        for lo in range(0, len(unique), _IN_BATCH):
            chunk = unique[lo : lo + _IN_BATCH]
            marks = ",".join("?" * len(chunk))
            out.update(self.db.execute(f"SELECT key_hash, docs FROM keys WHERE key_hash IN ({marks})", chunk))
        return out

    @_guarded
    def passages(self, pids: Sequence[int]) -> dict[int, StoredPassage]:
        out: dict[int, StoredPassage] = {}
        unique = sorted(set(pids))
        for lo in range(0, len(unique), _IN_BATCH):
            chunk = unique[lo : lo + _IN_BATCH]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                "SELECT p.passage, d.id, p.idx, p.start, p.end, p.norm, p.key_hash, p.text "
                f"FROM passages p JOIN documents d ON p.doc = d.doc WHERE p.passage IN ({marks})",
                chunk,
            ):
                pid, doc, idx, start, end, norm, kh, text = row
                out[pid] = StoredPassage(pid, doc, idx, start, end, norm, kh, text)
        return out

    @_guarded
    def document(self, doc_id: str) -> StoredDocument | None:
        row = self.db.execute("SELECT first, passages FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        first, count = row
        hashes = self.db.execute(
            "SELECT key_hash FROM passages WHERE passage BETWEEN ? AND ?", (first, first + count - 1)
        )
        return StoredDocument(first, count, frozenset(h for (h,) in hashes))

    def close(self) -> None:
        self.db.close()
