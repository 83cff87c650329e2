"""Tasks of a cluster scan: placed where their chunk is kept, named for their stage, their arguments
sent the cheap way, and the chunk store's budget and release (on_cluster.py runs the stages)."""

from __future__ import annotations

import contextlib
import operator
import pickle
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from reuse.commands import chunk_store, chunks
from reuse.commands.chunk_store import ChunkRef
from reuse.runtime.cluster import gathered
from reuse.settings import Settings

if TYPE_CHECKING:
    from distributed import Client, Future


class Tasks:
    """One run's tasks on a cluster: placed where their chunk is kept, named for their stage."""

    def __init__(self, client: Client, settings: Settings, parts: int) -> None:
        self.client = client
        self.settings = settings
        self.parts = parts
        self.where: dict[Any, list[str]] = {}
        self.chunk_of = np.zeros(0, dtype=np.int64)
        """The chunk of each document, by its index in the corpus."""

    def submit(self, func: Callable[..., Any], *args: Any, name: str | None = None) -> Future:
        """func(*args) as a task (named for the dashboard, func's name by default); a task on a chunk (its
        first argument) runs where the chunk is, unless that worker is gone: moving a chunk costs more than
        waiting for its worker."""
        key = f"{name or func.__name__}-{uuid.uuid4().hex}"
        where = self.where.get(getattr(args[0], "key", None)) if args else None
        if where:
            return self.client.submit(func, *args, key=key, workers=where, allow_other_workers=True)
        return self.client.submit(func, *args, key=key)

    def locate(self, futures: list[Future], items: list[Future] | None = None) -> None:
        """Remember where these (finished) futures are held, for submit: for themselves or, given items, for
        the item of each (a task on an item runs where the whole is)."""
        held = self.client.who_has(futures)
        keys = [f.key for f in (futures if items is None else items)]
        self.where = {key: list(held[f.key]) for key, f in zip(keys, futures) if held.get(f.key)}

    def on_chunk(self, func: Callable[..., Any], chunk: Future, *args: Any) -> Future:
        """func(the chunk, *args) as a task, where the chunk is kept (chunk: a future of its ChunkRef)."""
        return self.submit(on_chunk_task, chunk, func, *args, name=func.__name__)

    def split(self, future: Future, count: int) -> list[Future]:
        """The items of a task's result (a list or tuple of count), each a future of its own."""
        return [self.submit(operator.getitem, future, i) for i in range(count)]

    def share(self, data: Any) -> Future:
        """Data many tasks read, sent to the cluster once (not once per task)."""
        return self.client.scatter([data], hash=False)[0]  # a list: a dict or set alone would be scattered item by item

    def gather(self, futures: Sequence[Future]) -> list[Any]:
        return gathered(self.client, futures)


def on_chunk_task(ref: ChunkRef, func: Callable[..., Any], *args: Any) -> Any:
    return func(chunk_store.held(ref), *args)


def packed(*args: Any) -> bytes:
    """Arguments as one pickle: Dask walks a task's arguments, nested lists and dicts too, for futures in
    them, which for a corpus's explained ranges took longer than sending them."""
    return pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)


def finish_packed(chunk: chunks.Chunk, data: bytes) -> chunks.Finished:
    """chunks.finish with its arguments as `packed` gave them."""
    return chunks.finish(chunk, *pickle.loads(data))


def chunk_memory(client: Client) -> int:
    """The budget of chunks a worker keeps in memory: chunk_store.MEMORY, at most a quarter of any worker's limit."""
    limits = [info.get("memory_limit") or 0 for info in client.scheduler_info().get("workers", {}).values()]
    return min([chunk_store.MEMORY] + [limit // 4 for limit in limits if limit > 0])


def release(client: Client, token: str) -> None:
    """Drop a run's chunks from every worker's memory and disk."""
    with contextlib.suppress(Exception):  # a worker gone, or a cluster shutting down, holds nothing more
        client.run(chunk_store.drop, token)
