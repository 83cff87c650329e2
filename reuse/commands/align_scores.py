"""How well `align` does on pairs a person labelled (fixtures/align/): link precision and recall for English
passages of three words or more, and, on versions of the English with whole question-and-answer exchanges
cut out, precision and recall of the Chinese passages reported untranslated. The gate test and
scripts/bench_align.py both score with these."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from reuse.commands.align import UNTRANSLATED, AlignResult, align_documents
from reuse.load.document import Document
from reuse.settings import Settings

MIN_WORDS = 3


@dataclass(frozen=True)
class Labelled:
    name: str
    set: str
    zh_text: str
    en_text: str
    links: list[tuple[tuple[int, int], list[tuple[int, int]]]]
    """Each labelled English passage's (start, end), and its Chinese counterparts' (start, end)."""
    same_file: bool


def load_labels(folder: Path, seeds_root: Path, corpora_root: Path) -> list[Labelled]:
    """The labelled pairs: seeds paths are read under seeds_root's parent (the project), mfa paths under corpora_root."""
    out = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))

        def read(name: str) -> str:
            root = seeds_root.parent if name.startswith("seeds/") else corpora_root
            return (root / name).read_text(encoding="utf-8")

        links = [((e["en"][0], e["en"][1]), [(z[0], z[1]) for z in e["zh"]]) for e in data["links"]]
        out.append(
            Labelled(path.stem, data["set"], read(data["zh"]), read(data["en"]), links, data["zh"] == data["en"])
        )
    return out


def run(pair: Labelled, settings: Settings, en_text: str | None = None) -> AlignResult:
    if pair.same_file:
        return align_documents(Document(pair.name, pair.zh_text, "utf-8"), None, settings)
    en = Document(f"{pair.name}.en", pair.en_text if en_text is None else en_text, "utf-8")
    return align_documents(Document(f"{pair.name}.zh", pair.zh_text, "utf-8"), en, settings)


@dataclass
class Counts:
    right: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, other: Counts) -> None:
        self.right += other.right
        self.predicted += other.predicted
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def link_counts(pair: Labelled, result: AlignResult) -> Counts:
    """Links of the labelled English passages of three words or more: found, right, and labelled."""
    en_lang = [a for a in result.passages if a.passage.lang == "en"]
    found = {(a.passage.start, a.passage.end): {(q.start, q.end) for q, _ in a.counterparts} for a in en_lang}
    counts = Counts()
    for en, zh in pair.links:
        if len(re.findall(r"[A-Za-z0-9]+", pair.en_text[en[0] : en[1]])) < MIN_WORDS:
            continue
        predicted, expected = found.get(en, set()), set(zh)
        counts.right += len(predicted & expected)
        counts.predicted += len(predicted)
        counts.expected += len(expected)
    return counts


def cut_exchanges(pair: Labelled, every: int = 3) -> tuple[str, set[tuple[int, int]]] | None:
    """The English with every `every`-th question-and-answer exchange cut out (an exchange: a line opening
    with "Q:" and the lines up to the next), and the Chinese passages only the cut exchanges rendered;
    None when the English has too few exchanges."""
    lines = pair.en_text.splitlines(keepends=True)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    opening = [k for k, line in enumerate(lines) if line.startswith(("Q:", "Q："))]
    if len(opening) < every:
        return None
    cut: set[int] = set()
    for n, k in enumerate(opening[:-1]):  # not the last: where its answer ends, the page's furniture begins
        if n % every == 1:
            cut.update(range(k, opening[n + 1]))
    kept_text = "".join(line for k, line in enumerate(lines) if k not in cut)
    cut_ranges = [(starts[k], starts[k] + len(lines[k])) for k in sorted(cut)]

    def in_cut(span: tuple[int, int]) -> bool:
        return any(s <= span[0] and span[1] <= e for s, e in cut_ranges)

    rendered_by_kept = {z for en, zh in pair.links if not in_cut(en) for z in zh}
    only_cut = {z for en, zh in pair.links if in_cut(en) for z in zh} - rendered_by_kept
    return kept_text, only_cut


def untranslated_counts(pair: Labelled, result: AlignResult, truth: set[tuple[int, int]]) -> Counts:
    """Among the labelled Chinese passages: reported untranslated, rightly, and only the cut rendered."""
    labelled = {z for _, zh in pair.links for z in zh}
    reported = {
        (a.passage.start, a.passage.end)
        for a in result.passages
        if a.passage.lang == "zh" and a.status == UNTRANSLATED and (a.passage.start, a.passage.end) in labelled
    }
    return Counts(len(reported & truth), len(reported), len(truth))
