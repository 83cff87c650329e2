"""Stage 7, index: a persistent reuse index: every readout seen before, queryable passage by passage.

`open_index(spec)` gives a Store for a path (one SQLite file, the default) or a
`redis://host:port/db?prefix=NAME` URL (a shared index on a Redis server).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from reuse.index.store import SCHEMA_VERSION, Store
from reuse.load.document import Document
from reuse.runtime.progress import Progress
from reuse.settings import Settings

if TYPE_CHECKING:
    from reuse.index.store import IndexEntry

__all__ = ["SCHEMA_VERSION", "Added", "Store", "add_documents", "display_spec", "is_redis", "open_index"]

MODES = ("create", "write", "read")


def is_redis(spec: str) -> bool:
    return spec.startswith(("redis://", "rediss://", "unix://"))


MASK = "***"
# Query-string parameters whose value is a secret: redis-py passes unknown ones on to the connection
# (`?password=` for unix:// sockets, `ssl_password=` for a TLS key), so any name that says so is masked.
SECRET_NAME = re.compile(r"pass|pwd|secret|token|auth|credential", re.IGNORECASE)


def display_spec(spec: str) -> str:
    """The index as shown to users: a Redis URL with every password replaced by ***; paths as they are.

    The password of `redis://user:pass@host` or `redis://:pass@host` and the value of any query
    parameter named like a secret (`?password=`) are masked; user names, hosts and prefixes stay.
    For redis:// and rediss:// everything up to the last `@` before the query is the user part, so a
    password with an unencoded `@` or `/` is masked whole (it cannot be part of a host).
    """
    if not is_redis(spec):
        return spec
    scheme, rest = spec.split("://", 1)
    head, mark, query = rest.partition("?")
    if scheme == "unix":
        # A socket path may hold '@'; the user part can only come before the path's first '/'.
        authority, slash, path = head.partition("/")
        head = _masked_userinfo(authority) + slash + path
    else:
        head = _masked_userinfo(head)
    return f"{scheme}://{head}{mark}{_masked_query(query)}"


def _masked_userinfo(head: str) -> str:
    userinfo, at, host = head.rpartition("@")
    if not at or ":" not in userinfo:
        return head  # no password: a lone name before '@' is a user name
    user = userinfo.split(":", 1)[0]
    return f"{user}:{MASK}@{host}"


def _masked_query(query: str) -> str:
    from urllib.parse import unquote_plus

    fields = []
    for field in query.split("&"):
        name, equals, _ = field.partition("=")
        fields.append(f"{name}={MASK}" if equals and SECRET_NAME.search(unquote_plus(name)) else field)
    return "&".join(fields)


def open_index(spec: str, mode: str = "read", settings: Settings | None = None, force: bool = False) -> Store:
    """Open (mode 'read' or 'write') or create (mode 'create', with settings) the index named by spec.

    Opening checks the schema version; add and query check settings against the index's own
    (store.check_settings). Raises IndexStoreError with a one-line reason.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if is_redis(spec):
        from reuse.index.redis_store import RedisStore

        return RedisStore(spec, mode, settings, force)
    from reuse.index.sqlite_store import SqliteStore

    return SqliteStore(spec, mode, settings, force)


# From this many documents on, analysis runs in worker processes while this one writes, which
# overlaps the two halves of a build. Fewer are not worth starting processes for.
PARALLEL_FROM = 64


class Added(NamedTuple):
    """What add_documents wrote, and how fast: the summary `index build` and `index add` print."""

    written: int
    replaced: int
    """Of the documents written, those that replaced a document with the same id."""
    passages: int
    seconds: float
    """Wall time of analysing and writing (opening the index not included)."""

    @property
    def rate(self) -> float | None:
        """Passages written per second; None when too fast for the clock to tell."""
        return self.passages / self.seconds if self.seconds > 0 else None


def add_documents(
    store: Store, documents: Iterable[Document], jobs: int | None = None, progress: Progress | None = None
) -> Added:
    """Analyze and write documents with the index's settings, a batch at a time (nothing is kept in memory).

    jobs: processes analysing documents while this one writes (default: all cores; one analyses in
    this process between writes). What is written does not depend on jobs: documents go in, in order.
    progress: told of each document written.
    """
    import time

    from reuse.runtime.parallel import default_jobs

    started = time.perf_counter()
    documents = list(documents)
    jobs = default_jobs() if jobs is None else jobs
    passages = 0
    progress = progress or Progress()
    progress.start("documents", len(documents))

    def counted(items: Iterable[IndexEntry]) -> Iterator[IndexEntry]:
        nonlocal passages
        for item in items:
            passages += item.passages
            yield item
            progress.advance()

    parallel = jobs > 1 and len(documents) >= PARALLEL_FROM
    source = _prepared_by_workers(documents, store.settings, jobs) if parallel else _prepared(documents, store.settings)
    written, replaced = store.add(counted(source))
    progress.done()
    return Added(written, replaced, passages, time.perf_counter() - started)


def _prepare_many(documents: list[Document], settings: Settings) -> list[IndexEntry]:
    from reuse.index.store import index_entry
    from reuse.sketch.prepared import prepare

    return [index_entry(prepare(doc, settings)) for doc in documents]


def _prepared(documents: Iterable[Document], settings: Settings) -> Iterator[IndexEntry]:
    for doc in documents:
        yield from _prepare_many([doc], settings)


def _prepared_by_workers(
    documents: list[Document], settings: Settings, jobs: int, chunk: int = 16, window: int = 8
) -> Iterator[IndexEntry]:
    """Prepared documents in order, from worker processes, with at most window chunks per process in flight."""
    from functools import partial

    from reuse.runtime.parallel import parallel_map

    chunks = (documents[position : position + chunk] for position in range(0, len(documents), chunk))
    prepare = partial(_prepare_many, settings=settings)
    for prepared in parallel_map(prepare, chunks, jobs, chunksize=1, window=window * jobs):
        yield from prepared
