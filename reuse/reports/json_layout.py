"""JSON for big reports: the outer object indented, each item of its lists on one line.

`json.dumps(..., indent=2)` runs Python's pure-Python encoder, which for a corpus scan (a hundred
megabytes of families and members) takes longer than the scan itself. Each item here goes through
the C encoder, and the result is still one JSON document, readable line by line and easy to grep.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


class Raw(str):
    """An item already encoded as compact JSON, written as it is."""


def _compact(value: Any) -> str:
    return value if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)


class Items:
    """A list value given lazily (encoded items of a corpus's families): written item by item, never held whole."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def dumps(report: dict[str, Any]) -> str:
    """report as JSON: top-level keys on their own lines, list items one per line, newline at the end."""
    return "".join(pieces(report))


def pieces(report: dict[str, Any]) -> Iterator[str]:
    """dumps(report) in pieces (a line or so each), for writing a big report without holding it whole."""
    yield "{\n"
    for number, (key, value) in enumerate(report.items()):
        yield ",\n" if number else ""
        name = _compact(key)
        items = iter(value.items) if isinstance(value, Items) else iter(value) if isinstance(value, list) else None
        first = next(items, _NOTHING) if items is not None else _NOTHING
        if first is _NOTHING:
            yield f"  {name}: {_compact([] if items is not None else value)}"
            continue
        yield f"  {name}: [\n    {_compact(first)}"
        assert items is not None
        for item in items:
            yield f",\n    {_compact(item)}"
        yield "\n  ]"
    yield "\n}\n"


_NOTHING = object()
