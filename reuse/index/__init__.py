"""A persistent reuse index: every readout seen before, queryable passage by passage.

`open_index(spec)` gives a Store for a path (one SQLite file, the default) or a
`redis://host:port/db?prefix=NAME` URL (a shared index on a Redis server).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..document import Document
from ..settings import Settings
from .store import SCHEMA_VERSION, Store

__all__ = ["SCHEMA_VERSION", "Store", "add_documents", "is_redis", "open_index"]

MODES = ("create", "write", "read")


def is_redis(spec: str) -> bool:
    return spec.startswith(("redis://", "rediss://", "unix://"))


def open_index(spec: str, mode: str = "read", settings: Settings | None = None, force: bool = False) -> Store:
    """Open (mode 'read' or 'write') or create (mode 'create', with settings) the index named by spec.

    Opening checks the schema version; add and query check settings against the index's own
    (store.check_settings). Raises IndexStoreError with a one-line reason.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if is_redis(spec):
        from .redis_store import RedisStore

        return RedisStore(spec, mode, settings, force)
    from .sqlite_store import SqliteStore

    return SqliteStore(spec, mode, settings, force)


def add_documents(store: Store, documents: Iterable[Document]) -> tuple[int, int, int]:
    """Analyze and write documents with the index's settings, a batch at a time (nothing is kept in memory).

    Returns (documents written, of which replaced an existing id, passages written).
    """
    from ..analysis import analyze
    from .store import PreparedDocument, prepare

    passages = 0

    def prepared() -> Iterator[PreparedDocument]:
        nonlocal passages
        for doc in documents:
            item = prepare(analyze(doc, store.settings))
            passages += item.passages
            yield item

    written, replaced = store.add(prepared())
    return written, replaced, passages
