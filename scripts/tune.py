"""How the defaults were chosen: quality on the labelled passages for each candidate setting.

    python scripts/tune.py            # prints Markdown tables (used in README)

For each setting varied alone from the defaults: precision and recall of reused/partial, exact
status accuracy, candidate pairs verified (the cost), and for shingle size also LSH-only recall of
whole-passage reuse, which is what LSH must find at corpus scale (reuse scan, the index).
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from reuse.commands.diff import candidate_codes
from reuse.commands.evaluate import Label, evaluate, load_labels
from reuse.load.document import load_document
from reuse.settings import Settings
from reuse.sketch.candidates import lsh_pairs
from reuse.sketch.prepared import prepare

ROOT = os.path.join(os.path.dirname(__file__), "..")


def lsh_recall_and_cost(labels: list[Label], settings: Settings) -> tuple[float, int]:
    """Share of passages labelled reused that LSH alone pairs with a passage of OLD; pairs verified."""
    by_pair: dict[tuple[str, str], list[Label]] = defaultdict(list)
    for label in labels:
        by_pair[(label.old, label.new)].append(label)
    found = total = verified = 0
    for (old, new), group in sorted(by_pair.items()):
        a = prepare(load_document(os.path.join(ROOT, new), doc_id=new), settings)
        b = prepare(load_document(os.path.join(ROOT, old), doc_id=old), settings)
        verified += len(candidate_codes(a, b, settings))
        n = len(a)
        sigs = np.concatenate((a.signatures(), b.signatures()))
        usable = np.concatenate((a.passages_with_shingles(), b.passages_with_shingles()))
        pairs = lsh_pairs(sigs, settings.bands, settings.rows, usable)
        hit = {i for i, j in pairs.tolist() if i < n <= j}
        starts = {start: i for i, start in enumerate(a.starts.tolist())}
        for label in group:
            if label.status == "reused" and a.passages_with_shingles()[starts[label.start]]:
                total += 1
                found += starts[label.start] in hit
    return (found / total if total else 1.0), verified


def row(name: str, labels: list[Label], settings: Settings, with_lsh: bool = False) -> str:
    start = time.perf_counter()
    scores = evaluate(labels, settings, ROOT)
    seconds = time.perf_counter() - start
    cells = [name, f"{scores.precision:.3f}", f"{scores.recall:.3f}", f"{scores.status_accuracy:.3f}", f"{seconds:.2f}"]
    if with_lsh:
        recall, verified = lsh_recall_and_cost(labels, settings)
        cells += [f"{recall:.3f}", str(verified)]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    labels = load_labels(os.path.join(ROOT, "fixtures", "labels"))
    labels = [label for label in labels if os.path.exists(os.path.join(ROOT, label.old))]
    base = Settings()
    print(f"{len(labels)} labelled passages; defaults: {base.fingerprint()}\n")
    head = "| setting | precision | recall | exact status | seconds |"
    print("### Shingle size (k_han, k_word)\n")
    print(head + " LSH-only recall of reused | pairs verified |\n|---|---:|---:|---:|---:|---:|---:|")
    for k_han, k_word in [(2, 1), (3, 2), (4, 2), (4, 3), (5, 3), (6, 4), (8, 5)]:
        print(row(f"k_han={k_han}, k_word={k_word}", labels, base.replace(k_han=k_han, k_word=k_word), with_lsh=True))
    for title, field, values in [
        ("Script conversion", "script", ["tw2sp", "t2s", "hk2s", "none"]),
        ("Passage unit", "unit", ["sentence", "paragraph"]),
        ("Digit masking", "mask_digits", [True, False]),
        ("Smallest reused span (weight)", "min_span", [6, 8, 10, 12, 16]),
        ("Variant characters bridged", "max_gap", [0, 1, 2]),
    ]:
        print(f"\n### {title}\n\n{head}\n|---|---:|---:|---:|---:|")
        for value in values:
            print(row(f"{field}={value}", labels, base.replace(**{field: value})))
    script_on_real_pairs()


def script_on_real_pairs() -> None:
    """Reused share of NEW's Chinese characters on the real cross-script pairs, variant bridging off.

    Labels cannot separate the conversions (a one-character variant bridge absorbs 支援/支持), so
    this measures what each conversion itself makes identical: Xinhua's Traditional seed 004 read
    against CCTV's Simplified transcript of the same readout.
    """
    pairs = [
        ("../shared/corpora/xinwenlianbo/20240409.md", "seeds/004_1be1cfc6bdf062d7.txt"),
        ("../shared/corpora/xinwenlianbo/20240208.md", "seeds/003_b1f2f82659ca7572.txt"),
    ]
    print("\n### Script conversion on real cross-script pairs (max_gap=0)\n")
    print(
        "| script | "
        + " | ".join(f"reused share of {os.path.basename(n)} vs {os.path.basename(o)}" for o, n in pairs)
        + " |"
    )
    print("|---|" + "---:|" * len(pairs))
    from reuse.commands.diff import diff

    for script in ["tw2sp", "t2s", "hk2s", "none"]:
        settings = Settings(script=script, max_gap=0)  # type: ignore[arg-type]
        cells = []
        for old, new in pairs:
            result = diff(load_document(os.path.join(ROOT, old)), load_document(os.path.join(ROOT, new)), settings)
            zh = [p for p in result.passages if p.passage.lang == "zh"]
            total = sum(p.passage.end - p.passage.start for p in zh)
            cells.append(f"{sum(p.reused_chars for p in zh) / total:.4f}")
        print(f"| {script} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
