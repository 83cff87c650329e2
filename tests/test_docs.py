"""The README's library examples run as written, against the seeds and an index built as the README builds it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import cli

from .conftest import ROOT


def test_library_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## As a library") : readme.index("## How it works")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) >= 2
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    indexed = ["seeds/001_663fe8751431e96d.txt", "seeds/003_b1f2f82659ca7572.txt", "seeds/004_1be1cfc6bdf062d7.txt"]
    assert CliRunner().invoke(cli, ["index", "build", *indexed, "--index", "readouts.idx"]).exit_code == 0
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - the README's own examples
    printed = capsys.readouterr().out.splitlines()
    assert any(line.startswith(("new ", "reused ", "partial ")) for line in printed)
    assert any(line.startswith("F1 ") for line in printed)
