"""Boilerplate against the labelled mfa pages: ours on the naive-scraped text and on the raw HTML, beside
trafilatura's on the same HTML, for the development and held-out dates (fixtures/mfa_split.json).

Lines are the naive scrape's text nodes, labelled `furniture` or `content` by ../shared/corpora/mfa/labels.json.
On HTML input our text is another rendering of the page, and trafilatura's output a third: the labels are
carried over to them by aligning the characters (commands.line_scores). A line trafilatura leaves out is
one it calls furniture. Prints precision, recall over all furniture lines, content kept, and the cost per page.

    python scripts/bench_boilerplate.py [--corpus ../shared/corpora/mfa]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from reuse.commands.line_scores import NO_LINES, LineScores, load_line_labels, score_carried, score_lines
from reuse.commands.scan import ScanResult, scan
from reuse.load.corpus import load_corpus

ROOT = os.path.join(os.path.dirname(__file__), "..")


def parts(corpus: str) -> dict[str, list[str]]:
    """{part: page names without extension}, for the development and held-out dates."""
    with open(os.path.join(ROOT, "fixtures", "mfa_split.json"), encoding="utf-8") as handle:
        split = json.load(handle)
    names = sorted(name[: -len(".txt")] for name in os.listdir(os.path.join(corpus, "text")))
    return {
        part: [name for name in names if name.rsplit("_", 1)[-1] in set(split[key])]
        for part, key in (("development", "development"), ("held-out", "held_out"))
    }


def flags_of(result: ScanResult) -> tuple[dict[str, str], dict[str, list[tuple[int, int]]]]:
    """Each page's text as loaded and its boilerplate intervals, by page name without extension."""
    texts = {_stem(doc.id): doc.text for doc in result.prepared}
    return texts, {_stem(d.id): list(d.intervals["boilerplate"]) for d in result.documents}


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def per_language(names: Iterable[str], score: Callable[[str], LineScores]) -> dict[str, LineScores]:
    totals: dict[str, LineScores] = {"zh": NO_LINES, "en": NO_LINES}
    for name in names:
        totals[name[:2]] = totals[name[:2]] + score(name)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpora", "mfa"))
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args()
    corpus = args.corpus
    labels = {
        name[: -len(".txt")]: lines for name, lines in load_line_labels(os.path.join(corpus, "labels.json")).items()
    }
    raw = {}
    for name in labels:
        with open(os.path.join(corpus, "text", name + ".txt"), encoding="utf-8") as handle:
            raw[name] = handle.read()
    pages = len(labels)
    rows: list[tuple[str, str, str, LineScores]] = []
    costs: dict[str, float] = {}

    started = time.perf_counter()
    texts, flags = flags_of(scan(load_corpus([os.path.join(corpus, "text")])))
    costs["ours, naive text"] = time.perf_counter() - started
    for part, names in parts(corpus).items():
        for lang, scores in per_language(names, lambda n: score_lines(texts[n], flags[n], labels[n])).items():
            rows.append(("ours", "naive text", f"{part} {lang}", scores))

    started = time.perf_counter()
    texts, flags = flags_of(scan(load_corpus([os.path.join(corpus, "html")])))
    costs["ours, HTML"] = time.perf_counter() - started

    def ours_on_html(name: str) -> LineScores:
        text = texts[name]
        marks = [False] * len(text)
        for s, e in flags[name]:
            marks[s:e] = [True] * (e - s)
        return score_carried(raw[name], labels[name], text, marks)

    for part, names in parts(corpus).items():
        for lang, scores in per_language(names, ours_on_html).items():
            rows.append(("ours", "HTML", f"{part} {lang}", scores))

    if not args.no_trafilatura:
        import trafilatura

        extracted: dict[str, str] = {}
        started = time.perf_counter()
        for name in labels:
            with open(os.path.join(corpus, "html", name + ".html"), encoding="utf-8") as handle:
                extracted[name] = trafilatura.extract(handle.read(), include_comments=False) or ""
        costs["trafilatura, HTML"] = time.perf_counter() - started

        def theirs(name: str) -> LineScores:
            return score_carried(raw[name], labels[name], extracted[name], [False] * len(extracted[name]))

        for part, names in parts(corpus).items():
            for lang, scores in per_language(names, theirs).items():
                rows.append(("trafilatura", "HTML", f"{part} {lang}", scores))

    print("| tool | input | pages | furniture lines | content lines | precision | recall | content kept |")
    print("|---|---|---|---|---|---|---|---|")
    for tool, kind, part, s in rows:
        print(
            f"| {tool} | {kind} | {part} | {s.furniture:,} | {s.content:,} | {s.precision:.4f} | {s.recall:.4f} "
            f"| {s.content_kept:.4f} |"
        )
    for what, seconds in costs.items():
        print(f"{what}: {seconds:.1f} s for {pages} pages, {1000 * seconds / pages:.1f} ms a page")


if __name__ == "__main__":
    main()
