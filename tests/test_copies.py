"""Near-duplicate documents count once when a family's kind is weighed, and edited copies of a line say how
much of it they keep."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import numpy as np

from reuse.commands.scan import ScanResult, scan
from reuse.group.copies import find_copies
from reuse.group.union_find import UnionFind
from reuse.load.corpus import Corpus, load_corpus
from reuse.load.document import Document
from reuse.reports.scan import to_json
from reuse.settings import Settings

from .conftest import near_duplicate_bench

_POOL = (
    "的一是在不了有和人这大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其"
)


def _sentence(seed: str, length: int = 60) -> str:
    """A sentence of its own for each seed: pages made of them are near-duplicates only where meant to be."""
    digest = b"".join(hashlib.sha256(f"{seed}/{i}".encode()).digest() for i in range(3))
    return "".join(_POOL[b % len(_POOL)] for b in digest[:length]) + "。"


def _scan(pages: dict[str, str]) -> ScanResult:
    return scan(Corpus([Document(name, text, name) for name, text in sorted(pages.items())]), jobs=1)


def test_near_duplicate_clusters_are_those_a_comparison_of_every_pair_finds(tmp_path: Path) -> None:
    bench = near_duplicate_bench()
    bench.generate(str(tmp_path), 200, 5)
    docs = str(tmp_path / "docs")
    bench.make_copies(docs, 30, 5)
    settings = Settings()
    result = scan(load_corpus([docs]), settings, jobs=1)
    prepared = [doc.expanded() for doc in result.prepared]
    signatures = np.stack([doc.document_signature() for doc in prepared])
    usable = np.array([doc.has_shingles for doc in prepared])
    prefixes = np.stack([doc.document_signature(settings.near_candidate_values) for doc in prepared])
    assert np.array_equal(prefixes, signatures[:, : settings.near_candidate_values])  # the whole's first values
    copies = find_copies([doc.id for doc in prepared], prefixes, usable, lambda docs: signatures[docs], settings)
    # The reference: every pair compared, alike pairs joined.
    uf = UnionFind(len(prepared))
    for i, j in itertools.combinations(np.flatnonzero(usable).tolist(), 2):
        if np.mean(signatures[i] == signatures[j]) >= settings.near_duplicate:
            uf.union(i, j)
    expected = np.array([uf.find(i) for i in range(len(prepared))])
    assert np.array_equal(copies.of, expected)
    assert copies.distinct < len(prepared) - 10  # the shuffled copies at least are near-duplicates of their sources


SHARED = "更多报道请见本网专题页面"


def _site(copies: int, carrying: int = 2) -> dict[str, str]:
    """Twenty pages of a site; the first `carrying` carry SHARED below their menu line (not at the page's edge,
    not between sentences), and the first is scraped again `copies` times (each copy one line longer)."""
    pages = {}
    for n in range(20):
        lines = ["首页 > 新闻 > 外交动态", _sentence(f"t{n}", 12)[:-1], _sentence(f"a{n}"), _sentence(f"b{n}")]
        if n < carrying:
            lines.insert(1, SHARED)
        pages[f"p{n:02d}.txt"] = "\n".join(lines)
    for k in range(copies):
        pages[f"p00-copy{k}.txt"] = pages["p00.txt"] + f"\n{_sentence(f'x{k}', 8)}"
    return pages


def _families_of(result: ScanResult, text: str) -> list[tuple[str, tuple[int, int]]]:
    found = []
    for family in result.families:
        if family.text == text:
            why = [(e.documents, e.distinct) for e in family.evidence if e.kind == "repetition"]
            found.append((family.kind, why[0] if why else (family.documents, -1)))
    return found


def test_copies_of_one_page_do_not_outvote_the_corpus() -> None:
    """A line on two distinct pages is reused, however often one of them was scraped again; counted as pages,
    nine copies would put it on a third of the corpus, where furniture is (the control below)."""
    result = _scan(_site(9))
    assert [kind for kind, _ in _families_of(result, SHARED)] == ["reused"]
    assert _families_of(result, "首页 > 新闻 > 外交动态") == [("boilerplate", (29, 20))]


def test_the_same_line_on_as_many_distinct_pages_is_furniture() -> None:
    """The control: on eleven distinct pages of twenty-nine, the same line is furniture."""
    pages = _site(0, carrying=11)
    for n in range(20, 29):
        pages[f"p{n:02d}.txt"] = "\n".join(["首页 > 新闻 > 外交动态", _sentence(f"t{n}", 12)[:-1], _sentence(f"a{n}")])
    result = _scan(pages)
    assert _families_of(result, SHARED) == [("boilerplate", (11, 11))]


def test_an_edited_copy_of_a_line_says_how_much_of_it_it_keeps() -> None:
    long_line = (
        "外交部发言人在例行记者会上表示，中方愿同各方一道，坚持多边主义，维护以联合国为核心的国际体系，"
        "推动构建人类命运共同体，为世界和平与发展作出新的更大贡献"
    )
    # Three scattered edits: more runs than a template has slots (max_slots), few beside the line's length.
    edited = long_line.replace("例行", "定期").replace("坚持", "坚定").replace("更大", "重大")
    pages = {
        "a.txt": "\n".join([_sentence("a1"), long_line, _sentence("a2")]),
        "b.txt": "\n".join([_sentence("b1"), long_line, _sentence("b2")]),
        "c.txt": "\n".join([_sentence("c1"), edited, _sentence("c2")]),
    }
    report = to_json(_scan(pages))
    family = next(f for f in report["families"] if f["text"] == long_line)
    members = {m["doc"]: m for m in family["members"]}
    assert sorted(members) == ["a.txt", "b.txt", "c.txt"]
    assert "similarity" not in members["a.txt"] and "similarity" not in members["b.txt"]
    assert 0.85 <= members["c.txt"]["similarity"] < 1.0
