"""Big single documents: every command on one N MB document, wall time and peak memory.

    python scripts/bench_big_document.py [--sizes "1 5 20"] [--commands "diff scan audit clean build query"]

Two shapes of document, built deterministically under bench-out/big/ from the news paragraphs of
../shared/corpora/xinwenlianbo (or the seeds when it is absent):

- `chinese-nobreak`: N MB (UTF-8) of Chinese paragraphs run together with no line break at all, the
  way a scraped page without markup arrives;
- `lines`: N MB of the same paragraphs one per line, an ordinary text file.

The corpus holds about 1 MB of paragraphs, so a bigger document drawn from it would repeat every
paragraph N times and every passage would match N others: the work and the report would grow with
the square of N for the content, not for the code. Each drawn copy therefore has a share (--mutate,
default 0.5) of its Han characters replaced by others drawn from the corpus, so that reuse inside
the document stays about as dense at every size; --mutate 0 gives the verbatim repeats.

Each command runs as a whole `python -m reuse ...` in a fresh process; peak memory is the largest
summed PSS of its process tree (scripts/bench_scan.py's sampler). `diff` compares two documents of
the same shape and size (different seeds), so it reads 2 N MB; `query` asks the second document
against an index built from the first. The corpus rate for comparison is the characters per second
of `reuse scan` over 1,000 synthetic readouts (scripts/synthetic.py).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from bench_scan import run_measured
from synthetic import content_paragraphs, generate

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "bench-out", "big")
COMMANDS = ("diff", "scan", "audit", "clean", "build", "query")
SHAPES = ("chinese-nobreak", "lines")


def build_document(path: str, shape: str, megabytes: float, seed: int, mutate: float) -> int:
    """Write one document of about `megabytes` MB (UTF-8); return its length in characters."""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            return len(handle.read())
    rng = random.Random(seed)
    pool = content_paragraphs()
    if shape == "chinese-nobreak":
        pool = [p for p in pool if sum(ord(c) > 0x2E80 for c in p) * 2 > len(p)] or pool
    separator = "" if shape == "chinese-nobreak" else "\n"
    budget = int(megabytes * 1_000_000)
    alphabet = sorted({c for p in pool for c in p if "\u4e00" <= c <= "\u9fff"})
    pieces, size = [], 0
    while size < budget:
        piece = rng.choice(pool)
        if mutate and alphabet:
            piece = "".join(
                rng.choice(alphabet) if "\u4e00" <= c <= "\u9fff" and rng.random() < mutate else c for c in piece
            )
        pieces.append(piece)
        size += len(piece.encode("utf-8")) + len(separator)
    text = separator.join(pieces) + separator
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return len(text)


def command_line(name: str, first: str, second: str, work: str) -> list[str]:
    reuse = [sys.executable, "-m", "reuse"]
    out = os.path.join(work, "report.json")
    index = os.path.join(work, "index.sqlite")
    if name == "diff":
        return reuse + ["diff", "--format", "json", "-o", out, first, second]
    if name in ("scan", "audit"):
        return reuse + [name, "--format", "json", "-o", out, first]
    if name == "clean":
        return reuse + ["clean", "--out", os.path.join(work, "clean"), first]
    if name == "build":
        return reuse + ["index", "build", "--force", "--index", index, first]
    if name == "query":
        return reuse + ["index", "query", "--format", "json", "-o", out, "--index", index, second]
    raise SystemExit(f"unknown command {name!r}; choose from {', '.join(COMMANDS)}")


def corpus_rate() -> float:
    """Characters per second of `reuse scan` over 1,000 synthetic readouts."""
    out = os.path.join(ROOT, "bench-out", "synthetic-1000-7")
    docs_dir = os.path.join(out, "docs")
    if not os.path.isdir(docs_dir):
        generate(out, 1000, 7)
    chars = 0
    for directory, _, files in os.walk(docs_dir):
        for name in files:
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                chars += len(handle.read())
    with tempfile.TemporaryDirectory() as work:
        command = [sys.executable, "-m", "reuse", "scan", "--format", "json", "-o", os.path.join(work, "r.json")]
        seconds, peak = run_measured(command + [docs_dir], quiet=True)
    print(
        f"corpus rate: scan of 1,000 synthetic readouts, {chars:,} characters in {seconds:.1f} s = "
        f"{chars / seconds:,.0f} characters/s, peak {peak:.0f} MB"
    )
    return chars / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1 5 20", help="document sizes in MB (default: '1 5 20')")
    parser.add_argument("--commands", default=" ".join(COMMANDS), help=f"any of: {' '.join(COMMANDS)}")
    parser.add_argument("--shapes", default=" ".join(SHAPES), help=f"any of: {' '.join(SHAPES)}")
    parser.add_argument("--mutate", type=float, default=0.5, help="share of Han characters replaced per copy")
    parser.add_argument("--no-corpus-rate", action="store_true", help="skip the 1,000-readout comparison")
    args = parser.parse_args()
    commands = args.commands.replace(",", " ").split()
    for name in commands:
        if name not in COMMANDS:
            raise SystemExit(f"unknown command {name!r}; choose from {', '.join(COMMANDS)}")
    if "query" in commands and "build" not in commands:
        commands.insert(commands.index("query"), "build")  # the query needs the index of this size
    rate = None if args.no_corpus_rate else corpus_rate()
    print(f"(Han characters replaced per copy: {args.mutate:g})")
    print("| shape | MB | characters | command | wall s | peak MB (all processes) | characters/s | vs corpus rate |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for shape in args.shapes.replace(",", " ").split():
        for size in args.sizes.replace(",", " ").split():
            megabytes = float(size)
            folder = os.path.join(OUT, f"{shape}-{size}-m{args.mutate:g}")
            first_dir, second_dir = os.path.join(folder, "a"), os.path.join(folder, "b")
            first, second = os.path.join(first_dir, "document.txt"), os.path.join(second_dir, "document.txt")
            chars = build_document(first, shape, megabytes, 1, args.mutate)
            second_chars = build_document(second, shape, megabytes, 2, args.mutate)
            work = tempfile.mkdtemp(prefix="bench-big-")
            try:
                for name in commands:
                    seconds, peak = run_measured(command_line(name, first, second, work), quiet=True)
                    measured = chars + second_chars if name == "diff" else chars
                    speed = measured / seconds
                    ratio = f"{speed / rate:.2f}" if rate else "-"
                    print(
                        f"| {shape} | {size} | {measured:,} | {name} | {seconds:.1f} | {peak:.0f} | "
                        f"{speed:,.0f} | {ratio} |",
                        flush=True,
                    )
            finally:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
