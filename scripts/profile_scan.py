"""Where a corpus scan spends its time, stage by stage (pyinstrument).

    python scripts/profile_scan.py [--docs 1000] [--seed 7] [--code OTHER_CHECKOUT]

Runs the library's scan of the synthetic corpus of scripts/synthetic.py (built under bench-out/ if
missing) in one process (jobs=1, so that every stage is seen by the sampler), and prints a table of
the time of each stage: every sampled frame's own time goes to the innermost stage it runs in.
With --jobs N the same work is spread over N processes; this table is what each one does.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import time
from collections import defaultdict

from pyinstrument import Profiler
from pyinstrument.frame import Frame

sys.path.insert(0, os.path.dirname(__file__))
from synthetic import generate

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# Function name → stage. The innermost named function a sample is in decides its stage.
STAGES: dict[str, str] = {
    "load_corpus": "read and decode files",
    "prepare": "per-document glue (ranges, weights, arrays)",
    "normalize": "normalization (other than OpenCC)",
    "_convert_script": "normalization: OpenCC script conversion",
    "segment": "segmentation (paragraphs, sentences, languages)",
    "segment_bounds": "segmentation (paragraphs, sentences, languages)",
    "languages": "segmentation (paragraphs, sentences, languages)",
    "tokenize": "shingling (tokens, k-grams, hashes)",
    "shingles": "shingling (tokens, k-grams, hashes)",
    "frequent_hashes": "shingle document frequencies",
    "signatures": "MinHash signatures",
    "unit_band_keys": "LSH (band keys, buckets, pairs)",
    "pairs_within_groups": "LSH (band keys, buckets, pairs)",
    "one_line": "verification (near-duplicate lines)",
    "_groups": "grouping (exact keys, union-find)",
    "unit_decisions": "classification (boilerplate or content)",
    "paragraph_units": "units (lines and sentences)",
    "sentence_units": "units (lines and sentences)",
    "add": "units (lines and sentences)",
    "line_core": "units (lines and sentences)",
    "is_headline": "units (lines and sentences)",
    "_scan": "per-document glue (ranges, weights, arrays)",
    "_scan_one": "per-document glue (ranges, weights, arrays)",
    "_spans_of": "spans (chains of shared shingles)",
    "_span_families": "spans (chains of shared shingles)",
    "_describe": "family texts and templates",
    "_report": "per-document shares",
    "explained_ranges": "per-document shares",
    "removals": "per-document shares",
    "render_json": "JSON report",
    # Names of the same stages before reuse/group was split into modules (for --code of an older checkout).
    "_band_keys": "LSH (band keys, buckets, pairs)",
    "_classify": "classification (boilerplate or content)",
    "_paragraph_units": "units (lines and sentences)",
    "_core": "units (lines and sentences)",
    "_headline": "units (lines and sentences)",
    "_document_spans": "spans (chains of shared shingles)",
}


def attribute(frame: Frame, stage: str, totals: dict[str, float]) -> None:
    stage = STAGES.get(frame.function, stage)
    own = frame.time - sum(child.time for child in frame.children)
    totals[stage] += max(own, 0.0)
    for child in frame.children:
        attribute(child, stage, totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--code", default=ROOT, help="project root whose reuse package to profile (another checkout, for before/after)"
    )
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.code))
    from reuse.commands.scan import scan
    from reuse.load.corpus import InputOptions, load_corpus
    from reuse.reports.scan import render_json

    out = os.path.join(ROOT, "bench-out", f"synthetic-{args.docs}-{args.seed}")
    docs_dir = os.path.join(out, "docs")
    if not os.path.isdir(docs_dir):
        generate(out, args.docs, args.seed)
    profiler = Profiler(interval=0.002)
    start = time.perf_counter()
    profiler.start()
    corpus = load_corpus([docs_dir], InputOptions())
    # The session's starting commit had no jobs argument; the profile compares against it too.
    result = scan(corpus, jobs=1) if "jobs" in inspect.signature(scan).parameters else scan(corpus)
    render_json(result)
    profiler.stop()
    wall = time.perf_counter() - start
    totals: dict[str, float] = defaultdict(float)
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is not None:
        attribute(root, "other (interpreter, imports, glue)", totals)
    total = sum(totals.values())
    print(f"scan of {args.docs:,} synthetic readouts in one process: {wall:.1f} s wall (profiled)")
    print("| stage | seconds | share |")
    print("|---|---:|---:|")
    for stage, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
