from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reuse.cli import cli

from .conftest import ROOT

OLD = "seeds/001_663fe8751431e96d.txt"
NEW = "seeds/003_b1f2f82659ca7572.txt"


@pytest.fixture
def run(chdir_root: Path):  # type: ignore[no-untyped-def]
    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, list(args))

    return invoke


def test_diff_table_fits_100_columns(run) -> None:  # type: ignore[no-untyped-def]
    from wcwidth import wcswidth

    result = run("diff", OLD, NEW)
    assert result.exit_code == 0, result.output
    assert "35 passages: 20 new, 3 reused, 12 partial" in result.output
    assert max(wcswidth(line) for line in result.output.splitlines()) <= 100


def test_diff_json(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "--format", "json", OLD, NEW)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["summary"]["passages"] == 35
    assert data["passages"][0]["doc"] == NEW and data["passages"][0]["status"] == "reused"
    assert data["passages"][0]["matches"][0]["doc"] == OLD


def test_diff_markdown_to_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.md"
    result = run("diff", "--format", "markdown", "-o", str(out), OLD, NEW)
    assert result.exit_code == 0 and result.output == ""
    assert out.read_text(encoding="utf-8").startswith(f"# Diff of `{NEW}` against `{OLD}`")


def test_refuses_to_overwrite_an_input(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = (ROOT / NEW).read_bytes()
    result = run("diff", "-o", NEW, OLD, NEW)
    assert result.exit_code == 1
    assert result.output == f"Error: {NEW}: is an input of this run; refusing to overwrite it\n"
    assert (ROOT / NEW).read_bytes() == before


def test_fail_if_reused_over(run) -> None:  # type: ignore[no-untyped-def]
    assert run("diff", "--fail-if-reused-over", "0.5", OLD, NEW).exit_code == 0
    result = run("diff", "--fail-if-reused-over", "0.1", "--format", "json", OLD, NEW)
    assert result.exit_code == 3
    assert json.loads(result.output.split("\nreused share")[0])["summary"]["reused_share"] > 0.1


def test_missing_file(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", OLD, "nope.txt")
    assert (result.exit_code, result.output) == (1, "Error: nope.txt: no such file\n")


def test_directory(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", OLD, "seeds")
    assert (result.exit_code, result.output) == (1, "Error: seeds: is a directory, expected a file\n")


def test_binary_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("diff", OLD, str(path))
    assert (result.exit_code, result.output) == (1, f"Error: {path}: binary file (NUL byte at byte 8), not text\n")


def test_undecodable_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "garbage.txt"
    path.write_bytes("中文".encode() + b"\xff\xfe abc")
    result = run("diff", OLD, str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: cannot decode byte 6 as utf-8 (invalid start byte) and no other encoding fits; "
        "pass --encoding\n"
    )


def test_big5_is_detected_or_forced(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big5.txt"
    path.write_bytes("習近平同俄羅斯總統普京舉行視頻會晤。兩國元首互致新年祝福。".encode("big5"))
    assert run("diff", str(path), str(path)).exit_code == 0
    assert run("diff", "--encoding", "big5", str(path), str(path)).exit_code == 0
    result = run("diff", "--encoding", "utf-8", str(path), str(path))
    assert result.exit_code == 1 and "cannot decode byte 0 as utf-8" in result.output


def test_empty_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run("diff", OLD, str(path))
    assert result.exit_code == 0
    assert "(NEW has no passages: it is empty)" in result.output
    assert "0 passages: 0 new, 0 reused, 0 partial" in result.output


def test_usage_error_exits_1_with_one_error_line(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", OLD)
    assert result.exit_code == 1
    assert result.output == "Error: Missing argument 'NEW'; see 'reuse diff --help'\n"
    result = run("diff", "--format", "pdf", OLD, NEW)
    assert result.exit_code == 1
    assert result.output == (
        "Error: Invalid value for '--format': 'pdf' is not one of 'table', 'json', 'markdown', 'html'; "
        "see 'reuse diff --help'\n"
    )
    result = run("index", "query", OLD)
    assert (result.exit_code, result.output) == (
        1,
        "Error: Missing option '--index' (or set REUSE_INDEX); see 'reuse index query --help'\n",
    )
    result = run("frob")
    assert (result.exit_code, result.output) == (1, "Error: No such command 'frob'; see 'reuse --help'\n")


def _command_paths(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand under group, with the words that run it."""
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in group.commands.items():
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found += _command_paths(command, (*path, name))
    return found


def test_every_command_and_subcommand_has_help_and_is_in_the_readme(run) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert run("--help").exit_code == 0
    paths = _command_paths(cli)
    assert {" ".join(words) for words, _ in paths} >= {"diff", "scan", "audit", "clean", "index", "index query"}
    for words, command in paths:
        result = run(*words, "--help")
        assert result.exit_code == 0 and command.help, words
        assert re.search(rf"reuse {' '.join(words)}\b", readme), words


def test_scan_against_honours_timings_and_leaves_the_report_alone(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = str(tmp_path / "seeds.idx")
    assert run("index", "build", "--index", index, "seeds").exit_code == 0
    plain = run("scan", "--format", "json", "--jobs", "1", "--against", index, "seeds")
    timed = run("scan", "--format", "json", "--jobs", "1", "--timings", "--against", index, "seeds")
    assert plain.exit_code == timed.exit_code == 0, timed.output
    assert timed.stdout_bytes == plain.stdout_bytes and plain.stderr == ""
    assert json.loads(timed.stdout)["against"]["documents"]
    stages = [line.split("  ")[0] for line in timed.stderr.splitlines()]
    assert stages[0] == "stage" and stages[-1] == "total"
    assert "read and decode inputs" in stages and "look up each document in the index" in stages
    assert stages.index("look up each document in the index") == stages.index("report") - 1


def test_a_library_error_inside_an_open_index_is_one_error_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = str(tmp_path / "seeds.idx")
    assert run("index", "build", "--index", index, "seeds").exit_code == 0
    result = run("index", "query", "--min-span", "12", "--index", index, NEW)
    assert result.exit_code == 1
    assert re.fullmatch(
        rf"Error: {re.escape(index)}: index built with other settings \(fingerprint \w+, here \w+: min_span 10 in "
        r"the index, 12 here\); use the index's settings or build another index\n",
        result.output,
    ), result.output


def test_scan_json_and_table(run) -> None:  # type: ignore[no-untyped-def]
    result = run("scan", "--format", "json", "seeds")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["documents"] == 5
    assert data["families"][0]["kind"] == "boilerplate"
    table = run("scan", "seeds")
    assert table.exit_code == 0 and "發佈時間:{…} | 來源:新華網 | 作者: | 責任編輯:{…}" in table.output
    from wcwidth import wcswidth

    assert max(wcswidth(line) for line in table.output.splitlines()) <= 100


def test_scan_reads_stdin_and_jsonl(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [{"id": f"d{i}", "text": "首頁 > 頭條\n正文第" + "一二三"[i] + "段。\n"} for i in range(3)]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    data = json.loads(run("scan", "--format", "json", str(path)).output)
    assert [d["id"] for d in data["documents"]] == ["d0", "d1", "d2"]
    assert data["families"][0]["kind"] == "boilerplate" and data["families"][0]["documents"] == 3
    result = CliRunner().invoke(cli, ["scan", "--format", "json", "-"], input="一句話。\n一句話。\n".encode())
    assert result.exit_code == 0 and json.loads(result.output)["families"][0]["kind"] == "repeat"


def test_scan_bad_inputs(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (run("scan", "nowhere").exit_code, run("scan", "nowhere").output) == (
        1,
        "Error: nowhere: no such file or directory\n",
    )
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01binary")
    result = run("scan", "seeds", str(binary))
    assert (result.exit_code, result.output) == (1, f"Error: {binary}: binary file (NUL byte at byte 0), not text\n")
    result = run("scan", "--skip-bad", "seeds", str(binary))
    assert result.exit_code == 0 and f"Skipped {binary}: {binary}: binary file" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("scan", str(empty))
    assert (result.exit_code, result.output) == (1, f"Error: {empty}: no files\n")
    assert run("scan").exit_code == 1


def test_audit_fail_over(run) -> None:  # type: ignore[no-untyped-def]
    ok = run("audit", "seeds")
    assert ok.exit_code == 0 and "5 documents: 0 empty" in ok.output
    over = run("audit", "--fail-over", "0.01", "seeds")
    assert over.exit_code == 3 and "boilerplate share 0.0312 is over 0.01" in over.output
    data = json.loads(run("audit", "--format", "json", "seeds").output)
    assert data["summary"]["documents"] == 5 and "exact_duplicates" in data


def test_clean_command(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cleaned"
    result = run("clean", "seeds", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"5 documents written to {out}, ")
    assert (out / "reuse-manifest.jsonl").exists() and (out / "000_72809ab1e56e2c9e.txt").exists()
    refused = run("clean", "seeds", "--out", "seeds/cleaned")
    assert refused.exit_code == 1
    assert refused.output == (
        "Error: seeds/cleaned: is inside the input directory seeds; choose an output directory outside it\n"
    )
    assert not (ROOT / "seeds" / "cleaned").exists()


def test_package_exports_stay_functions_after_their_modules_are_imported() -> None:
    """The functions `diff` and `scan` live in reuse.commands; importing those modules changes nothing at the top."""
    import subprocess
    import sys

    code = (
        "import reuse.commands.diff, reuse.commands.scan, reuse; from reuse import diff, scan; "
        "print(callable(diff), callable(scan), type(reuse.diff).__name__, type(reuse.scan).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "function", "function"]
