"""JSON for big reports, written in pieces: `pieces`, the scan's layout (the outer object indented, each
item of its lists on one line), and `indented_pieces`, json.dumps(indent=2)'s own (diff and index query).

`json.dumps(..., indent=2)` runs Python's pure-Python encoder, which for a corpus scan (a hundred
megabytes of families and members) takes longer than the scan itself. Each item here goes through
the C encoder, and the result is still one JSON document, readable line by line and easy to grep.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
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


def indented_pieces(value: Any, level: int = 0) -> Iterator[str]:
    """json.dumps(value, ensure_ascii=False, indent=2) at that depth, in pieces: an Items list is written
    item by item, and a dict holding one is opened up, so that a big report is never held whole, as a
    dict or as text. Items are encoded one at a time, exactly as the whole document would be."""
    if isinstance(value, Items):
        items = iter(value.items)
        first = next(items, _NOTHING)
        if first is _NOTHING:
            yield "[]"
            return
        inner = "\n" + "  " * (level + 1)
        yield "[" + inner
        yield from indented_pieces(first, level + 1)
        for item in items:
            yield "," + inner
            yield from indented_pieces(item, level + 1)
        yield "\n" + "  " * level + "]"
    elif isinstance(value, dict) and any(isinstance(v, Items) for v in value.values()):
        inner = "\n" + "  " * (level + 1)
        for number, (key, item) in enumerate(value.items()):
            yield ("," if number else "{") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from indented_pieces(item, level + 1)
        yield "\n" + "  " * level + "}"
    else:
        yield _indented(value, level)


def _indented(value: Any, level: int) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2) at that depth.

    Not json.dumps itself: with an indent it runs the pure-Python encoder, whose nested functions form
    reference cycles at every call, left for the cyclic collector, which the CLI pauses (runtime/gc_pause):
    called once per passage, they held more memory than the report. Same output, checked by the tests."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + ",".join(inner + _indented(item, level + 1) for item in value) + "\n" + "  " * level + "]"
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if not value:
            return "{}"
        body = ",".join(
            inner + encode_basestring(key) + ": " + _indented(item, level + 1) for key, item in value.items()
        )
        return "{" + body + "\n" + "  " * level + "}"
    encoded = json.dumps(value, ensure_ascii=False, indent=2)  # anything else, as json would (or its error)
    return encoded.replace("\n", "\n" + "  " * level)


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
