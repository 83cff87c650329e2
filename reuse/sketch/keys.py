"""A passage's exact-match key (its normalized text, or its shape when that is empty) and the stable 64-bit
hash of it that diff joins on and an index stores."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def fallback_key(text: str) -> str:
    """Key of a passage with no letters or digits (---, ■): its compatibility form, spaces folded."""
    return "\x00" + re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash of a passage's exact-match key (an SQLite INTEGER in an index)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def passage_key(normalized: str, lo: int, hi: int, text: str, start: int, end: int) -> str:
    """Exact-match key of the passage text[start:end], normalized as normalized[lo:hi]: its normalized
    text, or its shape when that is empty."""
    return normalized[lo:hi] or fallback_key(text[start:end])
