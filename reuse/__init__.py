"""readout-reuse: what is new and what is reused in readouts of diplomatic meetings.

>>> from reuse import diff, load_document
>>> result = diff(load_document("seeds/001_663fe8751431e96d.txt"), load_document("seeds/003_b1f2f82659ca7572.txt"))
>>> result.summary.passages
35
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reuse.version import __version__

__all__ = [
    "Document",
    "InputError",
    "ReuseError",
    "Settings",
    "SettingsError",
    "__version__",
    "diff",
    "from_text",
    "load_corpus",
    "load_document",
    "open_index",
    "scan",
]

if TYPE_CHECKING:
    from reuse.commands.diff import diff
    from reuse.commands.scan import scan
    from reuse.errors import InputError, ReuseError, SettingsError
    from reuse.index import open_index
    from reuse.load.corpus import load_corpus
    from reuse.load.document import Document, from_text, load_document
    from reuse.settings import Settings

_WHERE = {
    "diff": "reuse.commands.diff",
    "Document": "reuse.load.document",
    "from_text": "reuse.load.document",
    "load_document": "reuse.load.document",
    "InputError": "reuse.errors",
    "ReuseError": "reuse.errors",
    "SettingsError": "reuse.errors",
    "Settings": "reuse.settings",
    "load_corpus": "reuse.load.corpus",
    "scan": "reuse.commands.scan",
    "open_index": "reuse.index",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that `reuse --help` does not pay for numpy and rapidfuzz.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'reuse' has no attribute {name!r}")
