"""What the CLI must never do: write over what it reads, print a traceback, or ignore the input rules in diff."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import cli

from .conftest import ROOT

SEED = ROOT / "seeds" / "001_663fe8751431e96d.txt"
OTHER = ROOT / "seeds" / "003_b1f2f82659ca7572.txt"


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=stdin)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in (SEED, OTHER):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "readouts.idx"
    assert invoke("index", "build", str(SEED), "--index", str(path)).exit_code == 0
    return path


@pytest.mark.parametrize("command", [["scan"], ["audit"], ["scan", "--format", "json"]])
def test_o_into_an_input_directory_is_refused(corpus: Path, command: list[str]) -> None:
    target = corpus / SEED.name
    before = target.read_bytes()
    result = invoke(*command, str(corpus), "-o", str(target))
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: is inside the input directory {corpus}; write it outside the inputs\n"
    assert target.read_bytes() == before
    new_file = corpus / "report.txt"  # not an input yet, but the next run would read it as one
    result = invoke(*command, str(corpus), "-o", str(new_file))
    assert result.exit_code == 1 and "is inside the input directory" in result.output
    assert not new_file.exists()


def test_o_onto_a_hard_link_of_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(SEED.read_bytes())
    link = tmp_path / "link.txt"
    os.link(source, link)
    result = invoke("diff", str(OTHER), str(source), "-o", str(link))
    assert result.exit_code == 1
    assert result.output == f"Error: {link}: is an input of this run ({source}); refusing to overwrite it\n"
    assert source.read_bytes() == SEED.read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ["index", "query", str(OTHER)],
        ["diff", str(SEED), str(OTHER), "--against"],
        ["scan", str(OTHER), "--against"],
    ],
    ids=["index-query", "diff-against", "scan-against"],
)
def test_o_onto_the_index_in_use_is_refused(index: Path, args: list[str]) -> None:
    before = index.read_bytes()
    if args[0] == "index":
        args = [*args, "--index", str(index)]
    else:
        args = [*args, str(index)]
    for target in (index, Path(str(index) + "-wal")):
        result = invoke(*args, "-o", str(target))
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"Error: {target}: is the index in use")
    assert index.read_bytes() == before
    assert invoke("index", "stats", "--index", str(index), "--check").exit_code == 0


@pytest.mark.parametrize("command", [["diff", str(SEED)], ["scan"], ["audit"], ["index", "query", "--index", "IDX"]])
def test_o_naming_a_directory_is_refused_before_any_work(tmp_path: Path, index: Path, command: list[str]) -> None:
    command = [str(index) if part == "IDX" else part for part in command]
    target = str(tmp_path / "newdir") + "/"
    result = invoke(*command, str(OTHER), "-o", target)
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: is a directory; give a file name to write\n"
    assert not (tmp_path / "newdir").exists()


def test_reports_are_written_with_the_users_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert invoke("scan", str(SEED), "-o", str(tmp_path / "r.txt")).exit_code == 0
        out = tmp_path / "clean"
        assert invoke("clean", str(SEED), "--out", str(out)).exit_code == 0
    finally:
        os.umask(previous)
    assert oct((tmp_path / "r.txt").stat().st_mode & 0o777) == oct(0o644)
    assert oct((out / SEED.name).stat().st_mode & 0o777) == oct(0o644)
    assert oct((out / "reuse-manifest.jsonl").stat().st_mode & 0o777) == oct(0o644)
    existing = tmp_path / "r.txt"
    existing.chmod(0o600)  # a file being replaced keeps the mode its owner gave it
    assert invoke("scan", str(SEED), "-o", str(existing)).exit_code == 0
    assert oct(existing.stat().st_mode & 0o777) == oct(0o600)


# diff follows the input rules of every command


def test_diff_reads_html_as_its_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>Xi met Putin in Moscow on Thursday &amp; they talked.</p></body></html>", encoding="utf-8"
    )
    data = json.loads(invoke("diff", str(page), str(page), "--format", "json").output)
    assert [p["text"] for p in data["passages"]] == ["Xi met Putin in Moscow on Thursday & they talked."]


def test_diff_reads_a_jsonl_file_of_one_document(tmp_path: Path) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"id": "x", "text": "Xi met Putin in Moscow."}) + "\n", encoding="utf-8")
    data = json.loads(invoke("diff", str(one), str(one), "--format", "json").output)
    assert [p["text"] for p in data["passages"]] == ["Xi met Putin in Moscow."]
    two = tmp_path / "two.jsonl"
    two.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    result = invoke("diff", str(two), str(SEED))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {two}: holds 2 documents; diff compares one document with one\n",
    )
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a",\n', encoding="utf-8")
    result = invoke("diff", str(broken), str(SEED))
    assert result.exit_code == 1 and result.output.startswith(f"Error: {broken}:1: not valid JSON")


def test_diff_reads_standard_input_for_one_side() -> None:
    text = SEED.read_text(encoding="utf-8")
    result = invoke("diff", "-", str(SEED), "--format", "json", stdin=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["old"] == "-" and data["summary"]["reused_share"] == 1.0
    result = invoke("diff", "-", "-", stdin=text)
    assert (result.exit_code, result.output) == (1, "Error: -: standard input can be OLD or NEW, not both\n")


def test_diff_of_a_directory_is_one_error_line(tmp_path: Path) -> None:
    result = invoke("diff", str(tmp_path), str(SEED))
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path}: is a directory, expected a file\n")


# file names that are not UTF-8


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes are a POSIX matter")
def test_file_names_that_are_not_utf8_go_through_every_command(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(raw, "wb") as handle:
        handle.write(SEED.read_bytes())
    (folder / OTHER.name).write_bytes(OTHER.read_bytes())
    name = os.fsdecode(raw)
    report = tmp_path / "r\udce9.json"  # -o with the same kind of name
    for args in (
        ["scan", str(folder), "--format", "json", "-o", str(report)],
        ["audit", str(folder)],
        ["clean", str(folder), "--out", str(tmp_path / "out")],
        ["index", "build", str(folder), "--index", str(tmp_path / "idx")],
        ["index", "query", name, "--index", str(tmp_path / "idx"), "--format", "json"],
        ["diff", name, str(OTHER)],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output
    shown = json.loads(Path(report).read_text(encoding="utf-8"))
    assert f"{folder}/caf\\xe9.txt" in [d["id"] for d in shown["documents"]]
    assert os.path.exists(os.path.join(os.fsencode(tmp_path / "out"), b"caf\xe9.txt"))
    missing = name.replace("caf", "nope")
    result = invoke("diff", missing, str(OTHER))
    assert (result.exit_code, result.output) == (1, f"Error: {folder}/nope\\xe9.txt: no such file\n")


# signals and pipes, in real processes


def _reuse(*args: str, **kwargs) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "reuse", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        **kwargs,
    )


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough readouts that a one-process scan runs for several seconds."""
    folder = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synthetic.py"), str(folder), "--docs", "800"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return folder / "docs"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_command_says_so_in_one_line(big_corpus: Path, sig: signal.Signals) -> None:
    process = _reuse("scan", str(big_corpus), "--jobs", "1")
    time.sleep(1.0)
    assert process.poll() is None, "the scan ended before it could be interrupted: make the corpus bigger"
    process.send_signal(sig)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, err.decode()) == (130, "Error: interrupted\n")
    assert out == b""


def test_a_closed_pipe_ends_quietly() -> None:
    process = _reuse("scan", "seeds", "--format", "json")
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and b"Exception" not in err, err.decode()


# clean and index build: refused before anything is written


def test_clean_manifest_inside_an_input_directory_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = corpus / "m.jsonl"
    result = invoke("clean", str(corpus), "--out", str(out), "--manifest", str(manifest))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {manifest}: is inside the input directory {corpus}; write it outside the inputs\n",
    )
    assert not out.exists() and not manifest.exists()


def test_clean_onto_a_hard_link_of_an_input_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    source = corpus / OTHER.name
    os.link(source, out / OTHER.name)
    result = invoke("clean", str(corpus), "--out", str(out))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {out / OTHER.name}: is an input of this run ({source}); refusing to overwrite it\n",
    )
    assert sorted(p.name for p in out.iterdir()) == [OTHER.name]  # no copy, no manifest
    assert source.read_bytes() == OTHER.read_bytes()


def test_index_inside_an_input_directory_is_refused(corpus: Path) -> None:
    index = corpus / "idx.db"
    result = invoke("index", "build", str(corpus), "--index", str(index))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {index}: is inside the input directory {corpus}; write it outside the inputs\n",
    )
    assert not index.exists()
    named = corpus / SEED.name
    result = invoke("index", "build", str(named), "--index", str(named), "--force")
    assert result.exit_code == 1 and result.output.startswith(f"Error: {named}: is an input of this run")
    assert named.read_bytes() == SEED.read_bytes()


def test_force_replaces_an_empty_file_left_by_a_killed_build(tmp_path: Path) -> None:
    index = tmp_path / "idx.db"
    index.write_bytes(b"")
    assert invoke("index", "build", str(SEED), "--index", str(index)).output == (
        f"Error: {index}: not a reuse index (empty file)\n"
    )
    assert invoke("index", "build", str(SEED), "--index", str(index), "--force").exit_code == 0
    assert invoke("index", "stats", "--index", str(index), "--check").exit_code == 0
