"""Speed of `reuse diff`: the whole command on two seeds, and the library on larger inputs.

    python scripts/bench_diff.py [--runs 7]

Prints, measured in the same run: the interpreter's own start-up and `import datasketch` (the
references), `reuse --help`, `reuse diff` of two seeds (wall time, interpreter start included), and
the library diff of two synthetic documents of growing size built from the development corpus (or
from the seeds when it is absent), each in a fresh process with its peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "xinwenlianbo")
SEED_A = "seeds/001_663fe8751431e96d.txt"
SEED_B = "seeds/003_b1f2f82659ca7572.txt"

CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from reuse.commands.diff import diff
from reuse.load.document import from_text
old, new = open({old!r}, encoding="utf-8").read(), open({new!r}, encoding="utf-8").read()
start = time.perf_counter()
result = diff(from_text(old, "old"), from_text(new, "new"))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{len(old) + len(new)}} {{result.summary.passages + len(result.dropped)}} {{seconds:.3f}} {{peak:.0f}}")
"""


def wall(command: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def sources() -> list[str]:
    if os.path.isdir(CORPUS):
        return [os.path.join(CORPUS, name) for name in sorted(os.listdir(CORPUS)) if name.endswith(".md")]
    seeds = os.path.join(ROOT, "seeds")
    return [os.path.join(seeds, name) for name in sorted(os.listdir(seeds))]


def synthetic(chars: int, offset: int, path: str) -> None:
    """Concatenate source files (deterministically, from a given file on) up to `chars` characters."""
    files = sources()
    parts, total, i = [], 0, offset
    while total < chars:
        with open(files[i % len(files)], encoding="utf-8") as handle:
            text = handle.read()
        parts.append(text)
        total += len(text)
        i += 1
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(parts)[:chars])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; median (min) of {args.runs} runs\n")
    print("| command | wall s, median | wall s, min |\n|---|---:|---:|")
    for label, command in [
        ("python -c pass (reference: interpreter start)", [py, "-c", "pass"]),
        ("python -c 'import datasketch' (reference)", [py, "-c", "import datasketch"]),
        ("reuse --help", [py, "-m", "reuse", "--help"]),
        ("reuse diff seeds/001 seeds/003 (table)", [py, "-m", "reuse", "diff", SEED_A, SEED_B]),
        (
            "reuse diff seeds/001 seeds/003 --format json",
            [py, "-m", "reuse", "diff", "--format", "json", SEED_A, SEED_B],
        ),
    ]:
        median, best = wall(command, args.runs)
        print(f"| {label} | {median:.3f} | {best:.3f} |")
    print("\n| characters (OLD + NEW) | passages | library diff s | peak memory MB |\n|---:|---:|---:|---:|")
    tmp = os.path.join(ROOT, "bench-out")
    os.makedirs(tmp, exist_ok=True)
    for size in (20_000, 100_000, 400_000, 1_000_000):
        old, new = os.path.join(tmp, "old.txt"), os.path.join(tmp, "new.txt")
        synthetic(size // 2, 0, old)
        synthetic(size // 2, 3, new)
        out = subprocess.run(
            [py, "-c", CHILD.format(root=ROOT, old=old, new=new)], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            print(f"| {size:,} | failed: {out.stderr.strip().splitlines()[-1]} | | |")
            continue
        chars, passages, seconds, peak = out.stdout.split()
        print(f"| {int(chars):,} | {int(passages):,} | {float(seconds):.2f} | {peak} |")


if __name__ == "__main__":
    main()
