"""Document-by-document work spread over processes, results in input order.

Results come back in the order of the inputs whatever the number of processes, so a report never
depends on `--jobs`. State every task needs (settings, the corpus-wide tables of a second pass) is
handed over once per process rather than once per task.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_shared: Any = None


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def shared() -> Any:
    """The state handed to `parallel_map` for its tasks (in a worker, or inline)."""
    return _shared


def _set_shared(state: Any) -> None:
    global _shared
    _shared = state


def parallel_map(
    func: Callable[[T], R], items: Iterable[T], jobs: int, state: Any = None, chunksize: int = 16
) -> Iterator[R]:
    """func over items in `jobs` processes (inline for one), yielding results in input order.

    func must be a module-level function; it reads `state` through `shared()`.
    """
    if jobs <= 1:
        previous = _shared
        _set_shared(state)
        try:
            yield from map(func, items)
        finally:
            _set_shared(previous)
        return
    # fork shares the parent's memory (the corpus) without copying it; elsewhere spawn is the safe choice.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=_set_shared, initargs=(state,)) as pool:
        yield from pool.imap(func, items, chunksize)
