"""Where a cluster's worker keeps its chunks between stages: in memory up to a budget, the rest on its disk.

Every stage of a cluster scan reads a chunk's analysis again (chunks.py), and a corpus's analyses are
some 64 KB a readout (texts, normalized texts with their offset maps, shingle hashes), far more than a
worker should hold for 100,000 readouts. Dask's own spilling moves
whole task results under memory pressure, late and by its own heuristics (at 1-2 GB a worker it killed
or stalled workers). The store decides once per chunk instead: a chunk that fits in the worker's budget
stays in memory; any other is pickled to the worker's local directory when analysed and read back by
each stage that needs it, never cached, so that stages, which visit the chunks in the same order every
time, never evict one another's. A chunk the worker has neither in memory nor on disk (its task moved
to another worker, or the worker that analysed it died) is analysed again from its files: analysis is
deterministic, so it is the same chunk.

What Dask holds, moves and reruns of a chunk is its ChunkRef, a few hundred bytes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import tempfile
import threading
from dataclasses import dataclass, replace

import numpy as np

from reuse.commands.chunks import Chunk, analyse, chunk_hashes, chunk_ids
from reuse.load.corpus import InputOptions, Listing, Source
from reuse.runtime.gc_pause import without_cyclic_gc
from reuse.settings import Settings

MEMORY = 256 * 2**20
"""The most bytes of chunks a worker keeps in memory (and never more than a quarter of its memory limit), as
the chunks' own estimates count them (a chunk's objects take about 1.5 times its estimate). Reading a chunk of
250 readouts back takes some 50 ms, so a small budget costs little time; at 100,000 readouts, a budget of
768 MB made the chunks in memory the largest part of each worker."""


@dataclass(frozen=True)
class ChunkRef:
    """A chunk of one run: what analyses it again, and the budget of the worker that keeps it."""

    run: str
    """The run's token: runs on one cluster keep their chunks apart, and drop them at the end."""
    index: int
    sources: list[tuple[int, Source]]
    options: InputOptions
    settings: Settings
    for_audit: bool
    parts: int
    memory: int
    """The most bytes of chunks this run keeps in a worker's memory."""
    size: int = 0
    """The chunk's size once analysed (what it holds in memory, about)."""

    def __sizeof__(self) -> int:
        # Dask weighs a result's size when it decides whether running a task elsewhere pays: a ref stands
        # for its chunk, which another worker would have to analyse again.
        return max(self.size, 256)


class _Store:
    """One process's chunks, by run and index."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # a worker may run several threads; each chunk is counted once
        self.held: dict[tuple[str, int], Chunk] = {}
        self.sizes: dict[str, int] = {}
        self.on_disk: dict[tuple[str, int], str] = {}
        self.directories: dict[str, str] = {}

    def put(self, ref: ChunkRef, chunk: Chunk) -> None:
        key, size = (ref.run, ref.index), chunk.__sizeof__()
        with self.lock:
            if key in self.held:
                return
            held = self.sizes.get(ref.run, 0)
            if held + size <= ref.memory:
                self.held[key] = chunk
                self.sizes[ref.run] = held + size
                return
        part = ""
        try:
            directory = self.directories.get(ref.run) or self.directories.setdefault(ref.run, _directory(ref.run))
            path = os.path.join(directory, f"chunk-{ref.index}.pickle")
            part = f"{path}.{threading.get_ident()}.part"
            with open(part, "wb") as handle:
                pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, path)  # a stage never reads half a chunk
        except OSError:  # a full or unwritable disk: held in memory past the budget, rather than lost
            with contextlib.suppress(OSError):
                if part:
                    os.remove(part)
            with self.lock:
                self.held[key] = chunk
                self.sizes[ref.run] = self.sizes.get(ref.run, 0) + size
            return
        with self.lock:
            self.on_disk[key] = path

    def get(self, ref: ChunkRef) -> Chunk:
        key = (ref.run, ref.index)
        chunk = self.held.get(key)
        if chunk is not None:
            return chunk
        path = self.on_disk.get(key)
        if path is not None:
            try:
                with open(path, "rb") as handle:
                    loaded: Chunk = pickle.load(handle)
                return loaded
            except OSError:
                pass  # removed under us: analyse it again, as a chunk this worker never had
        chunk = analysed(ref)
        self.put(ref, chunk)
        return chunk

    def drop(self, run: str) -> None:
        for key in [key for key in self.held if key[0] == run]:
            del self.held[key]
        for key in [key for key in self.on_disk if key[0] == run]:
            del self.on_disk[key]
        self.sizes.pop(run, None)
        directory = self.directories.pop(run, None)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


_STORE = _Store()


def _directory(run: str) -> str:
    """A new directory for a run's chunks, in the worker's local directory (only a task knows its worker)."""
    try:
        from distributed import get_worker

        base = get_worker().local_directory
    except (ImportError, ValueError):  # not in a worker (a test calling a stage directly)
        base = tempfile.gettempdir()
    path = os.path.join(base, f"reuse-chunks-{run}")
    os.makedirs(path, exist_ok=True)
    return path


def analysed(ref: ChunkRef) -> Chunk:
    return analyse(ref.sources, ref.options, ref.settings, ref.for_audit, ref.parts)


Kept = tuple[ChunkRef, Listing, list[tuple[np.ndarray, np.ndarray]]]
"""What the first stage gives: the chunk's ref, its documents' ids (chunk_ids) and its shingle hashes by
partition (chunk_hashes). Its lines' records stay in the chunk, on disk past the budget, until the corpus
order is known (line_records)."""


@without_cyclic_gc
def keep(ref: ChunkRef) -> Kept:
    """Analyse a chunk and keep it on this worker: the first stage's task."""
    chunk = analysed(ref)
    _STORE.put(ref, chunk)
    return replace(ref, size=chunk.__sizeof__()), chunk_ids(chunk), chunk_hashes(chunk)


@without_cyclic_gc
def held(ref: ChunkRef) -> Chunk:
    """The chunk, from this worker's memory or disk, or analysed again."""
    return _STORE.get(ref)


def drop(run: str) -> None:
    """Forget a run's chunks, in memory and on disk (run on every worker at the end)."""
    _STORE.drop(run)
