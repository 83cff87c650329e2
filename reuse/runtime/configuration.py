"""Settings in one place: the library's defaults, then a settings file, then environment variables (the
command line goes over all three), each value remembering where it came from (`reuse settings`).

The file is the first found from the working directory upwards: `reuse.toml` (its top level is the
settings), else a `pyproject.toml` with a `[tool.reuse]` table. Environment variables are named
`REUSE_` and the setting's name in capitals (`REUSE_MIN_SPAN=12`). Keys are the names of Settings'
fields (`min_span`, or `min-span`); an unknown key or a bad value is an error naming both and the file.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reuse.errors import SettingsError
from reuse.settings import FIELDS, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib
    import tomli as tomllib

DEFAULT = "default"
ENV_PREFIX = "REUSE_"
_DEFAULTS = Settings()


@dataclass(frozen=True)
class Configured:
    """Settings with, for each field, where its value came from (DEFAULT, a file, a variable, an option)."""

    settings: Settings
    sources: dict[str, str]
    values: dict[str, Any]
    """The values set anywhere but the defaults (what options given on the command line go over)."""

    def over(self, given: Mapping[str, Any], source: str) -> Configured:
        """These values (options given on the command line) over the configured ones."""
        if not given:
            return self
        values = {**self.values, **given}
        settings = _settings(values, source)
        return Configured(settings, {**self.sources, **dict.fromkeys(given, source)}, values)


def settings_file(start: Path) -> tuple[Path, str, dict[str, Any]] | None:
    """The settings file that applies in directory start: (path, how to name it, its settings table)."""
    for directory in (start, *start.parents):
        own = directory / "reuse.toml"
        if own.is_file():
            return own, str(own), _read(own)
        project = directory / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("reuse")
            if table is not None:
                if not isinstance(table, dict):
                    raise SettingsError(f"{project}: [tool.reuse] must be a table of settings")
                return project, f"{project} [tool.reuse]", table
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: not valid TOML: {err}") from None
    except OSError as err:
        raise SettingsError(f"{path}: cannot be read: {err.strerror or err}") from None


def _field(key: str, where: str) -> str:
    name = key.replace("-", "_")
    if name not in FIELDS:
        close = difflib.get_close_matches(name, FIELDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SettingsError(f"{where}: unknown setting {key!r}{hint}")
    return name


def _from_text(name: str, text: str, where: str) -> Any:
    """An environment variable's text as the value of setting name (its type is its default's)."""
    kind = type(getattr(_DEFAULTS, name))
    try:
        if kind is bool:
            lowered = text.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
    except ValueError:
        wanted = {bool: "true or false", int: "a whole number", float: "a number"}[kind]
        raise SettingsError(f"{where}: {name} must be {wanted}, not {text!r}") from None
    return text


def _settings(values: Mapping[str, Any], where: str) -> Settings:
    try:
        return Settings(**values)
    except SettingsError as err:
        raise SettingsError(f"{where}: {err}") from None
    except TypeError as err:  # a value of a type no field takes (a table, a list)
        raise SettingsError(f"{where}: {err}") from None


def configured(start: Path, environ: Mapping[str, str]) -> Configured:
    """The settings that apply in directory start, under these environment variables."""
    values: dict[str, Any] = {}
    sources = dict.fromkeys(FIELDS, DEFAULT)
    found = settings_file(start)
    if found is not None:
        _, label, table = found
        for key, value in table.items():
            name = _field(key, label)
            if isinstance(value, (dict, list)):
                raise SettingsError(f"{label}: {key} must be a single value, not a {type(value).__name__}")
            values[name], sources[name] = value, label
        _settings(values, label)
    from_env = {}
    for name in FIELDS:
        variable = ENV_PREFIX + name.upper()
        if variable in environ:
            from_env[name] = _from_text(name, environ[variable], f"environment variable {variable}")
            sources[name] = f"environment variable {variable}"
    values.update(from_env)
    where = "the environment (REUSE_*)" if found is None else f"{found[1]} and the environment (REUSE_*)"
    settings = _settings(values, where if from_env else (found[1] if found else "the defaults"))
    return Configured(settings, sources, values)
