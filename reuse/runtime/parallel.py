"""Document-by-document work spread over processes, results in input order.

Results come back in the order of the inputs whatever the number of processes, so a report never
depends on `--jobs`. State every task needs (settings, the corpus-wide tables of a second pass) is
handed over once per process rather than once per task.

Every worker process of the project starts here (`worker_pool`), so that all of them behave alike
when the run ends early: a worker dies with its parent (even a `kill -9` one, on Linux), and leaves
Ctrl-C and SIGTERM to the parent, which stops the pool and prints one line, never a worker's traceback.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_shared: Any = None

# prctl(2) option: the signal a process gets when the thread that created it exits.
_PR_SET_PDEATHSIG = 1


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


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent ends, however it ends (Linux only)."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere a worker notices its parent is gone when its task pipe closes
    import ctypes

    # The signal comes when the *thread* that started the worker ends: pools are started and used by one
    # thread (the one iterating parallel_map) and replacement workers by the pool's own thread, which outlives them.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        # Not raised: a failing initializer makes the pool start workers forever. Without the signal a
        # worker still ends when its task pipe closes, after the task at hand.
        return
    # The parent may have died between fork and prctl: then nothing would ever send the signal.
    if os.getppid() != parent:
        os._exit(1)


def _start_worker(parent: int, state: Any) -> None:
    """First thing in every worker: die with the parent, leave interruptions to it, take the state."""
    # Ctrl-C reaches the whole process group; the parent handles it and terminates the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the parent's handlers; the pool stops workers with SIGTERM, which must kill them.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The worker was born with SIGTERM blocked (worker_pool): one sent while the handler above was being
    # replaced waited in the kernel instead of being dropped, and now kills it as it should.
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _die_with_parent(parent)
    _set_shared(state)


@contextmanager
def worker_pool(jobs: int, state: Any = None) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of `jobs` worker processes, each holding `state`; stopped and reaped on the way out, however left."""
    # fork shares the parent's memory (the corpus) without copying it; elsewhere spawn is the safe choice.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    # SIGTERM blocked across the forks, so that a pool stopped at once cannot lose the signal in a worker
    # still swapping the handler it inherited (Python drops a signal that arrives during the swap).
    blocked = hasattr(signal, "pthread_sigmask") and method == "fork"
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) if blocked else None
    try:
        pool = context.Pool(jobs, initializer=_start_worker, initargs=(os.getpid(), state))
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    try:
        yield pool
    finally:
        pool.terminate()  # also joins the workers: none is left when this returns
        pool.join()


def _call_each(func: Callable[[T], R], batch: list[T]) -> list[R]:
    return [func(item) for item in batch]


def parallel_map(
    func: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    state: Any = None,
    chunksize: int = 16,
    window: int | None = None,
) -> Iterator[R]:
    """func over items in `jobs` processes (inline for one), yielding results in input order.

    func must be a module-level function (or a functools.partial of one); it reads `state` through
    `shared()`. window: at most this many chunks handed out and not yet consumed, so that results a
    slow consumer has not taken do not pile up in memory (default: no bound).
    """
    if jobs <= 1:
        previous = _shared
        _set_shared(state)
        try:
            yield from map(func, items)
        finally:
            _set_shared(previous)
        return
    with worker_pool(jobs, state) as pool:
        if window is None:
            yield from pool.imap(func, items, chunksize)
            return
        iterator = iter(items)
        pending: deque[multiprocessing.pool.AsyncResult[list[R]]] = deque()
        while True:
            while len(pending) < max(1, window):
                batch = list(islice(iterator, chunksize))
                if not batch:
                    break
                pending.append(pool.apply_async(_call_each, (func, batch)))
            if not pending:
                return
            yield from pending.popleft().get()
