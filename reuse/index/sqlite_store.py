"""The default index: one SQLite file (standard library sqlite3), WAL journal, one transaction per batch.

Band look-ups go through the primary key of a WITHOUT ROWID table (band_key, passage), exact keys
through an index on passages(key_hash), so a query reads a few pages, never the whole index.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import numpy as np

from reuse.errors import IndexStoreError
from reuse.index.store import (
    PreparedDocument,
    Stats,
    Store,
    StoredDocument,
    StoredPassage,
    batches,
    check_meta,
    meta_values,
)
from reuse.settings import Settings
from reuse.sketch.candidates import stable_band_keys

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    first INTEGER NOT NULL,      -- a document's passages have the ids first .. first + passages - 1
    passages INTEGER NOT NULL,
    chars INTEGER NOT NULL
);
CREATE TABLE passages (
    passage INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    key_hash INTEGER NOT NULL,
    norm TEXT NOT NULL,          -- the exact-match key: normalized text, or a shape for passages without words
    text TEXT NOT NULL,          -- the original text, document[start:end]
    signature BLOB               -- num_perm little-endian uint32, NULL for a passage without shingles
);
CREATE INDEX passages_key ON passages (key_hash);
CREATE TABLE bands (band_key INTEGER NOT NULL, passage INTEGER NOT NULL, PRIMARY KEY (band_key, passage)) WITHOUT ROWID;
CREATE TABLE keys (key_hash INTEGER PRIMARY KEY, docs INTEGER NOT NULL);
"""

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x52555345
"""'RUSE' in SQLite's header field for the application owning a file (PRAGMA application_id)."""
# The definitions of these tables, as SQLite keeps them in the schema on page 1, identify an index
# written before the application id was set: no other program creates these tables word for word.
_SIGNATURE = [
    statement.strip().encode()
    for statement in SCHEMA.split(";")
    if statement.strip().startswith(("CREATE TABLE meta ", "CREATE TABLE bands ", "CREATE TABLE keys "))
]
# SQLite allows 500 terms in a compound SELECT; each band look-up is one term (for its LIMIT).
_COMPOUND = 250
_IN_BATCH = 500
# Passages per write transaction. Band keys are random, so a transaction dirties pages all over the
# band table and the WAL holds each dirty page once: the bigger the batch, the more rows per page written.
BATCH = 50_000

# Result codes from sqlite3.h (the sqlite3 module has them from Python 3.11, its type stubs not yet).
_READONLY = 8
_CANTOPEN = 14
_READONLY_DIRECTORY = _READONLY | (6 << 8)

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn sqlite3's errors into one-line IndexStoreErrors naming the index."""

    @functools.wraps(method)
    def wrapper(self: SqliteStore, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as err:
            raise _error(self.spec, err) from None

    return wrapper


def _error(spec: str, err: sqlite3.Error) -> IndexStoreError:
    message = str(err)
    if getattr(err, "sqlite_errorcode", 0) & 0xFF == _READONLY:
        return IndexStoreError(f"{spec}: cannot write the index ({message}): the file or its directory is read-only")
    if isinstance(err, sqlite3.DatabaseError) and ("malformed" in message or "not a database" in message):
        return IndexStoreError(f"{spec}: corrupt index ({message})")
    if "locked" in message or "busy" in message:
        return IndexStoreError(f"{spec}: index is busy ({message}); another process is writing, try again")
    return IndexStoreError(f"{spec}: {message}")


def _sniff(path: str) -> None:
    """Refuse files that are not SQLite databases before sqlite3 sees them."""
    if os.path.isdir(path):
        raise IndexStoreError(f"{path}: is a directory, expected an index file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as err:
        raise IndexStoreError(f"{path}: cannot read ({err.strerror or err})") from None
    if not head:
        raise IndexStoreError(f"{path}: not a reuse index (empty file)")
    if head != SQLITE_HEADER:
        raise IndexStoreError(f"{path}: not a reuse index (not an SQLite database)")


def recognised(path: str) -> bool:
    """Whether a file is a reuse index, even a damaged one (truncated, pages overwritten), from its first
    page alone: our application id in the header, or (indexes written before it was set) our table
    definitions in the schema, which SQLite keeps on page 1. Only such a file is ever deleted by --force."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)  # the largest page SQLite allows
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        return False
    if int.from_bytes(head[68:72], "big") == APPLICATION_ID:
        return True
    page_size = int.from_bytes(head[16:18], "big")
    first_page = head[: 1 << 16 if page_size == 1 else page_size]
    return all(definition in first_page for definition in _SIGNATURE)


def _uri(path: str, *parameters: str) -> str:
    return "file:" + quote(os.fsencode(os.path.abspath(path))) + "?" + "&".join(parameters)


def _connect_read(path: str) -> sqlite3.Connection:
    """A read-only connection: a query never writes the index, and works where the user cannot write.

    A WAL database is readable read-only when its -wal and -shm files exist or can be created (SQLite
    3.22+). In a directory the user cannot write, with no -wal left by a writer, they can be neither, and
    SQLite reads the file only as immutable (no locks, no WAL). That is exact when the -wal holds nothing:
    every committed change is then in the file itself. A -wal with content holds committed changes the
    file lacks, which an immutable read would silently miss: that is refused with what to do instead.
    """
    try:
        db = sqlite3.connect(_uri(path, "mode=ro"), uri=True, isolation_level=None, timeout=30.0)
    except sqlite3.Error as err:
        raise _error(path, err) from None
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()  # opens the WAL: fails here if it cannot
        return db
    except sqlite3.Error as err:
        db.close()
        if getattr(err, "sqlite_errorcode", None) not in (_READONLY_DIRECTORY, _CANTOPEN):
            raise _error(path, err) from None
        directory = os.path.dirname(os.path.abspath(path))
        if os.access(directory, os.W_OK):
            raise _error(path, err) from None
        wal = path + "-wal"
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            raise IndexStoreError(
                f"{path}: cannot read the index: its directory is read-only and {wal} holds changes not yet "
                "merged into it; they are merged when a user who can write the directory next writes the index"
            ) from None
    try:
        return sqlite3.connect(_uri(path, "mode=ro", "immutable=1"), uri=True, isolation_level=None)
    except sqlite3.Error as err:
        raise _error(path, err) from None


def _replace(path: str) -> None:
    """Delete an index (with its WAL files) that --force is to build anew; never a file that is not one."""
    try:
        ours = recognised(path)
    except OSError as err:
        raise IndexStoreError(f"{path}: cannot read ({err.strerror or err})") from None
    if not ours:
        raise IndexStoreError(f"{path}: not a reuse index (an SQLite database without reuse's tables); not replaced")
    for suffix in ("", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            continue
        except OSError as err:
            raise IndexStoreError(f"{path + suffix}: cannot replace the index ({err.strerror or err})") from None


class SqliteStore(Store):
    def __init__(self, path: str, mode: str, settings: Settings | None = None, force: bool = False) -> None:
        """mode: 'create' (a new index with settings; force replaces an existing index), 'write' or 'read'."""
        self.spec = path
        exists = os.path.exists(path)
        if mode == "create":
            if exists:
                _sniff(path)
                if not force:
                    raise IndexStoreError(
                        f"{path}: index already exists; add documents with `reuse index add`, "
                        "or pass --force to build it anew"
                    )
                _replace(path)
            if settings is None:
                raise ValueError("creating an index needs settings")
            self.db = self._connect(path)
            try:
                self.db.execute("BEGIN IMMEDIATE")
                with self._transaction():  # tables and meta together: a file is an index, or empty
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
                    values = {**meta_values(settings, _version()), "next_passage": "1"}
                    self.db.executemany("INSERT INTO meta VALUES (?, ?)", values.items())
            except sqlite3.Error as err:
                raise _error(path, err) from None
            self.settings = settings
            return
        if not exists:
            raise IndexStoreError(f"{path}: no such index; create it with `reuse index build`")
        _sniff(path)
        self.db = self._open(path, mode)

    def _connect(self, path: str) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
            db.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL: a crash of the process never loses a committed transaction;
            # a power cut may lose the last ones, never consistency.
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as err:
            raise _error(path, err) from None
        return db

    def _open(self, path: str, mode: str) -> sqlite3.Connection:
        db = _connect_read(path) if mode == "read" else self._connect(path)
        try:
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.OperationalError as err:
            db.close()
            if "no such table" in str(err):
                raise IndexStoreError(
                    f"{path}: not a reuse index (an SQLite database without reuse's tables)"
                ) from None
            raise _error(path, err) from None
        except sqlite3.Error as err:
            db.close()
            raise _error(path, err) from None
        try:
            self.settings = check_meta(path, meta)
        except IndexStoreError:
            db.close()
            raise
        if mode == "write":
            db.execute("PRAGMA cache_size=-524288")  # 512 MB for writers: band inserts land all over the tree
        return db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        else:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    @_guarded
    def add(self, documents: Iterable[PreparedDocument]) -> tuple[int, int]:
        written = replaced = 0
        for batch in batches(documents, BATCH):
            self.db.execute("BEGIN IMMEDIATE")
            with self._transaction():
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

    def _insert(self, doc: PreparedDocument, first: int, staged: list[np.ndarray], counts: Counter[int]) -> int:
        db = self.db
        cursor = db.execute(
            "INSERT INTO documents (id, first, passages, chars) VALUES (?, ?, ?, ?)",
            (doc.id, first, doc.passages, doc.chars),
        )
        doc_num = cursor.lastrowid
        signatures = doc.signatures.astype("<u4", copy=False)
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    first + i,
                    doc_num,
                    i,
                    doc.starts[i],
                    doc.ends[i],
                    doc.key_hashes[i],
                    doc.keys[i],
                    doc.texts[i],
                    signatures[i].tobytes() if doc.usable[i] else None,
                )
                for i in range(doc.passages)
            ),
        )
        rows = np.flatnonzero(doc.usable)
        if rows.size:
            keys = doc.band_keys[rows]
            pids = np.repeat(rows + first, keys.shape[1])
            staged.append(np.unique(np.stack((keys.ravel(), pids), axis=1), axis=0))
        counts.update(set(doc.key_hashes))
        return first + doc.passages

    def _write_staged(self, staged: list[np.ndarray], counts: Counter[int]) -> None:
        """Band entries and key counts of a whole batch, in key order: each page of the band table is
        then visited once per batch, not once per document (random keys, a table bigger than the cache)."""
        if staged:
            pairs = np.concatenate(staged)
            pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
            self.db.executemany("INSERT INTO bands VALUES (?, ?)", pairs.tolist())
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
        with self._transaction():
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


@functools.lru_cache(maxsize=16)
def _compound(select: str, cap: int, terms: int) -> str:
    return " UNION ALL ".join([f"SELECT * FROM ({select} LIMIT {cap:d})"] * terms)


def _version() -> str:
    from reuse.version import __version__

    return __version__
