"""`--cluster tcp://...` against a real `dask scheduler` and `dask worker` processes: the same bytes as in-process.

Also when a worker is SIGKILLed in the middle of a scan (Dask reruns its tasks on the other), and a clear
one-line error, quickly, when no scheduler listens at the address.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SEED_FILES, SEEDS
from .dask_processes import DaskProcesses, dask_processes, require_distributed

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="stops process groups (POSIX)")

COMMAND_TIMEOUT = 120  # a hung cluster run fails the test instead of the whole suite
SYNTHETIC = 200  # readouts beside the seeds: enough for every kind of family, and a scan of a few seconds


def synthetic_corpus(folder: Path, documents: int) -> Path:
    """The seeds and `documents` synthetic readouts (scripts/synthetic.py, seeded: the same every run)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from synthetic import generate
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    generated = folder.parent / f"{folder.name}-generated"
    generate(str(generated), documents, seed=7)
    folder.mkdir(parents=True)
    shutil.copytree(SEEDS, folder / "seeds")
    # only the documents: truth.jsonl beside them would be read as a JSONL corpus
    shutil.move(str(generated / "docs"), str(folder / "synthetic"))
    shutil.rmtree(generated)
    return folder


def reuse(*args: str, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """`python -m reuse ...` as a separate client process, as a user runs it against a cluster."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("REUSE_CLUSTER", "REUSE_DEBUG"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "reuse", *args],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def in_process(*args: str) -> None:
    """The default path, for the reference bytes."""
    result = reuse(*args)
    assert result.returncode == 0, result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def executed(client: Any) -> int:
    """Tasks the connected workers have run: proof that a command used the cluster, not the in-process path."""
    counts = client.run(lambda dask_worker: dask_worker.state.executed_count)
    return sum(int(count) for count in counts.values())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("cluster") / "corpus", SYNTHETIC)


@pytest.fixture(scope="module")
def scanned(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The in-process scan's JSON: the bytes every cluster scan must give."""
    output = tmp_path_factory.mktemp("scanned") / "in-process.json"
    in_process("scan", str(corpus), "--format", "json", "-o", str(output))
    assert len(output.read_bytes()) > 1000
    return output.read_bytes()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskProcesses]:
    with dask_processes(tmp_path_factory.mktemp("dask"), workers=2) as running:
        yield running


@pytest.fixture
def client(cluster: DaskProcesses) -> Iterator[Any]:
    from distributed import Client

    with Client(cluster.address, timeout=10, set_as_default=False) as connected:
        yield connected


def assert_ran_on_cluster(
    result: subprocess.CompletedProcess[str], cluster: DaskProcesses, before: int, client: Any
) -> None:
    assert result.returncode == 0, f"{result.stderr}\n{cluster.log()}"
    assert "Traceback" not in result.stderr, result.stderr
    assert executed(client) > before, "the workers ran no task: --cluster did not use the cluster"


def test_scan_is_byte_identical_on_separate_processes(
    corpus: Path, scanned: bytes, cluster: DaskProcesses, client: Any, tmp_path: Path
) -> None:
    before = executed(client)
    result = reuse(
        "scan", str(corpus), "--format", "json", "-o", str(tmp_path / "a.json"), "--cluster", cluster.address
    )
    assert_ran_on_cluster(result, cluster, before, client)
    assert (tmp_path / "a.json").read_bytes() == scanned


def test_audit_is_byte_identical_on_separate_processes(
    corpus: Path, cluster: DaskProcesses, client: Any, tmp_path: Path
) -> None:
    local, remote = tmp_path / "in-process.json", tmp_path / "cluster.json"
    in_process("audit", str(corpus), "--format", "json", "-o", str(local))
    before = executed(client)
    result = reuse("audit", str(corpus), "--format", "json", "-o", str(remote), "--cluster", cluster.address)
    assert_ran_on_cluster(result, cluster, before, client)
    assert len(local.read_bytes()) > 1000
    assert remote.read_bytes() == local.read_bytes()


def test_clean_writes_the_same_files_and_manifest_on_separate_processes(
    corpus: Path, cluster: DaskProcesses, client: Any, tmp_path: Path
) -> None:
    local, remote = tmp_path / "d1", tmp_path / "d2"
    in_process("clean", str(corpus), "--out", str(local))
    before = executed(client)
    result = reuse("clean", str(corpus), "--out", str(remote), "--cluster", cluster.address)
    assert_ran_on_cluster(result, cluster, before, client)
    expected = tree(local)
    assert "reuse-manifest.jsonl" in expected and len(expected) == len(SEED_FILES) + SYNTHETIC + 1
    written = tree(remote)
    assert sorted(written) == sorted(expected)
    assert [name for name in expected if written[name] != expected[name]] == []


def _busy_worker(cluster: DaskProcesses, client: Any, scan: subprocess.Popen[str], timeout: float = 30) -> int:
    """The index of a worker caught running tasks of the scan, once it also holds results (lost when it dies)."""
    deadline = time.monotonic() + timeout
    busy: int | None = None
    caught = 0.0
    addresses = [cluster.worker_address(index, client) for index in range(len(cluster.workers))]
    while time.monotonic() < deadline and scan.poll() is None:
        processing = client.processing()
        held = client.has_what()
        for index, address in enumerate(addresses):
            if processing.get(address):
                if busy is None:
                    busy, caught = index, time.monotonic()
                # holding results too: its death loses finished work as well as running work; a second at most
                if index == busy and (held.get(address) or time.monotonic() - caught > 1):
                    return index
        time.sleep(0.02)
    pytest.fail(f"no worker seen busy before the scan ended (exit {scan.poll()}): make the corpus larger")


def test_scan_survives_a_worker_killed_in_the_middle(corpus: Path, scanned: bytes, tmp_path: Path) -> None:
    require_distributed()
    from distributed import Client

    remote = tmp_path / "cluster.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("REUSE_CLUSTER", None)
    with dask_processes(tmp_path / "dask", workers=2) as cluster:
        scan = subprocess.Popen(
            [sys.executable, "-m", "reuse", "scan", str(corpus), "--format", "json", "-o", str(remote),
             "--cluster", cluster.address],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            with Client(cluster.address, timeout=10, set_as_default=False) as client:
                victim = _busy_worker(cluster, client, scan)
                cluster.kill_worker(victim)
                assert scan.poll() is None, "the scan ended before the worker was killed: make the corpus larger"
                _, stderr = scan.communicate(timeout=COMMAND_TIMEOUT)
                survivors = [info.get("name") for info in client.scheduler_info()["workers"].values()]
        finally:
            if scan.poll() is None:
                os.killpg(scan.pid, signal.SIGKILL)
                scan.communicate()
        assert scan.returncode == 0, f"{stderr}\n{cluster.log()}"
        assert "Traceback" not in stderr, stderr
        assert survivors == [cluster.worker_name(1 - victim)]  # no nanny brought the killed one back
    assert remote.read_bytes() == scanned


def test_unreachable_scheduler_is_a_one_line_error_quickly() -> None:
    require_distributed()
    address = "tcp://127.0.0.1:1"  # nothing listens on port 1 of loopback
    started = time.monotonic()
    result = reuse("scan", str(SEEDS), "--format", "json", "--cluster", address, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and address in lines[0], result.stderr
    assert result.stdout == ""
    assert elapsed <= 15, f"{elapsed:.1f} s to give up on {address}"
