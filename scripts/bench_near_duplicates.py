"""Do scan's decisions hold when near-duplicate copies are in the corpus, and are the copies explained?

    python scripts/bench_near_duplicates.py [--docs 1000] [--copies 100] [--seed 7]

Makes the synthetic corpus (scripts/synthetic.py), then copies of some of its readouts, as re-scrapes and
syndication put them into every real corpus: half with their lines shuffled, half with 5% of their
characters edited (each replaced by another character of the same document), all seeded. Scans the
corpus with and without the copies, and prints:

- the boilerplate share of the original readouts in both scans (it should move by at most 1 point);
- for each kind of copy, the share of its characters explained by families that also hold its source.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from synthetic import generate

from reuse.commands.scan import ScanResult, scan
from reuse.load.corpus import load_corpus

EDITED = 0.05


def shuffled(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    rng.shuffle(lines)
    return "\n".join(lines) + "\n"


def edited(text: str, rng: random.Random, share: float = EDITED) -> str:
    """text with share of its non-space characters replaced, each by another character of text."""
    chars = list(text)
    places = [i for i, c in enumerate(chars) if not c.isspace()]
    alphabet = sorted({chars[i] for i in places})
    for i in rng.sample(places, round(share * len(places))):
        chars[i] = rng.choice([c for c in alphabet[:64] if c != chars[i]] or alphabet)
    return "".join(chars)


def make_copies(docs_dir: str, count: int, seed: int) -> dict[str, tuple[str, str]]:
    """Writes the copies beside the originals: {copy's path: (its source's path, "shuffled" or "edited")}."""
    rng = random.Random(seed)
    originals = sorted(
        os.path.join(folder, name) for folder, _, names in os.walk(docs_dir) for name in names if name.endswith(".txt")
    )
    made: dict[str, tuple[str, str]] = {}
    os.makedirs(os.path.join(docs_dir, "copies"), exist_ok=True)
    for n, source in enumerate(rng.sample(originals, count)):
        how = "shuffled" if n % 2 == 0 else "edited"
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
        path = os.path.join(docs_dir, "copies", f"{how}-{n:04d}.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(shuffled(text, rng) if how == "shuffled" else edited(text, rng))
        made[path] = (source, how)
    return made


def boilerplate_share(result: ScanResult, skip: set[str]) -> float:
    chars = boiler = 0.0
    for d in result.documents:
        if d.id not in skip:
            chars += d.passage_chars
            boiler += d.shares["boilerplate"] * d.passage_chars
    return boiler / chars if chars else 0.0


def explained_by_source(result: ScanResult, copies: dict[str, tuple[str, str]]) -> dict[str, list[float]]:
    """For each kind of copy, each copy's share of characters (in passages) lying in members of families
    that also have a member in its source."""
    families_of: dict[str, set[int]] = defaultdict(set)
    for n, family in enumerate(result.families):
        for doc in set(family.members.docs):
            families_of[doc].add(n)
    lengths = {d.id: d.passage_chars for d in result.documents}
    out: dict[str, list[float]] = defaultdict(list)
    for copy, (source, how) in sorted(copies.items()):
        shared = families_of[copy] & families_of[source]
        covered: set[int] = set()
        for n in shared:
            for member in result.families[n].members:
                if member.doc == copy:
                    covered.update(range(member.start, member.end))
        text = next(p.text for p in result.prepared if p.id == copy)
        share = sum(1 for i in covered if not text[i].isspace()) / max(1, sum(1 for c in text if not c.isspace()))
        out[how].append(min(1.0, share) if lengths[copy] else 0.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        generate(work, args.docs, args.seed)
        docs_dir = os.path.join(work, "docs")
        started = time.perf_counter()
        before = scan(load_corpus([docs_dir]))
        seconds = time.perf_counter() - started
        copies = make_copies(docs_dir, args.copies, args.seed)
        after = scan(load_corpus([docs_dir]))
    skip = set(copies)
    share_before, share_after = boilerplate_share(before, skip), boilerplate_share(after, skip)
    print(
        f"{args.docs} readouts, {args.copies} copies (seed {args.seed}); a scan of the originals took {seconds:.1f} s"
    )
    print(
        f"boilerplate share of the originals: {100 * share_before:.2f}% alone, {100 * share_after:.2f}% with the "
        f"copies (moved {100 * (share_after - share_before):+.2f} points)"
    )
    for how, shares in sorted(explained_by_source(after, copies).items()):
        mean = sum(shares) / len(shares)
        print(
            f"{how} copies: {len(shares)}, explained by families that hold their source: mean {mean:.3f}, "
            f"lowest {min(shares):.3f}"
        )


if __name__ == "__main__":
    main()
