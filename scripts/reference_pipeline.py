"""A reference: reused passages found with datasketch and rapidfuzz the straightforward way, as a user would.

    python scripts/reference_pipeline.py CORPUS [--limit N] [--cutoff 90] [--threshold T]

CORPUS is a directory (every non-hidden file under it, read as UTF-8, in sorted order) or a JSONL
file (one {"id": ..., "text": ...} object per line). The pipeline, one call per item as the
libraries' documentation shows:

1. split: `reuse.text.segment.segment` into sentences (the same passages as `reuse scan`); then a
   user-style normalization of each passage, not the project's: NFKC, casefold, every run of
   characters other than letters and digits to one space. No OpenCC (Traditional and Simplified do
   not meet), no digit masking.
2. shingle: a passage with Han characters gives its character 4-grams (Han characters only,
   everything else dropped), any other its word 3-grams; a passage with fewer tokens than that gives
   one shingle of all of them, an empty one none (and takes no further part). Shingles are strings
   encoded to UTF-8 bytes.
3. minhash: one `datasketch.MinHash(num_perm=128)` per passage (datasketch's default hash, SHA-1
   32-bit, and scheme) and `update` per shingle.
4. lsh insert: one `MinHashLSH(num_perm=128, params=(32, 4))` (the bands and rows of
   `reuse.Settings`; `--threshold T` lets datasketch choose them instead), `insert` per passage.
5. lsh query: `query` per passage; every pair of two different passages returned is a candidate.
6. verify: `rapidfuzz.fuzz.ratio` of the two normalized passages, kept when ≥ --cutoff (90); the
   candidates of each passage are verified right after its query (timed apart) and only marks per
   passage are kept: a corpus that repeats paragraphs has far too many pairs to hold.
7. count: a passage is reused when a verified pair joins it to a passage of another document, and
   repeated when it joins it to another passage of its own document.

`run(documents)` takes (id, text) pairs (or objects with .id and .text, or bare strings) and returns
counts, per-document counts and seconds per stage; progress goes to standard error at most every 30
seconds and at the end of each stage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from reuse.settings import Settings
from reuse.text.segment import segment

NUM_PERM = 128
K_HAN, K_WORD = 4, 3
_NOT_WORD = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalize(text: str) -> str:
    """User-style: NFKC, casefold, runs of anything but letters and digits to one space."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def shingles(normalized: str) -> list[bytes]:
    """Character 4-grams of the Han characters, or word 3-grams when there are none."""
    if _HAN.search(normalized):
        tokens, k, sep = _HAN.findall(normalized), K_HAN, ""
    else:
        tokens, k, sep = _TOKEN.findall(normalized), K_WORD, " "
    if not tokens:
        return []
    if len(tokens) < k:
        return [sep.join(tokens).encode("utf-8")]
    return [sep.join(tokens[i : i + k]).encode("utf-8") for i in range(len(tokens) - k + 1)]


def _as_pairs(documents: Iterable[Any]) -> list[tuple[str, str]]:
    pairs = []
    for i, doc in enumerate(documents):
        if isinstance(doc, str):
            pairs.append((str(i), doc))
        elif isinstance(doc, tuple):
            pairs.append((str(doc[0]), doc[1]))
        else:
            pairs.append((str(doc.id), doc.text))
    return pairs


class _Progress:
    """Prints 'stage: done/total' to standard error at most every 30 seconds, and when the stage ends."""

    def __init__(self, stage: str, total: int, every: float = 30.0) -> None:
        self.stage, self.total, self.every = stage, total, every
        self.start = self.last = time.perf_counter()

    def tick(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.last >= self.every or done == self.total:
            self.last = now
            print(f"  {self.stage}: {done:,}/{self.total:,} ({now - self.start:.0f} s)", file=sys.stderr, flush=True)


def run(
    documents: Iterable[Any], cutoff: float = 90.0, threshold: float | None = None, progress: bool = True
) -> dict[str, Any]:
    """Reused and repeated passages of every document, with the seconds each stage took."""
    docs = _as_pairs(documents)
    seconds: dict[str, float] = {}

    def stage(name: str, total: int) -> _Progress | None:
        return _Progress(name, total) if progress else None

    # 1-2. split, normalize, shingle
    start = time.perf_counter()
    owner: list[int] = []  # document of each passage
    texts: list[str] = []
    shingle_sets: list[list[bytes]] = []
    p = stage("split and shingle", len(docs))
    for d, (doc_id, text) in enumerate(docs):
        for passage in segment(doc_id, text, "sentence"):
            normalized = normalize(passage.text)
            owner.append(d)
            texts.append(normalized)
            shingle_sets.append(shingles(normalized))
        if p:
            p.tick(d + 1)
    seconds["split and shingle"] = time.perf_counter() - start
    usable = [i for i, s in enumerate(shingle_sets) if s]

    # 3. one MinHash per passage, update per shingle
    start = time.perf_counter()
    minhashes: dict[int, MinHash] = {}
    p = stage("minhash", len(usable))
    for n, i in enumerate(usable, 1):
        m = MinHash(num_perm=NUM_PERM)
        for shingle in shingle_sets[i]:
            m.update(shingle)
        minhashes[i] = m
        if p:
            p.tick(n)
    seconds["minhash"] = time.perf_counter() - start

    # 4. LSH insert
    start = time.perf_counter()
    if threshold is None:
        settings = Settings()
        lsh = MinHashLSH(num_perm=NUM_PERM, params=(settings.bands, settings.rows))
    else:
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    p = stage("lsh insert", len(usable))
    for n, i in enumerate(usable, 1):
        lsh.insert(i, minhashes[i])
        if p:
            p.tick(n)
    seconds["lsh insert"] = time.perf_counter() - start

    # 5-6. LSH query per passage, then verify its candidates with rapidfuzz (no global set of pairs:
    # on a corpus that repeats paragraphs there are far too many). Each pair is taken from its first
    # passage (i < j).
    query_s = verify_s = 0.0
    n_candidates = n_verified = 0
    reused = bytearray(len(texts))  # matched in another document
    repeated = bytearray(len(texts))  # matched in its own document
    p = stage("lsh query and verify", len(usable))
    for n, i in enumerate(usable, 1):
        start = time.perf_counter()
        found = [j for j in lsh.query(minhashes[i]) if j > i]
        middle = time.perf_counter()
        n_candidates += len(found)
        text = texts[i]
        for j in found:
            if fuzz.ratio(text, texts[j], score_cutoff=cutoff):
                n_verified += 1
                marks = reused if owner[i] != owner[j] else repeated
                marks[i] = marks[j] = 1
        query_s += middle - start
        verify_s += time.perf_counter() - middle
        if p:
            p.tick(n)
    seconds["lsh query"], seconds["verify"] = query_s, verify_s

    # 7. count reused and repeated passages per document
    start = time.perf_counter()
    per_document = {doc_id: {"passages": 0, "reused": 0, "repeated": 0} for doc_id, _ in docs}
    for i, d in enumerate(owner):
        row = per_document[docs[d][0]]
        row["passages"] += 1
        row["reused"] += reused[i]
        row["repeated"] += repeated[i]
    seconds["count"] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())

    counts = {
        "documents": len(docs),
        "characters": sum(len(text) for _, text in docs),
        "passages": len(texts),
        "passages with shingles": len(usable),
        "shingles": sum(len(s) for s in shingle_sets),
        "candidate pairs": n_candidates,
        "verified pairs": n_verified,
        "reused passages": sum(reused),
        "repeated passages": sum(repeated),
        "documents with reuse": sum(1 for row in per_document.values() if row["reused"]),
    }
    return {"counts": counts, "per_document": per_document, "seconds": seconds}


def read_corpus(path: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(id, text) of the first `limit` documents of a directory (sorted, recursive) or a JSONL file."""

    def items() -> Iterator[tuple[str, str]]:
        if os.path.isdir(path):
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                for name in sorted(f for f in files if not f.startswith(".")):
                    full = os.path.join(directory, name)
                    with open(full, encoding="utf-8") as handle:
                        yield os.path.relpath(full, path), handle.read()
        else:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        row = json.loads(line)
                        yield str(row["id"]), row["text"]

    docs: list[tuple[str, str]] = []
    for item in items():
        if limit is not None and len(docs) >= limit:
            break
        docs.append(item)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a directory of text files or a JSONL file (id, text)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--cutoff", type=float, default=90.0, help="rapidfuzz ratio a candidate needs (default 90)")
    parser.add_argument("--threshold", type=float, default=None, help="let MinHashLSH choose bands for this Jaccard")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    args = parser.parse_args()
    if not os.path.exists(args.corpus):
        sys.exit(f"reference_pipeline: no such file or directory: {args.corpus}")
    start = time.perf_counter()
    docs = read_corpus(args.corpus, args.limit)
    read_s = time.perf_counter() - start
    if not docs:
        sys.exit(f"reference_pipeline: no documents in {args.corpus}")
    result = run(docs, cutoff=args.cutoff, threshold=args.threshold, progress=not args.quiet)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name, value in result["counts"].items():
        print(f"{name}: {value:,}")
    print(f"\n| stage | s | share |\n|---|---:|---:|\n| read (not in total) | {read_s:.2f} | |")
    total = result["seconds"]["total"]
    for name, value in result["seconds"].items():
        share = "" if name == "total" else f"{value / total:.0%}"
        print(f"| {name} | {value:.2f} | {share} |")
    passages = result["counts"]["passages"]
    print(f"\n{passages / total:,.0f} passages/s; peak memory {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
