"""A Dask cluster of separate processes on loopback, started through Dask's own command-line entry points.

    with dask_processes(tmp_path, workers=2) as cluster:
        run("scan", corpus, "--cluster", cluster.address)
        cluster.kill_worker(0)

One `dask scheduler` and N `dask worker` processes, each in its own process group, stopped (and killed
if need be) on exit so that the session's check for processes left behind stays quiet.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from .conftest import ROOT, free_port

STARTUP_TIMEOUT = 30.0


def require_distributed() -> None:
    """Skip (visibly) when `distributed` is missing, except in CI, where the cluster tests must run."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        missing = "distributed is not installed (pip install -e '.[dask]')"
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: the Dask cluster tests must run in CI")
        pytest.skip(f"{missing}: Dask cluster tests skipped")


def dask_command(role: str) -> list[str]:
    """`dask scheduler` / `dask worker` of this Python: the console script beside it, else its module."""
    script = Path(sys.executable).with_name("dask")
    if script.exists():
        return [str(script), role]
    found = shutil.which("dask")
    # a `dask` elsewhere on PATH may belong to another Python, which could not import this tree's `reuse`
    if found and Path(found).resolve().parent == Path(sys.executable).resolve().parent:
        return [found, role]
    return [sys.executable, "-m", f"distributed.cli.dask_{role}"]


@dataclass
class DaskProcesses:
    """A running scheduler and its workers: `address` to connect to, `kill_worker(i)` to SIGKILL one."""

    address: str
    workdir: Path
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)

    def worker_name(self, index: int) -> str:
        return f"worker-{index}"

    def worker_address(self, index: int, client: Any) -> str:
        """The address the scheduler knows the index-th worker by (its --name tells them apart)."""
        for address, info in client.scheduler_info()["workers"].items():
            if info.get("name") == self.worker_name(index):
                return str(address)
        raise LookupError(f"{self.worker_name(index)} is not connected to the scheduler")

    def kill_worker(self, index: int) -> None:
        """SIGKILL the index-th worker process (no nanny: nothing restarts it, the scheduler reruns its tasks)."""
        process = self.workers[index]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def log(self) -> str:
        """What the scheduler and workers wrote, for a failing test's message."""
        parts = []
        for path in sorted(self.workdir.glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(encoding='utf-8', errors='replace')[-4000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        """Workers first, then the scheduler: each group terminated, given a moment, then killed; all reaped.

        In that order because a worker whose scheduler vanishes while it closes can hang in its shutdown.
        """
        for group in (self.workers, [self.scheduler]):
            for process in group:
                if process.poll() is None:
                    _signal_group(process, signal.SIGTERM)
            deadline = time.monotonic() + 3
            for process in group:
                try:
                    process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
                _signal_group(process, signal.SIGKILL)  # the group too: nothing it started may outlive the test
                process.wait(10)
        for handle in self.logs:
            handle.close()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def _start(command: list[str], log: Path, handles: list[IO[bytes]]) -> subprocess.Popen[bytes]:
    handle = open(log, "wb")  # noqa: SIM115 - closed in DaskProcesses.stop, after the process ends
    handles.append(handle)
    # PYTHONPATH: workers unpickle functions of this tree's `reuse`, wherever it is installed from
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("REUSE_CLUSTER", None)
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, to be stopped with whatever it starts
    )


@contextmanager
def dask_processes(workdir: Path, workers: int = 2, timeout: float = STARTUP_TIMEOUT) -> Iterator[DaskProcesses]:
    """A `dask scheduler` and `workers` single-threaded `dask worker` processes without nannies, ready to use."""
    require_distributed()
    from distributed import Client

    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    handles: list[IO[bytes]] = []
    scheduler = _start(
        [*dask_command("scheduler"), "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        workdir / "scheduler.log",
        handles,
    )
    cluster = DaskProcesses(address=address, workdir=workdir, scheduler=scheduler, logs=handles)
    try:
        for index in range(workers):
            local = workdir / f"worker-{index}"
            local.mkdir(exist_ok=True)
            # --no-nanny: a nanny would restart a killed worker; the test wants it gone, its tasks rerun elsewhere.
            # --death-timeout: should the scheduler die first, the worker ends by itself rather than wait forever.
            command = [*dask_command("worker"), address, "--name", cluster.worker_name(index), "--nworkers", "1",
                       "--nthreads", "1", "--no-nanny", "--no-dashboard", "--memory-limit", "1GB",
                       "--local-directory", str(local), "--death-timeout", "60"]  # fmt: skip
            cluster.workers.append(_start(command, workdir / f"worker-{index}.log", handles))
        deadline = time.monotonic() + timeout
        client = None
        while client is None:
            try:
                client = Client(address, timeout=2, set_as_default=False)
            except OSError:
                if time.monotonic() > deadline or scheduler.poll() is not None:
                    pytest.fail(f"dask scheduler did not answer at {address}:\n{cluster.log()}")
                time.sleep(0.2)
        try:
            client.wait_for_workers(workers, timeout=max(1.0, deadline - time.monotonic()))
        except TimeoutError:
            pytest.fail(f"{workers} dask workers did not connect within {timeout:.0f} s:\n{cluster.log()}")
        finally:
            client.close()
        yield cluster
    finally:
        cluster.stop()
