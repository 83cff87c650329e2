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


def test_folders_follow_the_pipeline() -> None:
    """A newcomer reads the pipeline's order from the folder listing; the contract above names the same folders."""
    folders = {p.name for p in (ROOT / "reuse").iterdir() if p.is_dir() and not p.name.startswith("__")}
    layers = {"load", "text", "sketch", "verify", "group", "commands", "index", "reports", "runtime", "cli"}
    assert folders == layers
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert all(f'"reuse.{name}"' in pyproject for name in layers)


def test_no_module_outgrows_a_screenful_of_concepts() -> None:
    """The issue's bound (~400 lines): past it a module holds more than one concept and wants splitting."""
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "reuse").rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > 400} == {}


def test_private_names_stay_in_their_module() -> None:
    """A name another module needs is public; `_name` imported across modules hides a real dependency."""
    import ast

    crossings = [
        f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
        for path in (ROOT / "reuse").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reuse")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert crossings == []
