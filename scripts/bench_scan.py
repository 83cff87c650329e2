"""Scale of `reuse scan`: wall time, peak memory, passages per second, and boilerplate quality.

    python scripts/bench_scan.py [--docs 10000] [--seed 7] [--jobs N] [--reference]

Builds the synthetic corpus of scripts/synthetic.py under bench-out/ (deterministic), runs
`reuse scan --format json` on it as a whole command in a fresh process, and prints wall time, peak
memory, passages per second, and precision and recall of the boilerplate it reports against the
furniture lines the generator recorded. Peak memory is the largest sum, sampled every 200 ms, of the
proportional set size (PSS) of the command and all its worker processes: pages a forked worker
shares with its parent count once. The largest single process's maximum RSS is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from synthetic import generate

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def score(report: dict, truth_path: str, docs_dir: str) -> tuple[float, float, int]:
    """Line-level precision and recall: a line is predicted boilerplate when boilerplate covers most of it."""
    covered: dict[str, list[tuple[int, int]]] = {}
    for family in report["families"]:
        if family["kind"] == "boilerplate":
            for m in family["members"]:
                covered.setdefault(os.path.relpath(m["doc"], docs_dir), []).append((m["start"], m["end"]))
    truth: dict[str, set[tuple[int, int]]] = {}
    with open(truth_path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            truth.setdefault(row["doc"], set()).add((row["start"], row["end"]))
    tp = fp = fn = lines = 0
    for doc in sorted(truth):
        with open(os.path.join(docs_dir, doc), encoding="utf-8") as handle:
            text = handle.read()
        spans = covered.get(doc, [])
        position = 0
        for line in text.split("\n"):
            start, end = position, position + len(line)
            position = end + 1
            if not line.strip():
                continue
            lines += 1
            inside = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
            predicted = inside * 2 > len(line.strip())
            actual = (start, end) in truth[doc]
            tp += predicted and actual
            fp += predicted and not actual
            fn += actual and not predicted
    return tp / max(1, tp + fp), tp / max(1, tp + fn), lines


def _tree(pid: int) -> list[int]:
    """pid and all its descendants, from /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (a forked worker's view of the corpus) counted once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command: list[str], quiet: bool = False) -> tuple[float, float]:
    """Run a command; return wall seconds and the peak memory of its whole process tree (MB, summed PSS)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL if quiet else None)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kb(p) for p in _tree(process.pid)))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    return seconds, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=None, help="passed to reuse scan (default: all cores)")
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also time scripts/reference_pipeline.py (datasketch + rapidfuzz, one call per passage) on the same corpus",
    )
    args = parser.parse_args()
    out = os.path.join(ROOT, "bench-out", f"synthetic-{args.docs}-{args.seed}")
    docs_dir = os.path.join(out, "docs")
    if not os.path.isdir(docs_dir):
        chars = generate(out, args.docs, args.seed)
    else:
        chars = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(docs_dir) for f in fs)
    report_path = os.path.join(out, "scan.json")
    command = [sys.executable, "-m", "reuse", "scan", "--format", "json", "-o", report_path, docs_dir]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    seconds, peak_mb = run_measured(command)
    largest_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    passages = report["summary"]["passages"]
    precision, recall, lines = score(report, os.path.join(out, "truth.jsonl"), docs_dir)
    jobs = args.jobs or len(os.sched_getaffinity(0))
    print(
        "| documents | characters | passages | jobs | wall s | peak MB (all processes) | largest process MB "
        "| passages/s | boilerplate precision | recall |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.docs:,} | {report['summary']['characters']:,} | {passages:,} | {jobs} | {seconds:.1f} | "
        f"{peak_mb:.0f} | {largest_mb:.0f} | {passages / seconds:,.0f} | {precision:.3f} | {recall:.3f} |"
    )
    print(f"({lines:,} lines scored; families: {report['summary']['families']})")
    if args.reference:
        reference = [sys.executable, os.path.join(ROOT, "scripts", "reference_pipeline.py"), "--quiet", docs_dir]
        ref_seconds, ref_mb = run_measured(reference, quiet=True)
        print(
            f"reference pipeline (datasketch MinHash + MinHashLSH + rapidfuzz, one process) on the same corpus: "
            f"{ref_seconds:.1f} s wall, peak {ref_mb:.0f} MB; reuse scan is {ref_seconds / seconds:.1f}x faster"
        )
    del chars


if __name__ == "__main__":
    main()
