"""Scale of `reuse clean`'s write stage: documents per second at growing corpus sizes (it must stay flat).

    python scripts/bench_clean.py [--docs 500 1000 2000] [--seed 7] [--jobs 1]

For each size, builds the synthetic corpus of scripts/synthetic.py under bench-out/clean-N/ (once;
deterministic), scans it, and times `reuse.commands.clean.clean` alone (checks, copies, manifest) twice: with
the corpus named as its directory, and with every file named on its own (as `reuse clean docs/*/*.txt`
does), which is where a check of every output against every input turns quadratic. Prints seconds
and documents per second; flat documents/s across sizes is linear time.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from synthetic import generate

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

from reuse.commands.clean import clean
from reuse.commands.scan import scan
from reuse.load.corpus import load_corpus


def corpus(docs: int, seed: int) -> str:
    out = os.path.join(ROOT, "bench-out", f"clean-{docs}")
    if not os.path.isdir(os.path.join(out, "docs")):
        generate(out, docs, seed)
    return os.path.join(out, "docs")


def timed_clean(inputs: list[str], out_dir: str, jobs: int) -> float:
    result = scan(load_corpus(inputs), jobs=jobs)
    shutil.rmtree(out_dir, ignore_errors=True)
    started = time.perf_counter()
    clean(result, out_dir, inputs, {"boilerplate", "repeat"})
    elapsed = time.perf_counter() - started
    shutil.rmtree(out_dir)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="processes for the scan (not timed)")
    args = parser.parse_args()
    print(f"{'documents':>9}  {'inputs':<10}  {'write s':>8}  {'documents/s':>11}")
    for docs in args.docs:
        folder = corpus(docs, args.seed)
        out_dir = os.path.join(ROOT, "bench-out", f"clean-{docs}-out")
        files = sorted(glob.glob(os.path.join(folder, "**", "*.txt"), recursive=True))
        for label, inputs in (("directory", [folder]), ("each file", files)):
            seconds = timed_clean(inputs, out_dir, args.jobs)
            print(f"{docs:>9}  {label:<10}  {seconds:>8.2f}  {docs / seconds:>11,.0f}")


if __name__ == "__main__":
    main()
