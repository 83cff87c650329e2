"""Speed and quality of `reuse align`: the time to align a press-conference pair (about 10,000 Chinese
characters and their English) as a whole command in a fresh process, dictionary loading included (from the
cache, and parsed afresh), the time per pair in one process, and link precision and recall on the labelled
pairs of fixtures/align/ per part and set, for both segmenters.

    python scripts/bench_align.py [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reuse.commands.align_scores import Counts, cut_exchanges, link_counts, load_labels, run, untranslated_counts
from reuse.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def command_seconds(zh: Path, en: Path, cache: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "reuse",
            "align",
            str(zh),
            str(en),
            "--format",
            "json",
            "-o",
            os.path.join(cache, "out.json"),
        ],
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": cache},
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    args = parser.parse_args()
    corpora = Path(args.corpora)
    text = corpora / "mfa" / "text"

    def han(path: Path) -> int:
        return sum(1 for c in path.read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff")

    # The longest press conference that has both versions: the "about 10,000 Chinese characters".
    pairs_on_disk = [
        p for p in sorted(text.glob("zh_presscon_*.txt")) if (text / p.name.replace("zh_", "en_")).exists()
    ]
    zh = max(pairs_on_disk, key=han)
    en = text / zh.name.replace("zh_", "en_")
    chars = han(zh)
    with tempfile.TemporaryDirectory() as cache:
        cold = command_seconds(zh, en, cache)
        warm = min(command_seconds(zh, en, cache) for _ in range(3))
    print(
        f"command, the longest pair ({zh.name}, {chars} Han characters): {warm:.2f} s with the dictionary cached, {cold:.2f} s parsing it"
    )
    pairs = load_labels(ROOT / "fixtures" / "align", ROOT / "seeds", corpora)
    for segmenter in ("longest", "jieba"):
        settings = Settings(align_segmenter=segmenter)
        run(pairs[0], settings)  # the dictionary (and jieba's) loaded once, outside the timings
        for part in ("development", "held_out"):
            for kind in ("seed", "mfa"):
                links, untranslated, seconds, count = Counts(), Counts(), 0.0, 0
                for pair in pairs:
                    if pair.set != part or not pair.name.startswith(kind):
                        continue
                    start = time.perf_counter()
                    result = run(pair, settings)
                    seconds += time.perf_counter() - start
                    count += 1
                    links.add(link_counts(pair, result))
                    cut = cut_exchanges(pair)
                    if cut is not None:
                        untranslated.add(untranslated_counts(pair, run(pair, settings, cut[0]), cut[1]))
                if not count:  # the held-out part holds no seed
                    continue
                line = (
                    f"{segmenter:8} {part:11} {kind:5} pairs {count}: links {links.expected:4d} P {links.precision:.4f} "
                    f"R {links.recall:.4f}"
                )
                if untranslated.expected:
                    line += (
                        f" | untranslated {untranslated.expected:3d} P {untranslated.precision:.4f} "
                        f"R {untranslated.recall:.4f}"
                    )
                print(line + f" | {seconds / max(count, 1) * 1000:.0f} ms a pair")


if __name__ == "__main__":
    main()
