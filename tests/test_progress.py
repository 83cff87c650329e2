"""Progress bars on standard error only when it is a terminal (a real pseudo-terminal here), never in a
pipe; -q silences them, -v logs each stage and its time."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios

import pytest

from tests.conftest import ROOT, SEED_FILES

COMMANDS = {
    "scan": ["scan", "seeds"],
    "index build": ["index", "build", "--index", "{tmp}/seeds.sqlite", "seeds"],
    "diff": ["diff", f"seeds/{SEED_FILES[0]}", f"seeds/{SEED_FILES[1]}"],
}


def _on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Exit code and what the command wrote to its standard error, a pseudo-terminal."""
    leader, follower = pty.openpty()
    # A terminal of 100 columns: a new pseudo-terminal has none, and a bar fitted to 0 columns is empty.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "reuse", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command has ended and closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("name", COMMANDS)
def test_progress_on_a_terminal_and_not_with_q(name: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args = [a.format(tmp=tmp_path) for a in COMMANDS[name]]
    code, shown = _on_a_terminal(args)
    assert code == 0, shown
    assert "%|" in shown or "it/s" in shown, shown  # a tqdm bar
    (tmp_path / "seeds.sqlite").unlink(missing_ok=True)
    code, shown = _on_a_terminal([*args, "-q"])
    assert code == 0 and "%|" not in shown and "it/s" not in shown, shown


@pytest.mark.parametrize("name", COMMANDS)
def test_nothing_on_standard_error_in_a_pipe_and_stages_with_v(name: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args = [a.format(tmp=tmp_path) for a in COMMANDS[name]]
    quiet = subprocess.run(
        [sys.executable, "-m", "reuse", *args], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert quiet.returncode == 0 and quiet.stderr == ""
    if name == "diff":
        return  # a diff has no stages to log
    (tmp_path / "seeds.sqlite").unlink(missing_ok=True)
    loud = subprocess.run(
        [sys.executable, "-m", "reuse", *args, "-v"], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert loud.returncode == 0
    stages = [line for line in loud.stderr.splitlines() if line.startswith("reuse: ")]
    assert any("read and decode inputs" in line for line in stages), loud.stderr
    assert all(line.endswith(" s") for line in stages)
    assert "%|" not in loud.stderr


def test_v_logs_to_each_runs_own_standard_error(run) -> None:  # type: ignore[no-untyped-def]
    """In one process (a library user's, a test runner's), every -v run logs to its own standard error."""
    for _ in range(2):
        result = run("scan", "-v", "seeds")
        assert result.exit_code == 0
        assert any(line.startswith("reuse: read and decode inputs: ") for line in result.stderr.splitlines())
