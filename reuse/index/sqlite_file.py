"""An SQLite index file: its tables, how it is recognised, created and opened, and its errors in a user's terms.

A file is refused before sqlite3 sees it unless it starts as an SQLite database; --force deletes only a
file recognised as an index from its first page; a reader opens the file read-only (immutable where
the directory cannot be written and nothing waits in the WAL).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from urllib.parse import quote

from reuse.errors import IndexStoreError
from reuse.index.store import check_meta, meta_values
from reuse.settings import Settings
from reuse.version import __version__

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

# Result codes from sqlite3.h (the sqlite3 module has them from Python 3.11, its type stubs not yet).
_READONLY = 8
_CANTOPEN = 14
_READONLY_DIRECTORY = _READONLY | (6 << 8)


def error(spec: str, err: sqlite3.Error) -> IndexStoreError:
    """sqlite3's error as a one-line IndexStoreError naming the index."""
    message = str(err)
    if getattr(err, "sqlite_errorcode", 0) & 0xFF == _READONLY:
        return IndexStoreError(f"{spec}: cannot write the index ({message}): the file or its directory is read-only")
    if isinstance(err, sqlite3.DatabaseError) and ("malformed" in message or "not a database" in message):
        return IndexStoreError(f"{spec}: corrupt index ({message})")
    if "Could not decode" in message:  # a damaged byte inside a stored text (the settings)
        return IndexStoreError(f"{spec}: corrupt index (a stored text is not UTF-8: {message[:80]})")
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
        raise error(path, err) from None
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()  # opens the WAL: fails here if it cannot
        return db
    except sqlite3.Error as err:
        db.close()
        if getattr(err, "sqlite_errorcode", None) not in (_READONLY_DIRECTORY, _CANTOPEN):
            raise error(path, err) from None
        directory = os.path.dirname(os.path.abspath(path))
        if os.access(directory, os.W_OK):
            raise error(path, err) from None
        wal = path + "-wal"
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            raise IndexStoreError(
                f"{path}: cannot read the index: its directory is read-only and {wal} holds changes not yet "
                "merged into it; they are merged when a user who can write the directory next writes the index"
            ) from None
    try:
        return sqlite3.connect(_uri(path, "mode=ro", "immutable=1"), uri=True, isolation_level=None)
    except sqlite3.Error as err:
        raise error(path, err) from None


def _connect_write(path: str) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    except sqlite3.Error as err:
        raise error(path, err) from None
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL: a crash of the process never loses a committed transaction;
        # a power cut may lose the last ones, never consistency.
        db.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as err:
        db.close()
        raise error(path, err) from None
    return db


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


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """Commit the transaction begun before entering if the block completes, roll it back if it raises."""
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        if db.in_transaction:
            db.execute("COMMIT")


def create_index(path: str, settings: Settings | None, force: bool) -> tuple[sqlite3.Connection, Settings]:
    """A new index file with settings (force replaces an existing index), open for writing, and its settings."""
    # An empty file holds nothing to lose: a build killed before its first transaction leaves one.
    if force and os.path.isfile(path) and os.path.getsize(path) == 0:
        os.unlink(path)
    if os.path.exists(path):
        _sniff(path)
        if not force:
            raise IndexStoreError(
                f"{path}: index already exists; add documents with `reuse index add`, or pass --force to build it anew"
            )
        _replace(path)
    if settings is None:
        raise ValueError("creating an index needs settings")
    db = _connect_write(path)
    try:
        db.execute("BEGIN IMMEDIATE")
        with transaction(db):  # tables and meta together: a file is an index, or empty
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            values = {**meta_values(settings, __version__), "next_passage": "1"}
            db.executemany("INSERT INTO meta VALUES (?, ?)", values.items())
    except sqlite3.Error as err:
        db.close()
        raise error(path, err) from None
    return db, settings


def open_index_file(path: str, mode: str) -> tuple[sqlite3.Connection, Settings]:
    """An existing index, mode 'write' or 'read', and the settings it was built with."""
    if not os.path.exists(path):
        raise IndexStoreError(f"{path}: no such index; create it with `reuse index build`")
    _sniff(path)
    db = _connect_read(path) if mode == "read" else _connect_write(path)
    try:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.OperationalError as err:
        db.close()
        if "no such table" in str(err):
            raise IndexStoreError(f"{path}: not a reuse index (an SQLite database without reuse's tables)") from None
        raise error(path, err) from None
    except sqlite3.Error as err:
        db.close()
        raise error(path, err) from None
    try:
        settings = check_meta(path, meta)
    except IndexStoreError:
        db.close()
        raise
    if mode == "write":
        db.execute("PRAGMA cache_size=-524288")  # 512 MB for writers: band inserts land all over the tree
    return db, settings
