"""`index build` and `index add` on a Dask cluster: workers read and analyse chunks of files, the client writes.

The client writes (SQLite has one writer; a Redis index could take several, see README "Beyond one
machine" for what was measured). Entries reach the store in document id order, as in-process, so
that both paths write the same index: chunks are merged by id, each fetched from its worker when the
merge needs it, so the client holds about one chunk per chunk still open.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING

from reuse.index import Added
from reuse.index.store import IndexEntry, Store, index_entry
from reuse.load.corpus import InputOptions, Listing, Skipped, Source, checked_listing, read_sources, worker_sources
from reuse.runtime.cluster import gathered
from reuse.settings import Settings
from reuse.sketch.prepared import prepare

if TYPE_CHECKING:
    from distributed import Client, Future

_CHUNK = 64
"""Files analysed by one task: enough to amortise a task, few enough to keep entries in flight small."""

Analysed = tuple[list[IndexEntry], list[tuple[str, str]], list[tuple[int, Skipped]], tuple[int, str] | None]
"""A chunk's entries in id order, its (id, source) pairs in reading order, what was skipped, and the first failure."""


def analyse_for_index(sources: list[tuple[int, Source]], options: InputOptions, settings: Settings) -> Analysed:
    read = read_sources(sources, options)
    entries = [index_entry(prepare(doc, settings)) for doc in read.documents] if read.failure is None else []
    return entries, read.ids, read.skipped, read.failure


def _listing(done: Analysed) -> Listing:
    return done[1], done[2], done[3]


def add_on_cluster(
    client: Client, store: Store, paths: list[str], options: InputOptions
) -> tuple[Added, list[Skipped]]:
    """Read, analyse (on the workers) and write (here) every document the paths name; ids used twice are refused
    before anything is written."""
    started = time.perf_counter()
    skipped, sources = worker_sources(paths, options)
    futures: list[Future] = [
        client.submit(analyse_for_index, sources[i : i + _CHUNK], options, store.settings, pure=False)
        for i in range(0, len(sources), _CHUNK)
    ]
    listing = gathered(client, [client.submit(_listing, f, pure=False) for f in futures])
    _, skipped_list = checked_listing(listing, skipped)
    passages = 0

    def entries(future: Future) -> Iterator[IndexEntry]:
        yield from gathered(client, [future])[0][0]
        future.release()  # written: the worker may let it go

    def counted(merged: Iterable[IndexEntry]) -> Iterator[IndexEntry]:
        nonlocal passages
        for entry in merged:
            passages += entry.passages
            yield entry

    ranges = [(min(i for i, _ in found), max(i for i, _ in found)) for found, _, _ in listing if found]
    ordered = all(ranges[n][1] < ranges[n + 1][0] for n in range(len(ranges) - 1))
    parts = [entries(f) for f, (found, _, _) in zip(futures, listing) if found]
    # Files in a directory are read in id order: chunk after chunk, one at a time on this side. Rows of
    # JSONL files can interleave ids across chunks: those are merged, every chunk open at once.
    merged = chain.from_iterable(parts) if ordered else heapq.merge(*parts, key=lambda entry: entry.id)
    written, replaced = store.add(counted(merged))
    return Added(written, replaced, passages, time.perf_counter() - started), skipped_list
