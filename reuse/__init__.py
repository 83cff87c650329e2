"""readout-reuse: what is new and what is reused in readouts of diplomatic meetings.

>>> from reuse import diff, load_document
>>> result = diff(load_document("seeds/001_663fe8751431e96d.txt"), load_document("seeds/003_b1f2f82659ca7572.txt"))
>>> result.summary.passages
35
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Document",
    "InputError",
    "ReuseError",
    "Settings",
    "SettingsError",
    "diff",
    "from_text",
    "load_corpus",
    "load_document",
    "open_index",
    "scan",
]

if TYPE_CHECKING:
    from .corpus import load_corpus
    from .diff import diff
    from .document import Document, from_text, load_document
    from .errors import InputError, ReuseError, SettingsError
    from .index import open_index
    from .scan import scan
    from .settings import Settings

_WHERE = {
    "diff": "diff",
    "Document": "document",
    "from_text": "document",
    "load_document": "document",
    "InputError": "errors",
    "ReuseError": "errors",
    "SettingsError": "errors",
    "Settings": "settings",
    "load_corpus": "corpus",
    "scan": "scan",
    "open_index": "index",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that `reuse --help` does not pay for numpy and rapidfuzz.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'reuse' has no attribute {name!r}")


class _Package(types.ModuleType):
    """`diff` and `scan` are also the names of submodules, which importing them sets on the package:
    looking the exported names up first keeps `reuse.diff` the function however modules were imported."""

    def __getattribute__(self, name: str) -> Any:
        if name in _WHERE:
            return __getattr__(name)
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _Package
