"""Reading an index needs read permission only: a read-only directory, a read-only index file.

Permissions do not stop root, and tests run as root here. Dropping to `nobody` is no way out: the
interpreter and its packages live under /root (mode 0700). So as root the command runs in a child
process whose bounding set lacks CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER: it is still
uid 0, the owner of the files, but file modes now apply to it as to any owner. A directory chmod'ed
0555 is then read-only for it, which the fixture checks before relying on it.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

SEED0 = "seeds/000_72809ab1e56e2c9e.txt"
SEED4 = "seeds/004_1be1cfc6bdf062d7.txt"
OTHERS = ["seeds/001_663fe8751431e96d.txt", "seeds/002_cbc67faf9157e332.txt", "seeds/003_b1f2f82659ca7572.txt"]

_PR_CAPBSET_DROP = 24
_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _without_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {cap})")


Runner = Callable[..., subprocess.CompletedProcess[str]]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """`reuse ARGS` in a child process to which file modes apply (see the module's docstring)."""
    return subprocess.run(
        [sys.executable, "-m", "reuse", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        preexec_fn=_without_override if os.geteuid() == 0 else None,
    )


@pytest.fixture
def unprivileged(tmp_path: Path) -> Runner:
    """_run, once a child has been seen unable to write a 0555 directory."""
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o555)
    try:
        check = subprocess.run(
            [sys.executable, "-c", f"open({str(probe / 'x')!r}, 'w')"],
            capture_output=True,
            check=False,
            preexec_fn=_without_override if os.geteuid() == 0 else None,
        )
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"cannot run a child without root's permission override ({err}): permission tests skipped")
    finally:
        probe.chmod(0o755)
    if check.returncode == 0:
        pytest.skip("a child process can still write a 0555 directory (root override not dropped): skipped")
    return _run


@pytest.fixture
def read_only_dir(run, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A directory holding an index of OTHERS + SEED4 (no WAL files left), chmod'ed 0555."""
    directory = tmp_path / "shared"
    directory.mkdir()
    result = run("index", "build", *OTHERS, SEED4, "--index", str(directory / "idx.sqlite"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in directory.iterdir()) == ["idx.sqlite"]
    directory.chmod(0o555)
    yield directory
    directory.chmod(0o755)


def test_query_stats_and_against_work_in_a_read_only_directory(run, unprivileged: Runner, read_only_dir: Path) -> None:  # type: ignore[no-untyped-def]
    index = str(read_only_dir / "idx.sqlite")
    copy = shutil.copy(index, read_only_dir.parent / "copy.sqlite")  # root reading here would leave WAL files
    expected = run("index", "query", SEED0, "--index", copy, "--format", "json")
    assert expected.exit_code == 0, expected.output
    result = unprivileged("index", "query", SEED0, "--index", index, "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["documents"] == json.loads(expected.stdout)["documents"]
    statuses = {p["status"] for p in json.loads(result.stdout)["documents"][0]["passages"]}
    assert "reused" in statuses  # the index was really read, not found empty
    stats = unprivileged("index", "stats", "--index", index, "--format", "json", "--check")
    assert (stats.returncode, stats.stderr) == (0, "")
    assert (json.loads(stats.stdout)["documents"], json.loads(stats.stdout)["problems"]) == (4, [])
    for command in (("scan", SEED0, OTHERS[0]), ("diff", SEED0, SEED4)):
        against = unprivileged(*command, "--against", index, "--format", "json")
        assert (against.returncode, against.stderr) == (0, "")
        assert json.loads(against.stdout)  # a whole report
    assert sorted(p.name for p in read_only_dir.iterdir()) == ["idx.sqlite"]  # nothing written beside it


def test_writing_a_read_only_index_says_why(unprivileged: Runner, read_only_dir: Path) -> None:
    index = read_only_dir / "idx.sqlite"
    before = index.read_bytes()
    result = unprivileged("index", "add", SEED0, "--index", str(index))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {index}: cannot write the index (attempt to write a readonly database): "
        "the file or its directory is read-only\n"
    )
    assert index.read_bytes() == before


def test_query_works_on_a_read_only_index_file(run, unprivileged: Runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "idx.sqlite"
    assert run("index", "build", *OTHERS, SEED4, "--index", str(index)).exit_code == 0
    index.chmod(0o444)
    before = index.read_bytes()
    result = unprivileged("index", "query", SEED0, "--index", str(index), "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["documents"][0]["summary"]["passages"] > 0
    assert index.read_bytes() == before


def _with_unmerged_wal(run, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """An index whose last document (SEED4) is committed in its -wal only, as a live writer leaves it:
    (copy with its -wal and -shm, copy with its -wal alone)."""
    source = tmp_path / "live"
    source.mkdir()
    index = source / "idx.sqlite"
    assert run("index", "build", *OTHERS, "--index", str(index)).exit_code == 0
    holder = sqlite3.connect(index)  # another reader keeps the WAL from being merged and removed
    holder.execute("SELECT COUNT(*) FROM meta").fetchone()
    try:
        assert run("index", "add", SEED4, "--index", str(index)).exit_code == 0
        copies = []
        for name, suffixes in (("with-shm", ("", "-wal", "-shm")), ("wal-only", ("", "-wal"))):
            copy = tmp_path / name
            copy.mkdir()
            for suffix in suffixes:
                shutil.copy(f"{index}{suffix}", copy / f"idx.sqlite{suffix}")
            assert (copy / "idx.sqlite-wal").stat().st_size > 0
            copy.chmod(0o555)
            copies.append(copy)
    finally:
        holder.close()
    return copies[0], copies[1]


def test_a_writers_wal_is_read_or_refused_never_ignored(run, unprivileged: Runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with_shm, wal_only = _with_unmerged_wal(run, tmp_path)
    try:
        result = unprivileged("index", "stats", "--index", str(with_shm / "idx.sqlite"), "--format", "json")
        assert (result.returncode, result.stderr) == (0, "")
        assert json.loads(result.stdout)["documents"] == 4  # SEED4, only in the -wal, is seen
        # Without a -shm none can be made here; reading the file alone would silently miss SEED4.
        index = wal_only / "idx.sqlite"
        result = unprivileged("index", "query", SEED0, "--index", str(index))
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (
            f"Error: {index}: cannot read the index: its directory is read-only and {index}-wal holds changes "
            "not yet merged into it; they are merged when a user who can write the directory next writes the index\n"
        )
    finally:
        with_shm.chmod(0o755)
        wal_only.chmod(0o755)
