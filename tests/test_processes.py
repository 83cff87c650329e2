"""Worker processes end with their parent, however it ends: kill -9, SIGTERM, Ctrl-C (real processes, Linux /proc)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reuse.index import PARALLEL_FROM
from reuse.runtime.parallel import parallel_map, shared

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds processes through /proc (Linux)")

DOCUMENTS = max(3 * PARALLEL_FROM, 200)  # enough for `index build` to start workers and keep them busy a while


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synthetic.py"), str(out), "--docs", str(DOCUMENTS)],
        check=True,
        capture_output=True,
    )
    return out / "docs"


@pytest.fixture(scope="module")
def long_documents(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents of the whole corpus each: a worker spends seconds on them, long after a short wait."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*.txt"))]
    out = tmp_path_factory.mktemp("long")
    for number in range(3):
        (out / f"{number}.txt").write_text(f"第{number}號\n" + "\n".join(texts), encoding="utf-8")
    return out


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state is [0], ppid [1], start time [19]), None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return raw[raw.rindex(b")") + 2 :].decode().split()


def children(parent: int) -> dict[int, str]:
    """The processes whose parent is `parent`, with their start times (to tell a reused pid apart)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == parent:
                found[int(entry)] = fields[19]
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    """Those of the processes still running (a zombie waiting for init to reap it has ended)."""
    alive = []
    for pid, started in processes.items():
        fields = _stat(pid)
        if fields is not None and fields[19] == started and fields[0] != "Z":
            alive.append(pid)
    return alive


def _start(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REUSE_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "reuse", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell gives a command: Ctrl-C goes to all of it
    )


def _workers(process: subprocess.Popen[bytes], count: int = 2, timeout: float = 60) -> dict[int, str]:
    """Wait until the process has `count` child processes (its workers) and return them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children(process.pid)
        if len(found) >= count:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.01)
    pytest.fail(f"no {count} workers seen (exit code {process.poll()}); make the corpus larger")


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; killed with their group whatever the test's outcome."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)
        if process.stderr:
            process.stderr.close()


def _gone_soon(workers: dict[int, str], timeout: float = 1) -> list[int]:
    """Workers still running after a short wait: the kernel ends them at once, a busy one would go on for seconds."""
    deadline = time.monotonic() + timeout
    while still_running(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return still_running(workers)


def _kill_workers_left(workers: dict[int, str]) -> None:
    for pid in still_running(workers):  # so that a failing test leaves nothing behind either
        os.kill(pid, signal.SIGKILL)


def _how_a_worker_is_set_up(item: int) -> tuple[int, int, object, object, int]:
    import ctypes

    death = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(2, ctypes.byref(death), 0, 0, 0)  # PR_GET_PDEATHSIG
    return item + shared(), death.value, signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), os.getpid()


@pytest.mark.parametrize("window", [None, 2])
def test_workers_die_with_their_parent_and_leave_interruptions_to_it(window: int | None) -> None:
    signal.signal(signal.SIGTERM, lambda signum, frame: None)  # as the CLI's handler: workers must not keep it
    try:
        results = list(parallel_map(_how_a_worker_is_set_up, range(40), 2, state=100, chunksize=3, window=window))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert [r[0] for r in results] == list(range(100, 140))  # in input order, with the state handed over
    assert {r[1:4] for r in results} == {(signal.SIGKILL, signal.SIG_IGN, signal.SIG_DFL)}
    workers = {r[4] for r in results}
    assert workers and os.getpid() not in workers
    assert [pid for pid in workers if _stat(pid) is not None] == []  # stopped and reaped once the results are in


@pytest.mark.parametrize("command", ["index build", "scan"])
def test_kill_9_of_the_parent_ends_its_workers(
    command: str, corpus: Path, long_documents: Path, tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    if command == "index build":
        args = ["index", "build", str(corpus), "--jobs", "2", "--index", str(tmp_path / "idx.sqlite")]
    else:
        args = ["scan", str(long_documents), "--jobs", "2"]
    parent = _start(*args)
    started.append(parent)
    workers = _workers(parent)
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    left = _gone_soon(workers)
    _kill_workers_left(workers)
    assert left == [], f"workers {left} outlived their parent"


def test_sigterm_to_scan_ends_its_workers(long_documents: Path, started: list[subprocess.Popen[bytes]]) -> None:
    parent = _start("scan", str(long_documents), "--jobs", "2")
    started.append(parent)
    workers = _workers(parent)
    parent.send_signal(signal.SIGTERM)
    parent.wait(30)
    left = _gone_soon(workers)
    _kill_workers_left(workers)
    assert left == [], f"workers {left} outlived their parent"
    assert parent.stderr is not None
    stderr = parent.stderr.read().decode()
    assert "Traceback" not in stderr
    assert (parent.returncode, stderr) == (130, "Error: interrupted\n")


def test_ctrl_c_prints_one_line_and_no_worker_traceback(corpus: Path, started: list[subprocess.Popen[bytes]]) -> None:
    parent = _start("scan", str(corpus), "--jobs", "2")
    started.append(parent)
    workers = _workers(parent)
    time.sleep(0.2)  # the workers are at work, not starting
    os.killpg(parent.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    parent.wait(30)
    left = _gone_soon(workers)
    _kill_workers_left(workers)
    assert parent.stderr is not None
    stderr = parent.stderr.read().decode()
    assert "Traceback" not in stderr, stderr
    assert left == []
    assert (parent.returncode, stderr) == (130, "Error: interrupted\n")
