"""Settings in one place: defaults, then reuse.toml or [tool.reuse] in pyproject.toml (found upwards), then
REUSE_* variables, then options; errors name the key and the file; `reuse settings` says where each came from."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reuse.cli import cli
from reuse.errors import SettingsError
from reuse.runtime.configuration import DEFAULT, configured
from reuse.settings import FIELDS, Settings
from tests.conftest import SEED_FILES, SEEDS


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_is_found_upwards_and_reuse_toml_comes_first(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert configured(deep, {}).settings == Settings()
    _write(tmp_path / "pyproject.toml", '[tool.reuse]\nmin_span = 12\nscript = "t2s"\n')
    _write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.reuse]: not ours
    found = configured(deep, {})
    assert found.settings == Settings(min_span=12, script="t2s")
    assert found.sources["min_span"] == f"{tmp_path / 'pyproject.toml'} [tool.reuse]"
    assert found.sources["unit"] == DEFAULT
    _write(tmp_path / "a" / "reuse.toml", "min-span = 14\n")
    found = configured(deep, {})
    assert found.settings == Settings(min_span=14)  # the nearer file, whole: its parent's is not merged
    assert found.sources["min_span"] == str(tmp_path / "a" / "reuse.toml")


def test_environment_over_the_file_and_options_over_both(tmp_path: Path) -> None:
    _write(tmp_path / "reuse.toml", 'min_span = 12\nunit = "paragraph"\n')
    found = configured(tmp_path, {"REUSE_MIN_SPAN": "15", "REUSE_MASK_DIGITS": "false", "OTHER": "1"})
    assert found.settings == Settings(min_span=15, unit="paragraph", mask_digits=False)
    assert found.sources["min_span"] == "environment variable REUSE_MIN_SPAN"
    assert found.sources["unit"] == str(tmp_path / "reuse.toml")
    over = found.over({"min_span": 20}, "command line")
    assert over.settings == Settings(min_span=20, unit="paragraph", mask_digits=False)
    assert over.sources["min_span"] == "command line"


def test_every_setting_reads_from_its_variable() -> None:
    defaults = Settings()
    for name in FIELDS:
        value = getattr(defaults, name)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        found = configured(Path("/"), {f"REUSE_{name.upper()}": text})
        assert found.settings == defaults and found.sources[name] == f"environment variable REUSE_{name.upper()}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("min_spam = 12\n", "unknown setting 'min_spam' (did you mean 'min_span'?)"),
        ("min_span = 0\n", "min_span must be a positive whole number, not 0"),
        ('script = "klingon"\n', "script must be one of"),
        ("min_span = [1]\n", "min_span must be a single value, not a list"),
        ("min_span = \n", "not valid TOML"),
        ("bands = 64\n", "bands × rows (64 × 4 = 256) must not exceed num_perm"),
    ],
)
def test_a_bad_file_names_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / "reuse.toml", text)
    with pytest.raises(SettingsError) as caught:
        configured(tmp_path, {})
    assert str(path) in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("REUSE_MIN_SPAN", "ten", "REUSE_MIN_SPAN: min_span must be a whole number, not 'ten'"),
        ("REUSE_CASEFOLD", "maybe", "REUSE_CASEFOLD: casefold must be true or false, not 'maybe'"),
        ("REUSE_MIN_SPAN", "-3", "min_span must be a positive whole number, not -3"),
    ],
)
def test_a_bad_variable_is_named(tmp_path: Path, variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match="environment") as caught:
        configured(tmp_path, {variable: value})
    assert message in str(caught.value)


def _invoke(where: Path, monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> Any:
    monkeypatch.chdir(where)
    for name in [n for n in os.environ if n.startswith("REUSE_")]:
        monkeypatch.delenv(name)
    return CliRunner().invoke(cli, list(args), env=env)


def test_reuse_settings_says_where_each_value_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.reuse]\nmin_span = 12\nnear_duplicate = 0.7\n")
    result = _invoke(tmp_path, monkeypatch, "settings", "--format", "json", "--unit", "paragraph", REUSE_K_HAN="5")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    expected = Settings(min_span=12, near_duplicate=0.7, k_han=5, unit="paragraph")
    assert report["fingerprint"] == expected.fingerprint()
    sources = {name: entry["source"] for name, entry in report["settings"].items()}
    assert sources["min_span"] == sources["near_duplicate"] == f"{tmp_path / 'pyproject.toml'} [tool.reuse]"
    assert sources["k_han"] == "environment variable REUSE_K_HAN"
    assert sources["unit"] == "command line"
    assert {sources[n] for n in FIELDS} - {sources["min_span"], sources["k_han"], "command line"} == {DEFAULT}
    table = _invoke(tmp_path, monkeypatch, "settings", "--unit", "paragraph", REUSE_K_HAN="5").output
    assert "environment variable REUSE_K_HAN" in table and expected.fingerprint() in table


def test_commands_run_with_the_file_and_fail_on_a_bad_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = str(SEEDS / SEED_FILES[0]), str(SEEDS / SEED_FILES[1])
    _write(tmp_path / "reuse.toml", "min_span = 14\n")
    result = _invoke(tmp_path, monkeypatch, "diff", "--format", "json", old, new)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["settings"]["min_span"] == 14
    given = _invoke(tmp_path, monkeypatch, "diff", "--format", "json", "--min-span", "11", old, new)
    assert json.loads(given.output)["settings"]["min_span"] == 11
    _write(tmp_path / "reuse.toml", "min_span = true\n")
    bad = _invoke(tmp_path, monkeypatch, "scan", str(SEEDS))
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines() == [
        f"Error: {tmp_path / 'reuse.toml'}: min_span must be a positive whole number, not True"
    ]
