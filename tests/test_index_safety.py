"""The index survives what happens to real processes: kill -9 mid-write, readers during a writer."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from reuse.errors import IndexStoreError
from reuse.index import PARALLEL_FROM, open_index
from reuse.index.query import query
from reuse.load.corpus import load_corpus
from reuse.load.document import load_document
from reuse.settings import Settings
from reuse.sketch.prepared import prepare

from .conftest import ROOT
from .test_processes import children, still_running

DOCUMENTS = PARALLEL_FROM
"""The fewest with which --jobs 2 starts its workers (the kill must take them along too)."""
BATCH = 300
"""Passages per write transaction (REUSE_INDEX_BATCH): about 5 readouts, so the corpus takes a dozen or more
transactions, and a kill as soon as the first is committed lands mid-write while the test stays short."""


def _corpus(tmp_path: Path) -> Path:
    """DOCUMENTS readouts (seeds with a line of their own) in one JSONL file: many write batches."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    path = tmp_path / "docs.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(DOCUMENTS):
            text = seeds[i % len(seeds)].read_text(encoding="utf-8") + f"\n第{i}號文件的獨有結語，只此一份。\n"
            out.write(json.dumps({"id": f"doc-{i:04d}", "text": text}, ensure_ascii=False) + "\n")
    return path


_started: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_process_left() -> Iterator[None]:
    """Whatever a test's outcome, the processes it started end with it (with their workers: their process group)."""
    yield
    while _started:
        process = _started.pop()
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate(timeout=30)


def _reuse(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REUSE_INDEX_BATCH": str(BATCH)}
    process = subprocess.Popen(
        [sys.executable, "-m", "reuse", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _started.append(process)
    return process


def _stored_documents(spec: str) -> int:
    try:
        store = open_index(spec)
    except IndexStoreError:  # not created yet: the build has not committed its first transaction
        return 0
    try:
        return store.stats().documents
    finally:
        store.close()


SEED4 = str(ROOT / "seeds" / "004_1be1cfc6bdf062d7.txt")


def _check_consistent(spec: str, corpus: Path) -> int:
    store = open_index(spec)
    try:
        stats = store.stats(check=True)
        assert stats.problems == []
        documents = [*load_corpus([str(corpus)]).documents, load_document(SEED4)]
        expected = {d.id: len(prepare(d, Settings())) for d in documents}
        total = 0
        for doc_id, passages in expected.items():
            stored = store.document(doc_id)
            if stored is not None:  # every document is complete or absent
                assert stored.passages == passages, doc_id
                total += passages
        assert stats.passages == total
        result = query(store, load_document(str(ROOT / "seeds" / "000_72809ab1e56e2c9e.txt")))
        assert result.counts()["reused"] > 0
        return stats.documents
    finally:
        store.close()


@pytest.fixture(params=["sqlite", "redis"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return f"{request.getfixturevalue('redis_url')}?prefix=k{uuid.uuid4().hex[:8]}"
    return str(tmp_path / "idx.sqlite")


@pytest.mark.parametrize("command", ["build", "add"])
def test_kill_9_mid_write_leaves_a_consistent_usable_index(spec: str, tmp_path: Path, command: str) -> None:
    corpus = _corpus(tmp_path)
    if command == "add":
        seed = _reuse("index", "build", SEED4, "--index", spec)
        assert seed.wait(60) == 0
    writer = _reuse("index", command, str(corpus), "--index", spec, "--jobs", "2")
    floor = 1 if command == "add" else 0
    deadline = time.monotonic() + 120
    while _stored_documents(spec) <= floor and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = children(writer.pid)
    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    assert writer.returncode == -signal.SIGKILL, "the write finished before it could be interrupted"
    assert len(workers) == 2
    deadline = time.monotonic() + 1
    while still_running(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert still_running(workers) == [], "workers outlived the writer"
    documents = _check_consistent(spec, corpus)
    assert floor < documents < DOCUMENTS + floor  # interrupted mid-way, with whole batches committed
    # The index goes on: adding everything again completes it, replacing what was there.
    again = _reuse("index", "add", str(corpus), "--index", spec)
    assert again.wait(300) == 0, again.stderr.read() if again.stderr else ""
    assert _check_consistent(spec, corpus) == DOCUMENTS + floor


def test_readers_see_whole_documents_while_a_writer_adds(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    path = str(tmp_path / "idx.sqlite")
    assert _reuse("index", "build", SEED4, "--index", path).wait(60) == 0
    target = load_document(str(ROOT / "seeds" / "000_72809ab1e56e2c9e.txt"))
    writer = _reuse("index", "add", str(corpus), "--index", path)
    seen: list[int] = []
    while writer.poll() is None:
        store = open_index(path)
        try:
            assert query(store, target).counts()["reused"] > 0
            seen.append(store.stats().documents)
        finally:
            store.close()
        db = sqlite3.connect(path, isolation_level=None)
        # One read transaction (one snapshot), begun explicitly: sqlite3 opens none for a SELECT, and two
        # statements on their own may see two commits apart. Within it, documents account for the passages.
        db.execute("BEGIN")
        (listed,) = db.execute("SELECT COALESCE(SUM(passages), 0) FROM documents").fetchone()
        (rows,) = db.execute("SELECT COUNT(*) FROM passages").fetchone()
        db.execute("COMMIT")
        db.close()
        assert listed == rows
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] > 1  # reads really overlapped the writes
    assert _check_consistent(path, corpus) == DOCUMENTS + 1
