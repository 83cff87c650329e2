"""What an index stores, whatever holds it: prepared documents in, passages and look-ups out.

Both backends (SQLite, Redis) keep the same things and answer the same questions, so that queries
give identical output on either: documents with consecutive passage ids, each passage's offsets,
original and normalized text, MinHash signature, LSH band keys (candidates.stable_band_keys) and a
64-bit hash of its exact-match key, and for every exact key the number of documents that hold it.
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from reuse.errors import IndexStoreError, SettingsError
from reuse.settings import ALGORITHM_VERSION, FIELDS, Settings
from reuse.sketch.candidates import stable_band_keys
from reuse.sketch.keys import passage_key
from reuse.sketch.prepared import PreparedDocument

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11 on

SCHEMA_VERSION = 1
"""Bumped whenever what an index holds, or how, changes; an index of another version is refused."""

BATCH_ENV = "REUSE_INDEX_BATCH"
"""Environment variable: passages per write transaction, overriding a backend's default (tests use it)."""


@dataclass(frozen=True)
class IndexEntry:
    """What an index stores of a document (and what a query looks up), computed once from its preparation.

    Arrays and the two texts, not a list per passage: a passage's text and key are sliced when a
    block of rows is written (`rows`), so that a big document's entry holds its texts once, not again
    as hundreds of thousands of strings (about 600 MB at 100 MB of text)."""

    id: str
    text: str
    normalized: str
    """The normalized text, of which each passage's key is a range (see `key`)."""
    starts: np.ndarray
    """Original start of each passage (int32); ends alike."""
    ends: np.ndarray
    key_starts: np.ndarray
    """Each passage's range in the normalized text (int32): its exact-match key, unless empty."""
    key_ends: np.ndarray
    key_hashes: np.ndarray
    """key_hash of each passage's key (int64)."""
    signatures: np.ndarray
    """(passages, num_perm) uint32."""
    usable: np.ndarray
    """Passages with shingles: only they have a meaningful signature and band keys."""
    band_keys: np.ndarray
    """(passages, bands) int64; rows of unusable passages are never written."""

    @property
    def passages(self) -> int:
        return int(self.starts.size)

    @property
    def chars(self) -> int:
        return len(self.text)

    def key(self, i: int) -> str:
        return passage_key(
            self.normalized,
            int(self.key_starts[i]),
            int(self.key_ends[i]),
            self.text,
            int(self.starts[i]),
            int(self.ends[i]),
        )

    def rows(self, lo: int, hi: int) -> Iterator[tuple[int, int, int, int, str, str]]:
        """(index, start, end, key hash, key, text) of passages lo to hi, as Python values."""
        text = self.text
        for i, start, end, kh in zip(
            range(lo, hi),
            self.starts[lo:hi].tolist(),
            self.ends[lo:hi].tolist(),
            self.key_hashes[lo:hi].tolist(),
            strict=True,
        ):
            yield i, start, end, kh, self.key(i), text[start:end]


def index_entry(prepared: PreparedDocument) -> IndexEntry:
    """What the index stores of a prepared document (computed from it once: the rows to write, or to look up).

    The preparation's shingles are let go once signed (computed again if asked for): an entry needs
    only the signatures, and on a big document the shingles and their tokens outweigh them."""
    settings = prepared.settings
    usable = prepared.passages_with_shingles()
    signatures = prepared.signatures()
    prepared.shed("_shingles")
    normalized, text = prepared.normalized.text, prepared.document.text
    key_starts, key_ends, starts, ends = prepared.range_starts, prepared.range_ends, prepared.starts, prepared.ends
    key_hashes = prepared.key_hashes()
    return IndexEntry(
        id=prepared.document.id,
        text=text,
        normalized=normalized,
        starts=starts,
        ends=ends,
        key_starts=key_starts,
        key_ends=key_ends,
        key_hashes=key_hashes,
        signatures=signatures,
        usable=usable,
        band_keys=stable_band_keys(signatures, settings.bands, settings.rows),
    )


@dataclass(frozen=True)
class StoredPassage:
    """A passage as an index gives it back to a query."""

    pid: int
    doc: str
    index: int
    start: int
    end: int
    key: str
    key_hash: int
    text: str

    @property
    def norm_text(self) -> str:
        """The normalized text verification compares ('' for a passage without letters or digits)."""
        return "" if self.key.startswith("\x00") else self.key


@dataclass(frozen=True)
class StoredDocument:
    """Where a stored document's passages are (consecutive ids) and its exact-key hashes."""

    first: int
    passages: int
    key_hashes: frozenset[int]

    def holds(self, pid: int) -> bool:
        return self.first <= pid < self.first + self.passages


@dataclass
class Stats:
    spec: str
    backend: str
    schema_version: int
    fingerprint: str
    settings: dict[str, object]
    created_by: str
    documents: int
    passages: int
    keys: int
    """Distinct exact-match keys."""
    size_bytes: int
    """File size (SQLite, with its WAL) or memory used by the whole Redis database."""
    problems: list[str] = field(default_factory=list)
    """Inconsistencies found by a check (empty when none was asked for, or none found)."""


def meta_values(settings: Settings, version: str) -> dict[str, str]:
    return {
        "schema_version": str(SCHEMA_VERSION),
        "fingerprint": settings.fingerprint(),
        "settings": json.dumps(settings.as_dict(), sort_keys=True),
        "algorithm_version": str(ALGORITHM_VERSION),
        "created_by": f"readout-reuse {version}",
    }


def check_meta(spec: str, meta: dict[str, str]) -> Settings:
    """The settings of an index from its meta values; refuse other schema versions with what to do."""
    try:
        version = int(meta["schema_version"])
    except (KeyError, ValueError):
        raise IndexStoreError(f"{spec}: not a reuse index (no schema version)") from None
    made_by = meta.get("created_by", "an unknown version")
    if version < SCHEMA_VERSION:
        raise IndexStoreError(
            f"{spec}: index schema version {version} (written by {made_by}) is older than this reuse's "
            f"({SCHEMA_VERSION}); build the index again with `reuse index build --force`"
        )
    if version > SCHEMA_VERSION:
        raise IndexStoreError(
            f"{spec}: index schema version {version} (written by {made_by}) is newer than this reuse's "
            f"({SCHEMA_VERSION}); upgrade readout-reuse to use it"
        )
    return stored_settings(spec, meta)


def stored_settings(spec: str, meta: dict[str, str]) -> Settings:
    """The settings an index was built with, refused unless they are exactly this reuse's kind.

    An index of another version of reuse may store fewer settings (fields added since) or more (fields
    since removed): what is there is read, and the refusal names the difference, so that it reads as
    settings to rebuild with, not as a damaged file.
    """
    try:
        values = json.loads(meta["settings"])
    except (KeyError, ValueError) as err:
        raise IndexStoreError(f"{spec}: corrupt index: its settings cannot be read ({err})") from None
    if not isinstance(values, dict):
        raise IndexStoreError(f"{spec}: corrupt index: its settings cannot be read (not a JSON object)")
    missing = [name for name in FIELDS if name not in values]
    unknown = sorted(name for name in values if name not in FIELDS)
    try:
        settings = Settings(**{name: value for name, value in values.items() if name in FIELDS})
    except (SettingsError, TypeError) as err:
        raise IndexStoreError(f"{spec}: corrupt index: its settings cannot be read ({err})") from None
    if missing or unknown or settings.fingerprint() != meta.get("fingerprint"):
        differ = "".join(
            f"; {what}: {', '.join(names)}"
            for what, names in (("settings it lacks", missing), ("settings this reuse does not know", unknown))
            if names
        )
        raise IndexStoreError(
            f"{spec}: index built with other settings or by another algorithm version (fingerprint "
            f"{meta.get('fingerprint')}, algorithm {meta.get('algorithm_version')}; this reuse has algorithm "
            f"{ALGORITHM_VERSION}{differ}); build the index again with `reuse index build --force`"
        )
    return settings


def check_settings(spec: str, stored: Settings, wanted: Settings) -> None:
    """Refuse to add to or query an index with settings other than its own, saying which differ."""
    if stored.fingerprint() == wanted.fingerprint():
        return
    theirs, ours = stored.as_dict(), wanted.as_dict()
    differ = ", ".join(f"{k} {theirs[k]!r} in the index, {ours[k]!r} here" for k in theirs if theirs[k] != ours[k])
    raise IndexStoreError(
        f"{spec}: index built with other settings (fingerprint {stored.fingerprint()}, "
        f"here {wanted.fingerprint()}: {differ}); use the index's settings or build another index"
    )


def batches(documents: Iterable[IndexEntry], size: int) -> Iterator[list[IndexEntry]]:
    """Documents grouped into write transactions of about size passages (never splitting a document)."""
    size = int(os.environ.get(BATCH_ENV) or size)
    batch: list[IndexEntry] = []
    count = 0
    for doc in documents:
        batch.append(doc)
        count += doc.passages
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


class Store(ABC):
    """A persistent index. Every write of a document is atomic; an id already there is replaced."""

    spec: str
    """The index as messages and reports show it: display_spec's form, no password (the connection keeps it)."""
    settings: Settings

    @abstractmethod
    def add(self, documents: Iterable[IndexEntry]) -> tuple[int, int]:
        """Write documents (replacing ids already there); (documents written, of which replaced)."""

    @abstractmethod
    def remove(self, doc_ids: Sequence[str]) -> list[str]:
        """Remove documents; the ids that were not in the index."""

    @abstractmethod
    def stats(self, check: bool = False) -> Stats:
        """Counts and settings; with check, also look for inconsistencies (slow on big indexes)."""

    @abstractmethod
    def band_members(self, band_keys: Sequence[int], cap: int) -> dict[int, list[int]]:
        """For each band key, the ids of at most cap passages holding it, lowest ids first."""

    @abstractmethod
    def key_members(self, key_hashes: Sequence[int], cap: int) -> dict[int, list[int]]:
        """For each exact-key hash, the ids of at most cap passages with that key, lowest first."""

    @abstractmethod
    def key_documents(self, key_hashes: Sequence[int]) -> dict[int, int]:
        """For each exact-key hash, how many documents hold a passage with that key (absent: none)."""

    @abstractmethod
    def passages(self, pids: Sequence[int]) -> dict[int, StoredPassage]:
        """Stored passages by id."""

    @abstractmethod
    def document(self, doc_id: str) -> StoredDocument | None:
        """A stored document's passage ids and exact keys; None when the id is not in the index."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
