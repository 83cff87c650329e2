"""The server-side scripts a Redis index is written and read with, and the packed records they take.

Band entries and exact keys live in sorted sets bucketed by the low bits of the 64-bit key, as members
`key ‖ passage id` (16 bytes, big-endian); how many documents hold each exact key is a hash field. A
script applies a whole blob of such records in one call, so a batch costs a few round trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

BAND_BUCKETS = 1 << 19
KEY_BUCKETS = 1 << 15

# ARGV[1]: key prefix; ARGV[2]: records of a 4-byte bucket and a 16-byte member.
ZADD_MANY = """
local p, blob = ARGV[1], ARGV[2]
for i = 1, #blob, 20 do
  redis.call('ZADD', p .. struct.unpack('>I4', blob, i), 0, string.sub(blob, i + 4, i + 19))
end
return #blob / 20
"""
ZREM_MANY = ZADD_MANY.replace(
    "'ZADD', p .. struct.unpack('>I4', blob, i), 0,", "'ZREM', p .. struct.unpack('>I4', blob, i),"
)
# ARGV[1]: key prefix; ARGV[2]: counter of distinct keys; ARGV[3]: records of a 4-byte bucket,
# an 8-byte field and a signed 4-byte change. Fields that reach 0 are deleted.
COUNT_MANY = """
local p, counter, blob = ARGV[1], ARGV[2], ARGV[3]
for i = 1, #blob, 16 do
  local key = p .. struct.unpack('>I4', blob, i)
  local field = string.sub(blob, i + 4, i + 11)
  local change = struct.unpack('>i4', blob, i + 12)
  local now = redis.call('HINCRBY', key, field, change)
  if now <= 0 then
    redis.call('HDEL', key, field)
    redis.call('INCRBY', counter, -1)
  elseif now == change then
    redis.call('INCRBY', counter, 1)
  end
end
return #blob / 16
"""

# ARGV[1]: key prefix; ARGV[2]: buckets (a power of two ≤ 2²⁴); ARGV[3]: cap; ARGV[4]: 8-byte keys.
# For each key, its members (16 bytes each) concatenated: one round trip for a whole readout.
LOOKUP = """
local p, buckets, cap, blob = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local out = {}
for i = 1, #blob, 8 do
  local k = string.sub(blob, i, i + 7)
  local b6, b7, b8 = string.byte(k, 6, 8)
  local bucket = (b6 * 65536 + b7 * 256 + b8) % buckets
  local found = redis.call('ZRANGEBYLEX', p .. bucket, '[' .. k, '[' .. k .. string.rep('\\255', 8), 'LIMIT', 0, cap)
  out[#out + 1] = table.concat(found)
end
return out
"""

# Records per script run: runs stay short, so that other clients are served between them.
_RECORDS_PER_RUN = 20000


class Scripts(NamedTuple):
    """The scripts as registered with a client, each loaded on the server (its .sha)."""

    zadd: Any
    zrem: Any
    count: Any
    lookup: Any


def load_scripts(client: Any) -> Scripts:
    scripts = Scripts(*(client.register_script(text) for text in (ZADD_MANY, ZREM_MANY, COUNT_MANY, LOOKUP)))
    for script in scripts:
        script.sha = client.script_load(script.script)
    return scripts


def queue_script(pipe: Any, script: Any, prefix: str, blob: bytes, width: int) -> None:
    """Queue script runs over blob's records (width bytes each) in bounded runs."""
    step = width * _RECORDS_PER_RUN
    for lo in range(0, len(blob), step):
        pipe.evalsha(script.sha, 0, prefix, blob[lo : lo + step])


def queue_counts(pipe: Any, script: Any, prefix: str, counter: str, key_hashes: set[int], change: int) -> None:
    """Queue COUNT_MANY runs changing the document count of each key by change."""
    blob = count_blob(key_hashes, change)
    for lo in range(0, len(blob), 16 * _RECORDS_PER_RUN):
        pipe.evalsha(script.sha, 0, prefix, counter, blob[lo : lo + 16 * _RECORDS_PER_RUN])


def band_blob(band_keys: np.ndarray, pids: np.ndarray) -> bytes:
    """Records (bucket, band key ‖ pid) for ZADD_MANY/ZREM_MANY; band_keys (n, bands), pids (n,)."""
    keys = band_keys.ravel().view(np.uint64)
    owners = np.repeat(pids.astype(np.uint64), band_keys.shape[1])
    record = np.zeros(keys.size, dtype=[("bucket", ">u4"), ("key", ">u8"), ("pid", ">u8")])
    record["bucket"] = keys & np.uint64(BAND_BUCKETS - 1)
    record["key"], record["pid"] = keys, owners
    return record.tobytes()


def key_blob(key_hashes: Sequence[int], pids: Sequence[int]) -> bytes:
    """Records (bucket, exact key ‖ pid) for ZADD_MANY/ZREM_MANY."""
    keys = np.array(key_hashes, dtype=np.int64).view(np.uint64)
    record = np.zeros(keys.size, dtype=[("bucket", ">u4"), ("key", ">u8"), ("pid", ">u8")])
    record["bucket"] = keys & np.uint64(KEY_BUCKETS - 1)
    record["key"], record["pid"] = keys, np.array(pids, dtype=np.uint64)
    return record.tobytes()


def count_blob(key_hashes: Iterable[int], change: int) -> bytes:
    """Records (bucket, exact key, change) for COUNT_MANY."""
    keys = np.array(sorted(key_hashes), dtype=np.int64).view(np.uint64)
    record = np.zeros(keys.size, dtype=[("bucket", ">u4"), ("key", ">u8"), ("change", ">i4")])
    record["bucket"] = keys & np.uint64(KEY_BUCKETS - 1)
    record["key"], record["change"] = keys, change
    return record.tobytes()
