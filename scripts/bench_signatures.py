"""Speed of our MinHash signatures against datasketch's own `MinHash.bulk`, values checked identical.

    python scripts/bench_signatures.py [--repeat 5]

Analyzes every file of ../shared/corpora/xinwenlianbo and seeds/ with `reuse.sketch.prepared.prepare` and the
default Settings, and takes each passage's shingle hashes (32-bit integers). Then, in the same run:

- datasketch: `MinHash.bulk(per_passage_lists, num_perm, seed, hashfunc=identity)`, the documented
  bulk API, scheme affine32 (datasketch's default), the hashes fed as Python ints through an identity
  hashfunc exactly as tests/test_signature.py does;
- ours: `reuse.sketch.signature.signatures(hashes, owners, n, num_perm, seed)` on the concatenated arrays.

The inputs are prepared before the clocks start for both sides (per-passage lists of Python ints for
datasketch, arrays for ours), so only the signing itself is timed. Each timing is the best of
--repeat runs. Exits with status 1 when any passage's values differ, and with status 2 when the
corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)
CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "xinwenlianbo")

from reuse.load.document import load_document
from reuse.settings import Settings
from reuse.sketch.prepared import prepare
from reuse.sketch.signature import signatures


def _identity(value: int) -> int:
    return value


def inputs(settings: Settings) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Shingle hashes of every passage of the corpus and the seeds: (hashes, owners, passages, files)."""
    if not os.path.isdir(CORPUS):
        sys.exit(f"bench_signatures: the development corpus is absent ({os.path.normpath(CORPUS)}); nothing measured")
    paths = [os.path.join(CORPUS, name) for name in sorted(os.listdir(CORPUS))]
    seeds = os.path.join(ROOT, "seeds")
    paths += [os.path.join(seeds, name) for name in sorted(os.listdir(seeds))]
    hashes, owners, offset = [], [], 0
    for path in paths:
        prepared = prepare(load_document(path), settings)
        shingles = prepared.shingles()
        hashes.append(shingles.hashes)
        owners.append(shingles.passages.astype(np.int64) + offset)
        offset += len(prepared)
    return np.concatenate(hashes), np.concatenate(owners), offset, len(paths)


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings per side; the best is kept (default 5)")
    args = parser.parse_args()
    settings = Settings()
    hashes, owners, n, files = inputs(settings)
    bounds = np.searchsorted(owners, np.arange(n + 1))
    per_passage = [hashes[bounds[i] : bounds[i + 1]].tolist() for i in range(n)]  # empty passages included

    from datasketch import MinHash

    kwargs = {"num_perm": settings.num_perm, "seed": settings.seed, "hashfunc": _identity}
    theirs_s, theirs = best_of(args.repeat, lambda: MinHash.bulk(per_passage, **kwargs))
    ours_s, ours = best_of(args.repeat, lambda: signatures(hashes, owners, n, settings.num_perm, settings.seed))

    assert isinstance(theirs, list) and isinstance(ours, np.ndarray)
    expected = np.stack([m.hashvalues for m in theirs])
    differing = np.flatnonzero((expected != ours).any(axis=1))
    if differing.size:
        print(f"MISMATCH: {differing.size} of {n} passages differ from datasketch (first: passage {differing[0]})")
        sys.exit(1)

    empty = int(np.sum(np.diff(bounds) == 0))
    print(
        f"{files} files, {n:,} passages ({empty:,} without shingles), {hashes.size:,} shingles; "
        f"num_perm={settings.num_perm}, seed={settings.seed}; best of {args.repeat}"
    )
    print(f"values identical to datasketch on all {n:,} passages\n")
    print("| signer | s | passages/s | shingles/s |\n|---|---:|---:|---:|")
    for label, seconds in (("datasketch MinHash.bulk", theirs_s), ("reuse.sketch.signature.signatures", ours_s)):
        print(f"| {label} | {seconds:.4f} | {n / seconds:,.0f} | {hashes.size / seconds:,.0f} |")
    print(f"\nours / datasketch speed ratio: {theirs_s / ours_s:.1f}x (target: at least 5x)")


if __name__ == "__main__":
    main()
