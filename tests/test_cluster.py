"""Corpus commands on a real Dask cluster give the same bytes as in-process, and the same errors.

A LocalCluster of two worker processes is started once for the module; commands reach it by its
scheduler's address, as they would reach any cluster. `--cluster local:2` (a cluster the command starts
itself) is run once too. Separate `dask scheduler` and `dask worker` processes, and a worker killed
mid-scan, are in test_cluster_processes.py.
"""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reuse.commands.cluster_tasks import release
from reuse.commands.on_cluster import scan_on_cluster
from reuse.commands.scan import scan
from reuse.load.corpus import InputOptions, listed, load_corpus
from reuse.reports.scan import render
from reuse.settings import Settings

from .conftest import ROOT, SEEDS, near_duplicate_bench

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
SHARED = ROOT.parent / "shared" / "corpora"


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synthetic.py"), str(out), "--docs", "300"],
        check=True,
        capture_output=True,
    )
    return out / "docs"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, synthetic: Path) -> Path:
    """Seeds, synthetic readouts, JSONL rows, an HTML page and a GB18030 file with a byte order mark-free body."""
    out = tmp_path_factory.mktemp("mixed")
    for seed in sorted(SEEDS.glob("*.txt")):
        (out / seed.name).write_bytes(seed.read_bytes())
    texts = sorted(synthetic.rglob("*.txt"))[:120]
    for path in texts[:80]:
        target = out / "synthetic" / path.relative_to(synthetic)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    # Near-duplicate copies (re-scrapes with lines shuffled, lightly edited ones): decisions weigh distinct
    # documents, and edited lines report their similarity, alike on the cluster.
    near_duplicate_bench().make_copies(str(out / "synthetic"), 12, 5)
    rows = [
        json.dumps({"id": f"row-{i}", "text": p.read_text(encoding="utf-8")}, ensure_ascii=False)
        for i, p in enumerate(texts[80:])
    ]
    (out / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    page = SEEDS.glob("*.txt").__next__().read_text(encoding="utf-8")
    (out / "page.html").write_text(
        f"<html><body><p>{page[:400]}</p><p>{page[400:900]}</p></body></html>", encoding="utf-8"
    )
    (out / "gb.txt").write_bytes(page[:300].encode("gb18030"))
    return out


def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from reuse.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    assert files_a
    for name in files_a:
        assert filecmp.cmp(a / name, b / name, shallow=False), name


@pytest.mark.parametrize("command", ["scan", "audit"])
def test_json_reports_are_the_same_bytes_on_the_cluster(
    address: str, mixed: Path, tmp_path: Path, command: str
) -> None:
    here, there = tmp_path / "here.json", tmp_path / "there.json"
    assert _cli(command, str(mixed), "--format", "json", "-o", str(here))[0] == 0
    code, output = _cli(command, str(mixed), "--format", "json", "-o", str(there), "--cluster", address)
    assert code == 0, output
    assert here.read_bytes() == there.read_bytes()
    report = json.loads(here.read_text(encoding="utf-8"))
    assert report["summary"]["documents"] == 5 + 80 + 12 + 40 + 2


def test_clean_writes_the_same_files_and_manifest_on_the_cluster(address: str, mixed: Path, tmp_path: Path) -> None:
    assert _cli("clean", str(mixed), "--out", str(tmp_path / "here"), "--remove-formulae")[0] == 0
    code, output = _cli(
        "clean", str(mixed), "--out", str(tmp_path / "there"), "--remove-formulae", "--cluster", address
    )
    assert code == 0, output
    _same_tree(tmp_path / "here", tmp_path / "there")
    assert (tmp_path / "there" / "reuse-manifest.jsonl").stat().st_size > 0


def test_a_cluster_the_command_starts_itself(synthetic: Path, tmp_path: Path) -> None:
    here, there = tmp_path / "here.json", tmp_path / "there.json"
    assert _cli("scan", str(synthetic), "--format", "json", "-o", str(here))[0] == 0
    code, output = _cli("scan", str(synthetic), "--format", "json", "-o", str(there), "--cluster", "local:2", "-v")
    assert code == 0, output
    assert "Dask dashboard: http://" in output
    assert here.read_bytes() == there.read_bytes()


def test_neither_chunks_nor_partitions_change_the_answer(address: str, mixed: Path) -> None:
    settings = Settings()
    expected = render(scan(load_corpus([str(mixed)]), settings, jobs=1), "json", 30)
    with distributed.Client(address, set_as_default=False) as client:
        for chunk_size, parts in ((1, 1), (7, 3), (1000, 5)):
            found = scan_on_cluster(client, [str(mixed)], InputOptions(), settings, chunk_size=chunk_size, parts=parts)
            release(client, found.token)
            assert render(found.result, "json", 30) == expected, (chunk_size, parts)


def test_the_development_corpora_are_the_same_on_the_cluster(address: str, tmp_path: Path) -> None:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is absent: CI must have it")
        pytest.skip(f"development corpora absent at {SHARED} (a fresh clone has no ../shared)")
    evidence: dict[str, set[str]] = {}
    for name in ("xinwenlianbo", "mfa/html", "mfa/text"):
        here, there = tmp_path / "here.json", tmp_path / "there.json"
        assert _cli("audit", str(SHARED / name), "--format", "json", "-o", str(here))[0] == 0
        assert _cli("audit", str(SHARED / name), "--format", "json", "-o", str(there), "--cluster", address)[0] == 0
        assert here.read_bytes() == there.read_bytes(), name
        assert _cli("scan", str(SHARED / name), "--format", "json", "-o", str(here))[0] == 0
        assert _cli("scan", str(SHARED / name), "--format", "json", "-o", str(there), "--cluster", address)[0] == 0
        assert here.read_bytes() == there.read_bytes(), name
        families = json.loads(here.read_text(encoding="utf-8"))["families"]
        evidence[name] = {e["kind"] for f in families for e in f["members"][0]["evidence"]}
    # Every kind of evidence went through both paths: structure (HTML), context (the naive scrape).
    assert {"structure", "repetition"} <= evidence["mfa/html"] and "context" in evidence["mfa/text"]


def test_bad_input_on_a_worker_is_the_same_one_line_error(address: str, mixed: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(mixed.glob("*.txt")):
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "zz-binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "aa-binary.txt").write_bytes(b"\x00\xff" * 500)
    here = _cli("scan", str(corpus))
    there = _cli("scan", str(corpus), "--cluster", address)
    assert here[0] == there[0] == 1
    assert there[1] == here[1]
    assert there[1].startswith("Error: ") and there[1].count("\n") == 1 and "aa-binary.txt" in there[1]
    # With --skip-bad, both files are listed, in reading order, in the same report.
    here_json, there_json = tmp_path / "here.json", tmp_path / "there.json"
    assert _cli("scan", str(corpus), "--skip-bad", "--format", "json", "-o", str(here_json))[0] == 0
    assert (
        _cli("scan", str(corpus), "--skip-bad", "--format", "json", "-o", str(there_json), "--cluster", address)[0] == 0
    )
    assert here_json.read_bytes() == there_json.read_bytes()
    assert json.loads(there_json.read_text(encoding="utf-8"))["summary"]["skipped"] == 2


def test_an_id_used_twice_is_refused_alike(address: str, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "one"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "two"}\n', encoding="utf-8")
    here = _cli("scan", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"))
    there = _cli("scan", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "--cluster", address)
    assert here[0] == there[0] == 1
    assert here[1] == there[1]
    assert "already used by" in there[1]


def test_standard_input_is_refused_on_a_cluster(address: str) -> None:
    code, output = _cli("scan", "-", "--cluster", address)
    assert code == 1
    assert output == "Error: -: standard input cannot be read by a cluster's workers; write it to a file first\n"


def test_without_dask_the_error_says_how_to_install_it(tmp_path: Path) -> None:
    # A fresh interpreter in which `distributed` cannot be imported, as without the extra.
    code = "import sys; sys.modules['distributed'] = None; from reuse.cli import main; sys.argv[0] = 'reuse'; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "scan", str(SEEDS), "--cluster", "local:1"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == 'Error: --cluster needs Dask, which is not installed: pip install "readout-reuse[dask]"\n'


@pytest.mark.parametrize("command", ["build", "add"])
def test_an_index_built_on_the_cluster_holds_the_same_rows(
    address: str, mixed: Path, tmp_path: Path, command: str
) -> None:
    import sqlite3

    here, there = tmp_path / "here.db", tmp_path / "there.db"
    if command == "add":  # add to an index that holds some seeds already: the same replacements both ways
        for index in (here, there):
            assert _cli("index", "build", str(SEEDS), "--index", str(index))[0] == 0
    verb = ["index", command, str(mixed)]
    assert _cli(*verb, "--index", str(here))[0] == 0
    code, output = _cli(*verb, "--index", str(there), "--cluster", address)
    assert code == 0, output
    assert output.startswith("139 documents (")
    dumps = ["\n".join(sqlite3.connect(index).iterdump()) for index in (here, there)]
    assert dumps[0] == dumps[1]
    assert "INSERT INTO" in dumps[0]


def test_a_redis_index_built_on_the_cluster_answers_alike(address: str, mixed: Path, redis_url: str) -> None:
    here, there = f"{redis_url}?prefix=cluster-here", f"{redis_url}?prefix=cluster-there"
    assert _cli("index", "build", str(mixed), "--index", here, "--force")[0] == 0
    code, output = _cli("index", "build", str(mixed), "--index", there, "--force", "--cluster", address)
    assert code == 0, output
    seed = str(min(SEEDS.glob("*.txt")))
    answers = [_cli("index", "query", seed, "--index", spec, "--format", "json")[1] for spec in (here, there)]
    assert answers[0].replace("cluster-here", "cluster-there") == answers[1]
    assert '"status": "reused"' in answers[0]


def _chunks_on_workers(client: distributed.Client, run: str = "") -> dict[str, tuple[int, list[str]]]:
    """Per worker, the chunks its store holds in memory and the chunk files in its local directory, of one
    run (by its token) or of any."""

    def look(dask_worker: distributed.Worker) -> tuple[int, list[str]]:
        from reuse.commands import chunk_store

        base = Path(dask_worker.local_directory)
        held = sum(1 for token, _ in chunk_store._STORE.held if token.startswith(run))
        return held, sorted(str(p.relative_to(base)) for p in base.glob(f"reuse-chunks-{run}*/*"))

    return {worker: (held, list(names)) for worker, (held, names) in client.run(look).items()}


def test_chunks_kept_on_disk_give_the_same_answer_and_are_removed(address: str, mixed: Path) -> None:
    settings = Settings()
    expected = render(scan(load_corpus([str(mixed)]), settings, jobs=1), "json", 30)
    with distributed.Client(address, set_as_default=False) as client:
        for memory, on_disk in ((0, "all"), (3_000_000, "some"), (10**9, "none")):
            found = scan_on_cluster(client, [str(mixed)], InputOptions(), settings, chunk_size=9, chunk_memory=memory)
            kept = _chunks_on_workers(client, found.token)
            files = sum(len(names) for _, names in kept.values())
            held = sum(count for count, _ in kept.values())
            assert files + held == len(found.chunks), memory
            assert {"all": held == 0, "some": held > 0 < files, "none": files == 0}[on_disk], (memory, kept)
            assert render(found.result, "json", 30) == expected, memory
            release(client, found.token)
            left = _chunks_on_workers(client, found.token)
            assert all(kept == (0, []) for kept in left.values()), left


def test_a_chunk_a_worker_does_not_hold_is_analysed_again(address: str, mixed: Path) -> None:
    from reuse.commands import chunk_store, chunks
    from reuse.commands.cluster_tasks import on_chunk_task

    with distributed.Client(address, set_as_default=False) as client:
        found = scan_on_cluster(client, [str(mixed)], InputOptions(), Settings(), chunk_size=40, chunk_memory=0)
        try:
            before = client.gather(
                [client.submit(on_chunk_task, f, chunks.chunk_ids, pure=False) for f in found.chunks]
            )
            assert all(ids for ids, _, _ in before)
            client.run(chunk_store.drop, found.token)  # as if every chunk's task ran where it never was
            assert all(kept == (0, []) for kept in _chunks_on_workers(client, found.token).values())
            workers = sorted(client.scheduler_info()["workers"])
            for worker in workers:
                again = [
                    client.submit(on_chunk_task, f, chunks.chunk_ids, pure=False, workers=[worker])
                    for f in found.chunks
                ]
                assert client.gather(again) == before, worker
            kept = _chunks_on_workers(client, found.token)
            assert all(len(kept[w][1]) == len(found.chunks) for w in workers), kept  # analysed again and kept
        finally:
            release(client, found.token)


def test_the_command_leaves_no_chunks_on_the_workers(address: str, mixed: Path, tmp_path: Path) -> None:
    for args in (["scan", "--format", "json"], ["audit", "--format", "json"], ["clean", "--out", str(tmp_path / "o")]):
        code, output = _cli(
            *args, str(mixed), "--cluster", address, *(["-o", str(tmp_path / "r")] if "--format" in args else [])
        )
        assert code == 0, output
        with distributed.Client(address, set_as_default=False) as client:
            assert all(kept == (0, []) for kept in _chunks_on_workers(client).values()), args


def test_a_chunk_file_removed_under_the_store_is_analysed_again(mixed: Path) -> None:
    from reuse.commands import chunk_store
    from reuse.commands.chunk_store import ChunkRef

    sources = [(i, s) for i, s in enumerate(listed([str(mixed)], InputOptions()))][:5]
    ref = ChunkRef("test-removed", 0, sources, InputOptions(), Settings(), False, 2, memory=0)
    first = chunk_store.keep(ref)[0]
    try:
        path = chunk_store._STORE.on_disk[("test-removed", 0)]
        expected = chunk_store.analysed(ref)
        assert len(chunk_store.held(first).ids) == 5 and chunk_store.held(first).ids == expected.ids
        os.remove(path)
        again = chunk_store.held(first)
        assert [doc.text for doc in again.prepared] == [doc.text for doc in expected.prepared]
        assert os.path.exists(path)  # kept again, on disk (the budget is 0)
    finally:
        chunk_store.drop("test-removed")
    assert not os.path.exists(path)


def test_a_chunk_that_cannot_be_written_is_kept_in_memory(mixed: Path, tmp_path: Path) -> None:
    from reuse.commands import chunk_store
    from reuse.commands.chunk_store import ChunkRef

    sources = [(i, s) for i, s in enumerate(listed([str(mixed)], InputOptions()))][:3]
    ref = ChunkRef("test-unwritable", 0, sources, InputOptions(), Settings(), False, 2, memory=0)
    chunk_store._STORE.directories["test-unwritable"] = str(tmp_path / "gone")  # never made: every write fails
    try:
        kept = chunk_store.keep(ref)[0]
        assert ("test-unwritable", 0) in chunk_store._STORE.held
        assert ("test-unwritable", 0) not in chunk_store._STORE.on_disk
        assert not list(tmp_path.iterdir())
        assert chunk_store.held(kept).ids == chunk_store.analysed(ref).ids
    finally:
        chunk_store.drop("test-unwritable")
    assert ("test-unwritable", 0) not in chunk_store._STORE.held
