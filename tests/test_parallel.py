"""--jobs changes the speed, never the output: byte-identical reports with one process and with two."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import cli
from reuse.index import PARALLEL_FROM
from reuse.runtime.parallel import parallel_map, shared

from .conftest import CORPUS, ROOT


def _square_plus_state(x: int) -> int:
    return x * x + shared()


def test_parallel_map_keeps_input_order_and_hands_over_state() -> None:
    items = list(range(200))
    expected = [x * x + 7 for x in items]
    assert list(parallel_map(_square_plus_state, items, 1, state=7)) == expected
    assert list(parallel_map(_square_plus_state, items, 2, state=7, chunksize=3)) == expected


def _inputs() -> list[str]:
    inputs = [str(ROOT / "seeds")]
    if CORPUS.is_dir():
        inputs.append(str(CORPUS))
    elif os.environ.get("CI"):
        pytest.fail(f"{CORPUS} is missing in CI")
    return inputs


@pytest.mark.parametrize("command", [["scan", "--format", "json"], ["audit", "--format", "json"]])
def test_reports_are_identical_with_one_and_two_processes(command: list[str]) -> None:
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        result = runner.invoke(cli, [*command, "--jobs", jobs, *_inputs()])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout_bytes)
    assert outputs[0] == outputs[1]
    assert b'"families": [' in outputs[0] or b'"documents": [' in outputs[0]


def test_clean_writes_the_same_files_with_one_and_two_processes(tmp_path: Path) -> None:
    runner = CliRunner()
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = runner.invoke(cli, ["clean", "--jobs", jobs, "--out", str(out), *_inputs()])
        assert result.exit_code == 0, result.output
        trees.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert len(trees[0]) > 5 and trees[0]["reuse-manifest.jsonl"]


def test_timings_go_to_standard_error_and_leave_the_report_alone() -> None:
    runner = CliRunner()
    plain = runner.invoke(cli, ["scan", "--format", "json", "--jobs", "1", str(ROOT / "seeds")])
    timed = runner.invoke(cli, ["scan", "--format", "json", "--jobs", "1", "--timings", str(ROOT / "seeds")])
    assert plain.exit_code == timed.exit_code == 0
    assert timed.stdout_bytes == plain.stdout_bytes
    stages = [line.split("  ")[0] for line in timed.stderr.splitlines()]
    assert stages[0] == "stage" and stages[-1] == "total"
    assert "families of spans" in stages and "report" in stages


def _many_documents(path: Path, count: int = 80) -> Path:
    """A JSONL corpus big enough for index build to use worker processes: seed lines recombined."""
    lines = [
        line.strip()
        for name in sorted(os.listdir(ROOT / "seeds"))
        for line in (ROOT / "seeds" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            text = "\n".join(lines[(n * 7 + k * 13) % len(lines)] for k in range(12))
            handle.write(json.dumps({"id": f"doc{n:03d}", "text": text}, ensure_ascii=False) + "\n")
    return path


def _tables(index: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(index) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("documents", "passages", "bands", "keys")
        }


def test_index_build_writes_the_same_index_with_one_and_two_processes(tmp_path: Path) -> None:
    corpus = _many_documents(tmp_path / "many.jsonl")
    assert PARALLEL_FROM <= 80  # the two-process build really uses workers
    runner = CliRunner()
    tables = []
    for jobs in ("1", "2"):
        index = tmp_path / f"index{jobs}.sqlite"
        result = runner.invoke(cli, ["index", "build", "--jobs", jobs, "--index", str(index), str(corpus)])
        assert result.exit_code == 0, result.output
        tables.append(_tables(index))
    assert tables[0] == tables[1]
    assert len(tables[0]["documents"]) == 80 and len(tables[0]["bands"]) > 1000


def test_index_build_reports_timings_when_asked(tmp_path: Path) -> None:
    runner = CliRunner()
    index = tmp_path / "t.sqlite"
    result = runner.invoke(cli, ["index", "build", "--timings", "--index", str(index), str(ROOT / "seeds")])
    assert result.exit_code == 0, result.output
    assert "indexed in" in result.stdout and "analyse and write" in result.stderr
    quiet = runner.invoke(cli, ["index", "build", "--force", "--index", str(index), str(ROOT / "seeds")])
    assert quiet.exit_code == 0 and quiet.stderr == ""
