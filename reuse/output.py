"""Writing reports: atomically, and never over an input."""

from __future__ import annotations

import os
import tempfile

from .errors import InputError


def write_atomic(path: str, content: str, inputs: list[str]) -> None:
    """Write content to path through a temporary file and a rename; refuse to replace an input."""
    target = os.path.realpath(path)
    for source in inputs:
        if os.path.exists(source) and os.path.realpath(source) == target:
            raise InputError(f"{path}: is an input of this run; refusing to overwrite it")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a file to write")
    directory = os.path.dirname(target) or "."
    if not os.path.isdir(directory):
        raise InputError(f"{path}: directory {os.path.dirname(path) or '.'} does not exist")
    fd, temp = tempfile.mkstemp(prefix=".reuse-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
