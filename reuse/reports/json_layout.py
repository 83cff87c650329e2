"""JSON for big reports: the outer object indented, each item of its lists on one line.

`json.dumps(..., indent=2)` runs Python's pure-Python encoder, which for a corpus scan (a hundred
megabytes of families and members) takes longer than the scan itself. Each item here goes through
the C encoder, and the result is still one JSON document, readable line by line and easy to grep.
"""

from __future__ import annotations

import json
from typing import Any


class Raw(str):
    """An item already encoded as compact JSON, written as it is."""


def _compact(value: Any) -> str:
    return value if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)


def dumps(report: dict[str, Any]) -> str:
    """report as JSON: top-level keys on their own lines, list items one per line, newline at the end."""
    parts = []
    for key, value in report.items():
        name = _compact(key)
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {_compact(item)}" for item in value)
            parts.append(f"  {name}: [\n{items}\n  ]")
        else:
            parts.append(f"  {name}: {_compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
