"""A Dask cluster to run corpus commands on: a running scheduler's address, or `local[:N]` for one started here.

Dask is an optional extra (`pip install "readout-reuse[dask]"`); everything here imports it lazily, so
that the in-process path never pays for it.
"""

from __future__ import annotations

import logging
import re
import socket
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from reuse.errors import InputError
from reuse.runtime.output import shown

if TYPE_CHECKING:
    from distributed import Client, Future

ENVIRONMENT = "REUSE_CLUSTER"
CONNECT_TIMEOUT = 10.0
"""Seconds to reach a scheduler before saying it cannot be reached."""

_LOCAL = re.compile(r"local(?::(\d+))?")


class ClusterError(InputError):
    """The cluster cannot be used: Dask missing, the scheduler unreachable, workers lost."""


def local_workers(address: str) -> int | None:
    """N of `local:N` (`local`: one per core, at most 4); None for the address of a running scheduler."""
    found = _LOCAL.fullmatch(address.strip())
    if found is None:
        return None
    if found.group(1) is None:
        import os

        return max(1, min(4, os.cpu_count() or 1))
    workers = int(found.group(1))
    if workers < 1:
        raise ClusterError(f"--cluster {address}: a local cluster needs at least one worker")
    return workers


@contextmanager
def cluster_client(
    address: str, memory_limit: str | None = None, say: Callable[[str], None] | None = None
) -> Iterator[Client]:
    """A client of the cluster at address, closed (and a local cluster stopped) on the way out.

    memory_limit: per worker of a local cluster (Dask's own default: this machine's memory shared out);
    past its share a worker spills what it holds to its temporary directory. say: told the dashboard's address.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError('--cluster needs Dask, which is not installed: pip install "readout-reuse[dask]"') from None
    workers = local_workers(address)
    with ExitStack() as stack:
        if workers is not None:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="reuse-dask-"))
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    local_directory=scratch,
                    memory_limit=memory_limit or "auto",
                    dashboard_address=":0",  # a free port: never in the way of another cluster
                    silence_logs=logging.CRITICAL,  # errors reach the user as one line, not as log records
                )
            )
            client = stack.enter_context(Client(cluster, set_as_default=False))
        else:
            _check_reachable(address)
            try:
                client = stack.enter_context(Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False))
            except (OSError, TimeoutError, ValueError) as err:
                reason = str(err).splitlines()[0] if str(err) else type(err).__name__
                raise ClusterError(f"--cluster {shown(address)}: cannot reach a Dask scheduler ({reason})") from None
            if not client.scheduler_info().get("workers"):
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        if say:
            say(f"Dask dashboard: {client.dashboard_link}")
        yield client


def _check_reachable(address: str) -> None:
    """Refuse at once a tcp:// address where nothing listens (Dask would retry until its timeout)."""
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "") or parts.hostname is None or parts.port is None:
        return  # other transports (tls://, ucx://, inproc://): Dask's own connection says
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_TIMEOUT).close()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ClusterError(f"--cluster {shown(address)}: cannot reach a Dask scheduler ({reason})") from None


def gathered(client: Client, futures: Sequence[Future]) -> list[Any]:
    """The results of futures, in order; the cluster's own failures (workers that keep dying, work given
    up) as one-line ClusterErrors, a task's own exception (an InputError) as it is."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        return list(client.gather(list(futures)))
    except CancelledError as err:  # the scheduler gave the work up: lost workers, or a client cut off
        reason = str(err).split("reason: ", 1)[-1].rstrip(".") if "reason: " in str(err) else "cancelled"
        raise ClusterError(f"the cluster gave up part of the work ({reason}): workers lost?") from None
    except KilledWorker as err:
        task = str(err.args[0]).rsplit("-", 5)[0] if err.args else "a task"
        raise ClusterError(
            f"workers kept dying while running {task} (out of memory?): give each more memory "
            "(--worker-memory, or the workers' own --memory-limit) or use more workers"
        ) from None
