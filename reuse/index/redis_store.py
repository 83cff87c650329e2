"""A shared index on a Redis server: several machines feed and query one index at once.

Built on the `redis` client rather than datasketch's Redis storage for MinHashLSH, which keeps one
Redis set per band key and talks to the server passage by passage: with 32 bands that is 32 keys
per passage (about 3 KB of server memory each) and tens of thousands of round trips per batch.
Here band entries live in sorted sets bucketed by the low bits of the 64-bit band key, as members
`band_key ‖ passage id` (16 bytes, big-endian), so a bucket look-up is one ZRANGEBYLEX with a limit
and small buckets stay in Redis's compact listpack encoding. The same holds for exact keys; how many
documents hold each exact key is a hash field. Batches are written by server-side scripts inside
one MULTI/EXEC transaction per batch: a document is either fully there or absent, and a document
being replaced is WATCHed, so concurrent writers never interleave halves of one document.

Keys, under PREFIX (default `reuse`): PREFIX:meta (hash), PREFIX:next (passage id counter),
PREFIX:docs (set of document ids), PREFIX:d:<id> (a document's first passage id, passages, chars),
PREFIX:p:<passage id> (a packed passage), PREFIX:b:<bucket> and PREFIX:x:<bucket> (band and
exact-key sorted sets), PREFIX:k:<bucket> (documents per exact key), PREFIX:n:passages, PREFIX:n:keys.
Redis Cluster is not supported (scripts name keys they compute). The connection is redis_connection's,
the scripts and the records they take redis_scripts'.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np

from reuse.errors import IndexStoreError
from reuse.index.redis_connection import RedisConnection, TLSHandshakeError
from reuse.index.redis_scripts import (
    BAND_BUCKETS,
    KEY_BUCKETS,
    band_blob,
    key_blob,
    load_scripts,
    queue_counts,
    queue_script,
)
from reuse.index.store import (
    IndexEntry,
    Stats,
    Store,
    StoredDocument,
    StoredPassage,
    batches,
    check_meta,
    meta_values,
)
from reuse.settings import Settings
from reuse.sketch.candidates import stable_band_keys
from reuse.version import __version__

_HEADER = struct.Struct(">IIIqIIII")  # index, start, end, key hash, lengths of doc id, norm, text, signature
_DOC = struct.Struct(">QII")  # first passage id, passages, characters
_CHUNK = 1000
BATCH = 5000  # passages per MULTI/EXEC: the server serves other clients between transactions

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn the client's errors, and records that do not parse, into one-line IndexStoreErrors naming the index."""

    @functools.wraps(method)
    def wrapper(self: RedisStore, *args: Any, **kwargs: Any) -> T:
        import redis

        try:
            return method(self, *args, **kwargs)
        except IndexStoreError:
            raise
        except (redis.exceptions.RedisError, TLSHandshakeError) as err:
            raise IndexStoreError(f"{self.spec}: {self.connection.reason(err)}") from None
        except (struct.error, UnicodeDecodeError, ValueError) as err:
            raise IndexStoreError(f"{self.spec}: corrupt index ({self.connection.scrubbed(str(err))})") from None

    return wrapper


def _unsigned(value: int) -> bytes:
    return struct.pack(">q", value)


class RedisStore(Store):
    def __init__(self, spec: str, mode: str, settings: Settings | None = None, force: bool = False) -> None:
        self.connection = RedisConnection(spec)
        self.r, self.prefix, self.spec = self.connection.client, self.connection.prefix, self.connection.spec
        self._open(mode, settings, force)

    def _key(self, *parts: object) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    @_guarded
    def _open(self, mode: str, settings: Settings | None, force: bool) -> None:
        meta = {k.decode(): v.decode() for k, v in self.r.hgetall(self._key("meta")).items()}
        if mode == "create":
            if meta and not force:
                raise IndexStoreError(
                    f"{self.spec}: index already exists; add documents with `reuse index add`, "
                    "or pass --force to build it anew"
                )
            if meta:
                self._refuse_unless_ours(meta)  # only ever delete what is a reuse index
            elif next(self._scan(), None) is not None:
                raise IndexStoreError(f"{self.spec}: keys under prefix {self.prefix!r} are not a reuse index")
            self._drop()
            if settings is None:
                raise ValueError("creating an index needs settings")
            values = {**meta_values(settings, __version__), "band_buckets": BAND_BUCKETS, "key_buckets": KEY_BUCKETS}
            self.r.hset(self._key("meta"), mapping=values)
            meta = {k: str(v) for k, v in values.items()}
        elif not meta:
            if next(self._scan(), None) is not None:
                raise IndexStoreError(f"{self.spec}: not a reuse index (keys under prefix {self.prefix!r}, no meta)")
            raise IndexStoreError(f"{self.spec}: no such index; create it with `reuse index build`")
        self.settings = check_meta(self.spec, meta)
        if (meta.get("band_buckets"), meta.get("key_buckets")) != (str(BAND_BUCKETS), str(KEY_BUCKETS)):
            raise IndexStoreError(f"{self.spec}: corrupt index (unexpected bucket counts in its meta)")
        self.scripts = load_scripts(self.r)

    def _refuse_unless_ours(self, meta: dict[str, str]) -> None:
        """--force replaces a reuse index of any schema version, even one whose meta is damaged: a meta hash
        with our schema version and creator fields. Anything else under the prefix is someone else's."""
        if "schema_version" not in meta or not meta.get("created_by", "").startswith("readout-reuse "):
            raise IndexStoreError(f"{self.spec}: keys under prefix {self.prefix!r} are not a reuse index")

    def _scan(self) -> Iterator[bytes]:
        pattern = "".join("\\" + c if c in "*?[]\\" else c for c in self.prefix) + ":*"
        return iter(self.r.scan_iter(match=pattern, count=10000))

    def _drop(self) -> None:
        batch: list[bytes] = []
        for key in self._scan():
            batch.append(key)
            if len(batch) >= 10000:
                self.r.unlink(*batch)
                batch = []
        if batch:
            self.r.unlink(*batch)

    # Writing -----------------------------------------------------------------------------------

    @_guarded
    def add(self, documents: Iterable[IndexEntry]) -> tuple[int, int]:
        written = replaced = 0
        for batch in batches(documents, BATCH):
            total = sum(doc.passages for doc in batch)
            last = int(self.r.incrby(self._key("next"), total)) if total else 0
            first = last - total + 1
            firsts = []
            for doc in batch:
                firsts.append(first)
                first += doc.passages
            doc_keys = [self._key("d", doc.id) for doc in batch]

            def write(pipe: Any, old: list[tuple[int, int, int] | None]) -> None:
                for doc, start, key in zip(batch, firsts, doc_keys, strict=True):  # noqa: B023 (called at once)
                    self._write(pipe, doc, start, key)

            old = self._replacing(doc_keys, write)
            written += len(batch)
            replaced += sum(1 for o in old if o is not None)
        return written, replaced

    def _write(self, pipe: Any, doc: IndexEntry, first: int, doc_key: str) -> None:
        pids = np.arange(first, first + doc.passages, dtype=np.int64)
        sigs = doc.signatures.astype(">u4", copy=False)
        records = {}
        doc_b = doc.id.encode("utf-8")
        for i, start, end, kh, key, text in doc.rows(0, doc.passages):
            norm_b, text_b = key.encode("utf-8"), text.encode("utf-8")
            sig_b = sigs[i].tobytes() if doc.usable[i] else b""
            header = _HEADER.pack(i, start, end, kh, len(doc_b), len(norm_b), len(text_b), len(sig_b))
            records[self._key("p", first + i)] = b"".join((header, doc_b, norm_b, text_b, sig_b))
        pipe.set(doc_key, _DOC.pack(first, doc.passages, doc.chars))
        pipe.sadd(self._key("docs"), doc.id)
        for lo in range(0, len(records), _CHUNK):
            pipe.mset(dict(list(records.items())[lo : lo + _CHUNK]))
        usable = np.flatnonzero(doc.usable)
        if usable.size:
            queue_script(
                pipe, self.scripts.zadd, self._key("b", ""), band_blob(doc.band_keys[usable], pids[usable]), 20
            )
        if doc.passages:
            queue_script(
                pipe, self.scripts.zadd, self._key("x", ""), key_blob(doc.key_hashes.tolist(), pids.tolist()), 20
            )
            self._counts(pipe, set(doc.key_hashes.tolist()), 1)
        pipe.incrby(self._key("n", "passages"), doc.passages)

    def _counts(self, pipe: Any, key_hashes: set[int], change: int) -> None:
        queue_counts(pipe, self.scripts.count, self._key("k", ""), self._key("n", "keys"), key_hashes, change)

    def _removal(self, reader: Any, old: tuple[int, int, int]) -> Callable[[Any], None]:
        """Read what removing a stored document takes (while watching it); the commands to queue."""
        first, count, _ = old
        pids = list(range(first, first + count))
        keys = [self._key("p", pid) for pid in pids]
        records = []
        for lo in range(0, len(keys), _CHUNK):
            records += reader.mget(keys[lo : lo + _CHUNK])
        parsed = [_parse(pid, rec) for pid, rec in zip(pids, records, strict=True) if rec is not None]
        signed = [(p, sig) for p, sig in parsed if sig]
        hashes = [p.key_hash for p, _ in parsed]

        def queue(pipe: Any) -> None:
            if signed:
                sigs = np.frombuffer(b"".join(sig for _, sig in signed), dtype=">u4").reshape(len(signed), -1)
                band_keys = stable_band_keys(sigs.astype(np.uint32), self.settings.bands, self.settings.rows)
                owners = np.array([p.pid for p, _ in signed], dtype=np.int64)
                queue_script(pipe, self.scripts.zrem, self._key("b", ""), band_blob(band_keys, owners), 20)
            if parsed:
                queue_script(
                    pipe, self.scripts.zrem, self._key("x", ""), key_blob(hashes, [p.pid for p, _ in parsed]), 20
                )
                self._counts(pipe, set(hashes), -1)
            for lo in range(0, len(keys), _CHUNK):
                pipe.delete(*keys[lo : lo + _CHUNK])
            pipe.incrby(self._key("n", "passages"), -count)

        return queue

    @_guarded
    def remove(self, doc_ids: Sequence[str]) -> list[str]:

        doc_keys = [self._key("d", d) for d in doc_ids]
        if not doc_keys:
            return []

        def forget(pipe: Any, old: list[tuple[int, int, int] | None]) -> None:
            present = [d for d, o in zip(doc_ids, old, strict=True) if o is not None]
            if present:
                pipe.delete(*[self._key("d", d) for d in present])
                pipe.srem(self._key("docs"), *present)

        old = self._replacing(doc_keys, forget)
        return [d for d, o in zip(doc_ids, old, strict=True) if o is None]

    def _replacing(
        self, doc_keys: list[str], then: Callable[[Any, list[tuple[int, int, int] | None]], None]
    ) -> list[tuple[int, int, int] | None]:
        """One transaction that removes the documents stored under doc_keys, then runs `then`; read
        again and retried when another writer changes one of them meanwhile (WATCH). Returns what was
        stored under each key before (None where nothing was)."""
        import redis

        while True:
            with self.r.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(*doc_keys)
                    old = [_DOC.unpack(v) if v else None for v in pipe.mget(doc_keys)]
                    removals = [self._removal(pipe, o) for o in old if o is not None]
                    pipe.multi()
                    for removal in removals:
                        removal(pipe)
                    then(pipe, old)
                    pipe.execute()
                except redis.exceptions.WatchError:
                    continue  # another writer changed one of these documents: read again
                return old

    # Reading -----------------------------------------------------------------------------------

    @_guarded
    def stats(self, check: bool = False) -> Stats:
        meta = {k.decode(): v.decode() for k, v in self.r.hgetall(self._key("meta")).items()}
        with self.r.pipeline(transaction=True) as pipe:
            pipe.scard(self._key("docs"))
            pipe.get(self._key("n", "passages"))
            pipe.get(self._key("n", "keys"))
            documents, passages, keys = pipe.execute()
        used = int(self.r.info("memory")["used_memory"])
        stats = Stats(
            self.spec,
            "redis",
            int(meta["schema_version"]),
            meta["fingerprint"],
            self.settings.as_dict(),
            meta.get("created_by", ""),
            int(documents),
            int(passages or 0),
            int(keys or 0),
            used,
        )
        if check:
            stats.problems = self._problems(stats)
        return stats

    def _problems(self, stats: Stats) -> list[str]:
        problems = []
        ids = [m.decode("utf-8") for m in self.r.smembers(self._key("docs"))]
        total, records = 0, 0
        for doc_id in ids:
            raw = self.r.get(self._key("d", doc_id))
            if raw is None:
                problems.append(f"document {doc_id!r} listed but has no record")
                continue
            first, count, _ = _DOC.unpack(raw)
            total += count
            records += sum(self.r.exists(self._key("p", pid)) for pid in range(first, first + count))
        stored = sum(1 for _ in self.r.scan_iter(match=self._key("p", "*"), count=10000))
        if total != stats.passages or stored != total or records != total:
            problems.append(
                f"{stored} passage records, documents account for {total}, the counter says {stats.passages}"
            )
        return problems

    @_guarded
    def band_members(self, band_keys: Sequence[int], cap: int) -> dict[int, list[int]]:
        return self._members("b", BAND_BUCKETS, band_keys, cap)

    @_guarded
    def key_members(self, key_hashes: Sequence[int], cap: int) -> dict[int, list[int]]:
        return self._members("x", KEY_BUCKETS, key_hashes, cap)

    def _members(self, kind: str, buckets: int, keys: Sequence[int], cap: int) -> dict[int, list[int]]:
        unique = sorted(set(keys))
        out: dict[int, list[int]] = {}
        for lo in range(0, len(unique), 20000):
            chunk = unique[lo : lo + 20000]
            blob = np.array(chunk, dtype=">i8").tobytes()
            replies = self.r.evalsha(self.scripts.lookup.sha, 0, self._key(kind, ""), buckets, cap, blob)
            for key, members in zip(chunk, replies, strict=True):
                if members:
                    pids = np.frombuffer(members, dtype=">u8").reshape(-1, 2)[:, 1]
                    out[key] = pids.astype(np.int64).tolist()
        return out

    @_guarded
    def key_documents(self, key_hashes: Sequence[int]) -> dict[int, int]:
        unique = sorted(set(key_hashes))
        with self.r.pipeline(transaction=False) as pipe:
            for key in unique:
                pipe.hget(self._key("k", (key & 0xFFFFFFFFFFFFFFFF) & (KEY_BUCKETS - 1)), _unsigned(key))
            replies = pipe.execute()
        return {key: int(v) for key, v in zip(unique, replies, strict=True) if v is not None}

    @_guarded
    def passages(self, pids: Sequence[int]) -> dict[int, StoredPassage]:
        unique = sorted(set(pids))
        out: dict[int, StoredPassage] = {}
        for lo in range(0, len(unique), _CHUNK):
            chunk = unique[lo : lo + _CHUNK]
            for pid, record in zip(chunk, self.r.mget([self._key("p", p) for p in chunk]), strict=True):
                if record is not None:
                    out[pid] = _parse(pid, record)[0]
        return out

    @_guarded
    def document(self, doc_id: str) -> StoredDocument | None:
        raw = self.r.get(self._key("d", doc_id))
        if raw is None:
            return None
        first, count, _ = _DOC.unpack(raw)
        stored = self.passages(range(first, first + count))
        return StoredDocument(first, count, frozenset(p.key_hash for p in stored.values()))

    def close(self) -> None:
        self.connection.close()


def _parse(pid: int, record: bytes) -> tuple[StoredPassage, bytes]:
    """A packed passage record: the passage and its signature bytes (empty when it has none)."""
    index, start, end, kh, n_doc, n_norm, n_text, n_sig = _HEADER.unpack_from(record)
    at = _HEADER.size
    doc = record[at : at + n_doc].decode("utf-8")
    at += n_doc
    norm = record[at : at + n_norm].decode("utf-8")
    at += n_norm
    text = record[at : at + n_text].decode("utf-8")
    at += n_text
    sig = record[at : at + n_sig]
    if len(sig) != n_sig:
        raise ValueError(f"passage {pid}: truncated record")
    return StoredPassage(pid, doc, index, start, end, norm, kh, text), sig
