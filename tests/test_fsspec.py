"""Inputs and outputs named by fsspec URLs give what the same files give as local paths.

memory:// lives in this process only, so it is read and written through the CLI in-process (CliRunner);
the cluster, whose workers are other processes, is given file:// URLs.
"""

from __future__ import annotations

import builtins
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import SEEDS

fsspec = pytest.importorskip("fsspec", reason="fsspec (the dask extra) is not installed")


def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from reuse.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds in a directory and a subdirectory, JSONL rows, an HTML page, a GB18030 file, hidden files."""
    out = tmp_path_factory.mktemp("corpus")
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds[:3]:
        (out / seed.name).write_bytes(seed.read_bytes())
    (out / "more").mkdir()
    for seed in seeds[3:5]:
        (out / "more" / seed.name).write_bytes(seed.read_bytes())
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    rows = [json.dumps({"id": f"row-{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts[:2])]
    (out / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    page = texts[0]
    (out / "page.html").write_text(f"<html><body><p>{page[:400]}</p><p>{page[400:900]}</p></body></html>")
    (out / "gb.txt").write_bytes(page[:300].encode("gb18030"))
    (out / ".hidden.txt").write_text("never read\n")
    (out / ".git").mkdir()
    (out / ".git" / "config.txt").write_text("never read either\n")
    return out


@pytest.fixture
def memory(corpus: Path) -> Iterator[str]:
    """The corpus copied to a memory:// directory of its own (removed afterwards): its URL."""
    fs = fsspec.filesystem("memory")
    root = f"/reuse-test-{uuid.uuid4().hex}"
    for path in corpus.rglob("*"):
        if path.is_file():
            fs.pipe(f"{root}/{path.relative_to(corpus).as_posix()}", path.read_bytes())
    yield f"memory://{root}"
    for key in [k for k in fs.store if k.startswith(root + "/") or k == root]:
        del fs.store[key]
    for key in [k for k in fs.pseudo_dirs if k.startswith(root)]:
        fs.pseudo_dirs.remove(key)


def _report(command: str, *args: str) -> str:
    code, output = _cli(command, *args, "--format", "json")
    assert code == 0, output
    return output


@pytest.mark.parametrize("command", ["scan", "audit"])
def test_a_memory_url_reads_as_the_local_directory(command: str, corpus: Path, memory: str) -> None:
    local = _report(command, str(corpus))
    remote = _report(command, memory)
    assert memory in remote
    # Ids are the URL as given joined with each file's relative path, as local ids are the directory's.
    assert remote.replace(memory, str(corpus)) == local
    assert "never read" not in remote and ".hidden" not in remote and ".git" not in remote


def test_a_file_url_reads_as_the_local_directory(corpus: Path) -> None:
    url = corpus.as_uri()
    local = _report("scan", str(corpus))
    remote = _report("scan", url + "/")
    assert remote.replace(url, str(corpus)) == local
    documents = json.loads(remote)["documents"]
    assert any(doc["id"] == f"{url}/more/{sorted(SEEDS.glob('*.txt'))[3].name}" for doc in documents)


def test_glob_and_single_files_as_for_local_paths(corpus: Path, memory: str) -> None:
    for args in (["--glob", "*.jsonl"], ["--glob", "more/*"]):
        local = _report("scan", str(corpus), *args)
        assert _report("scan", memory, *args).replace(memory, str(corpus)) == local
    one = min(SEEDS.glob("*.txt")).name
    assert _report("scan", f"{memory}/{one}", f"{memory}/gb.txt").replace(memory, str(corpus)) == _report(
        "scan", str(corpus / one), str(corpus / "gb.txt")
    )
    code, output = _cli("scan", memory, "--glob", "*.nothing")
    assert code == 1 and output.strip() == f"Error: {memory}: no files matching '*.nothing'"


def test_reports_written_to_a_url_are_the_same_bytes(corpus: Path, memory: str, tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    for command in ("scan", "audit"):
        local, remote = tmp_path / f"{command}.json", f"{memory}-out/{command}.json"
        assert _cli(command, str(corpus), "--format", "json", "-o", str(local))[0] == 0
        code, output = _cli(command, str(corpus), "--format", "json", "-o", remote)
        assert code == 0, output
        assert fs.cat_file(remote.removeprefix("memory://")) == local.read_bytes()
    fs.rm(f"{memory}-out".removeprefix("memory://"), recursive=True)


def test_clean_out_a_url_writes_what_a_local_directory_gets(corpus: Path, memory: str, tmp_path: Path) -> None:
    fs = fsspec.filesystem("memory")
    code, output = _cli("clean", str(corpus), "--out", str(tmp_path / "here"), "--remove-formulae")
    assert code == 0, output
    out = f"{memory}-cleaned"
    code, output = _cli("clean", str(corpus), "--out", out, "--remove-formulae")
    assert code == 0, output
    here = tmp_path / "here"
    local = {p.relative_to(here).as_posix(): p.read_bytes() for p in here.rglob("*") if p.is_file()}
    root = out.removeprefix("memory://")
    remote = {path[len(root) + 1 :]: fs.cat_file(path) for path in fs.find(root)}
    assert remote == local
    assert len(local["reuse-manifest.jsonl"]) > 0
    fs.rm(root, recursive=True)
    # Read from a URL and written to one: the manifest's lines are the same apart from nothing (ids are rows'
    # and paths' ids, and those are the same relative to the corpus).
    code, output = _cli("clean", memory, "--out", out, "--remove-formulae")
    assert code == 0, output
    manifest = fs.cat_file(f"{root}/reuse-manifest.jsonl").decode("utf-8")
    assert manifest.replace(memory, str(corpus)).encode("utf-8") == local["reuse-manifest.jsonl"]
    assert {path[len(root) + 1 :] for path in fs.find(root)} == set(local)
    fs.rm(root, recursive=True)


def test_clean_out_a_file_url_writes_the_local_directory(corpus: Path, tmp_path: Path) -> None:
    assert _cli("clean", str(corpus), "--out", str(tmp_path / "here"))[0] == 0
    code, output = _cli("clean", corpus.as_uri(), "--out", (tmp_path / "there").as_uri())
    assert code == 0, output
    here = sorted(p.relative_to(tmp_path / "here") for p in (tmp_path / "here").rglob("*") if p.is_file())
    there = sorted(p.relative_to(tmp_path / "there") for p in (tmp_path / "there").rglob("*") if p.is_file())
    assert here == there and here
    for name in here:
        if name.name != "reuse-manifest.jsonl":
            assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes(), name


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (["scan", "{m}", "-o", "{m}/gb.txt"], "{m}/gb.txt: is inside the input directory {m}"),
        (
            ["scan", "{m}/gb.txt", "-o", "memory://{r}/gb.txt"],
            "memory://{r}/gb.txt: is an input of this run ({m}/gb.txt)",
        ),
        (["scan", "{m}/", "-o", "{m}/new/report.json"], "{m}/new/report.json: is inside the input directory {m}/"),
        (["scan", "{m}", "-o", "{m}-x/"], "{m}-x/: is a directory"),
        (["scan", "{m}", "-o", "{m}/more"], "{m}/more: is a directory"),
        (["clean", "{m}", "--out", "{m}/cleaned"], "{m}/cleaned: is inside the input directory {m}"),
        (["clean", "{m}", "--out", "{m}/gb.txt"], "{m}/gb.txt: exists and is not a directory"),
        (["clean", "{m}", "--out", "{m}-c", "--manifest", "{m}/rows.jsonl"], "is inside the input directory {m}"),
    ],
)
def test_outputs_over_inputs_are_refused(args: list[str], refusal: str, memory: str) -> None:
    fs = fsspec.filesystem("memory")
    before = {path: fs.cat_file(path) for path in fs.find(memory.removeprefix("memory://"))}
    root = memory.removeprefix("memory://").lstrip("/")
    code, output = _cli(*(a.format(m=memory, r=root) for a in args))
    assert code == 1, output
    assert output.startswith("Error: ") and output.count("\n") == 1, output
    assert refusal.format(m=memory, r=root) in output
    assert {path: fs.cat_file(path) for path in fs.find(memory.removeprefix("memory://"))} == before


def test_output_urls_and_local_inputs_meet_as_local_paths(corpus: Path, tmp_path: Path) -> None:
    code, output = _cli("scan", str(corpus), "-o", (corpus / "gb.txt").as_uri())
    assert code == 1 and "is inside the input directory" in output
    code, output = _cli("scan", corpus.as_uri(), "-o", str(corpus / "new.json"))
    assert code == 1 and "is inside the input directory" in output
    code, output = _cli("scan", (corpus / "gb.txt").as_uri(), "-o", str(corpus / "gb.txt"))
    assert code == 1 and "refusing to overwrite it" in output
    code, output = _cli("scan", str(corpus), "-o", (tmp_path / "nowhere" / "r.json").as_uri())
    assert code == 1 and "does not exist" in output


def test_errors_are_one_line_naming_the_url(corpus: Path, memory: str) -> None:
    cases = [
        (["scan", f"{memory}/nope"], f"Error: {memory}/nope: no such file or directory"),
        (["scan", "unknownproto://b/x"], "Error: unknownproto://b/x: Protocol not known: unknownproto"),
        (["scan", str(corpus), "-o", "unknownproto://b/x.json"], "Error: unknownproto://b/x.json: Protocol not known"),
    ]
    try:
        import s3fs  # noqa: F401
    except ImportError:
        cases.append((["scan", "s3://b/x"], "Error: s3://b/x: needs the s3fs package (pip install s3fs)"))
        cases.append(
            (
                ["clean", str(corpus), "--out", "s3://b/out"],
                "Error: s3://b/out: needs the s3fs package (pip install s3fs)",
            )
        )
    for args, message in cases:
        code, output = _cli(*args)
        assert code == 1, (args, output)
        assert output.startswith(message) and output.count("\n") == 1, (args, output)


def test_skip_bad_skips_urls_as_local_files(corpus: Path, memory: str) -> None:
    fs = fsspec.filesystem("memory")
    root = memory.removeprefix("memory://")
    fs.pipe(f"{root}/zz.jsonl", b"not json\n")
    code, output = _cli("scan", memory, "unknownproto://b/x", f"{memory}/nope", "--skip-bad")
    assert code == 0, output
    assert f"Skipped {memory}/zz.jsonl: {memory}/zz.jsonl:1: not valid JSON" in output
    assert f"Skipped {memory}/nope: {memory}/nope: no such file or directory" in output
    assert "Skipped unknownproto://b/x: unknownproto://b/x: Protocol not known" in output
    code, output = _cli("scan", memory)
    assert code == 1 and output.startswith(f"Error: {memory}/zz.jsonl:1: not valid JSON") and output.count("\n") == 1


def test_without_fsspec_a_url_says_what_to_install(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_fsspec(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "fsspec" or name.startswith("fsspec."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fsspec)
    code, output = _cli("scan", "memory://x/y")
    assert code == 1 and output == "Error: memory://x/y: needs the fsspec package (pip install fsspec)\n"
    # Local paths never need it.
    code, output = _cli("scan", str(corpus), "--format", "json")
    assert code == 0, output


def test_local_runs_do_not_import_fsspec(corpus: Path) -> None:
    import subprocess

    script = (
        "import sys; from click.testing import CliRunner; from reuse.cli import cli; "
        f"r = CliRunner().invoke(cli, ['scan', {str(corpus)!r}, '--format', 'json']); "
        "assert r.exit_code == 0, r.output; print('fsspec' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_file_urls_on_a_cluster_give_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    url = corpus.as_uri()
    here, there = tmp_path / "here.json", tmp_path / "there.json"
    assert _cli("scan", url, "--format", "json", "-o", str(here))[0] == 0
    code, output = _cli("scan", url, "--format", "json", "-o", there.as_uri(), "--cluster", "local:2")
    assert code == 0, output
    assert here.read_bytes() == there.read_bytes()
    assert url in here.read_text(encoding="utf-8")


def test_clean_on_a_cluster_into_a_file_url(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    monkeypatch.chdir(tmp_path)
    assert _cli("clean", corpus.as_uri(), "--out", str(tmp_path / "here"))[0] == 0
    code, output = _cli("clean", corpus.as_uri(), "--out", (tmp_path / "there").as_uri(), "--cluster", "local:2")
    assert code == 0, output
    for path in (tmp_path / "here").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "there" / path.relative_to(tmp_path / "here")).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "there"]
