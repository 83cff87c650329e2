"""The house keeps its shape: the import-linter contract in pyproject.toml holds."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_layers_import_one_way() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout
