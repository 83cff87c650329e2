"""The closed sets every report speaks in, defined once: what became of a passage, and what kind of reuse a family is.

They are `Literal` types with one constant per value rather than enums: the values are the words of the
JSON contracts, they must serialize as themselves through the C JSON encoder and f-strings alike, and a
type checker still refuses a misspelt one.
"""

from __future__ import annotations

from typing import Final, Literal

Status = Literal["new", "reused", "partial"]
"""A passage of a diff or an index query: none of it found, all of it, or some spans."""
NEW: Final = "new"
REUSED: Final = "reused"
PARTIAL: Final = "partial"
STATUSES: Final[tuple[Status, ...]] = (NEW, REUSED, PARTIAL)

Kind = Literal["boilerplate", "repeat", "reused", "formula"]
"""A family of a corpus scan (see the README's table of kinds)."""
BOILERPLATE: Final = "boilerplate"
REPEAT: Final = "repeat"
FORMULA: Final = "formula"
KINDS: Final[tuple[Kind, ...]] = (BOILERPLATE, REPEAT, REUSED, FORMULA)
"""In the order a character is explained: each character counts for the first kind that covers it."""

AgainstStatus = Literal["new", "reused", "partial", "boilerplate"]
"""A passage checked against an index with --against: statuses are only ever raised, up to boilerplate."""

DROPPED: Final = "dropped"
ReportedStatus = Literal["new", "reused", "partial", "boilerplate", "dropped"]
"""Any status a report gives a passage: a diff marks OLD's passages that NEW left out as dropped."""
