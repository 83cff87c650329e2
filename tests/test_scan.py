from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.commands.scan import FEW, _covered, explained_ranges, frequent_hashes, removals, scan
from reuse.group.templates import one_line
from reuse.load.corpus import load_corpus
from reuse.reports import json_layout
from reuse.reports.scan import family_json, render_json, to_json
from reuse.settings import Settings

from .conftest import ROOT, SEED_FILES


@pytest.fixture(scope="module")
def seeds_scan():  # type: ignore[no-untyped-def]
    return scan(load_corpus([str(ROOT / "seeds")]))


def families_with(result, kind: str, text: str):  # type: ignore[no-untyped-def]
    return [f for f in result.families if f.kind == kind and text in (f.text + (f.template or ""))]


def docs_of(family) -> set[str]:  # type: ignore[no-untyped-def]
    return {os.path.basename(m.doc)[:3] for m in family.members}


def test_the_five_known_families(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    (slogan,) = families_with(seeds_scan, "boilerplate", "We will stay firmly rooted in Chinese culture")
    assert docs_of(slogan) == {"001", "003"}
    (breadcrumb,) = families_with(seeds_scan, "boilerplate", "首頁")
    assert docs_of(breadcrumb) == {"000", "004"}
    (metadata,) = families_with(seeds_scan, "boilerplate", "發佈時間")
    assert docs_of(metadata) == {"000", "001", "003", "004"}
    assert metadata.template == "發佈時間:{…} | 來源:新華網 | 作者: | 責任編輯:{…}"
    fused = next(m for m in metadata.members if "003_" in m.doc)
    text = (ROOT / "seeds" / SEED_FILES[3]).read_text(encoding="utf-8")
    assert text[fused.start : fused.end].endswith("責任編輯:張芃芃")  # the fused sentence after it stays
    chinese = [
        f
        for f in families_with(seeds_scan, "repeat", "國家主席習近平在北京人民大會堂同俄羅斯總統普京")
        if docs_of(f) == {"000"}
    ]
    assert chinese and max(f.occurrences for f in chinese) >= 3
    english = [
        f
        for f in families_with(seeds_scan, "repeat", "Chinese President Xi Jinping talks with Russian President")
        if docs_of(f) == {"000"}
    ]
    assert english and max(f.occurrences for f in english) >= 3


def test_formula_across_documents(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    formulae = families_with(seeds_scan, "formula", "中國人民抗日戰爭、蘇聯偉大衛國戰爭暨世界反法西斯戰爭勝利80週年")
    assert formulae and docs_of(formulae[0]) == {"000", "001"}


def test_no_content_paragraph_is_boilerplate(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    boilerplate = [f for f in seeds_scan.families if f.kind == "boilerplate"]
    assert len(boilerplate) == 3
    for f in boilerplate:
        for m in f.members:
            text = next(doc for doc in seeds_scan.prepared if doc.id == m.doc).text[m.start : m.end]
            assert "習近平指出" not in text and "Xi said" not in text


def test_shares_add_up(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    for d in seeds_scan.documents:
        assert sum(d.shares.values()) == pytest.approx(1.0, abs=1e-3)
        assert all(0.0 <= v <= 1.0 for v in d.shares.values())


def test_members_point_into_the_original_text(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    texts = {doc.id: doc.text for doc in seeds_scan.prepared}
    for f in seeds_scan.families:
        assert f.text == texts[f.members[0].doc][f.members[0].start : f.members[0].end]
        for m in f.members:
            assert 0 <= m.start < m.end <= len(texts[m.doc])
            assert texts[m.doc][m.start : m.end].strip() == texts[m.doc][m.start : m.end]


def test_one_line_allows_slots_not_predicates() -> None:
    assert one_line("发布时间0 0来源新华网作者责任编辑曹川川", "发布时间0 0来源新华网作者责任编辑张芃芃", Settings())
    assert not one_line("习近平同俄罗斯总统普京会谈", "习近平同俄罗斯总统普京举行视频会晤", Settings())


def test_json_is_identical_whatever_the_input_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = [str(ROOT / "seeds" / name) for name in SEED_FILES]
    first = render_json(scan(load_corpus(files)))
    shuffled = files[:]
    random.Random(3).shuffle(shuffled)
    assert render_json(scan(load_corpus(shuffled))) == first


def test_json_is_identical_across_hash_seeds() -> None:
    outputs = set()
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        outputs.add(
            subprocess.run(
                [sys.executable, "-m", "reuse", "scan", "--format", "json", "seeds"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                check=True,
            ).stdout
        )
    assert len(outputs) == 1
    data = json.loads(outputs.pop())
    assert set(data) >= {"summary", "documents", "families"}
    assert set(data["documents"][0]["shares"]) == {"boilerplate", "repeat", "formula", "reused", "new"}
    assert set(data["families"][0]) >= {"id", "kind", "documents", "occurrences", "text", "template", "members"}


@hsettings(max_examples=300, deadline=None)
@given(st.integers(0, 60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=30))
def test_covered_marks_what_the_ranges_cover(length: int, pairs: list[tuple[int, int]]) -> None:
    ranges = [(min(a, b, length), min(max(a, b), length)) for a, b in pairs]
    expected = np.zeros(length, dtype=bool)
    for start, end in ranges:
        expected[start:end] = True
    assert _covered(length, ranges).tolist() == expected.tolist()


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), max_size=12), max_size=8), st.integers(1, 4))
def test_frequent_hashes_are_those_in_two_documents(documents: list[list[int]], run: int) -> None:
    """Whether given per document or as sorted runs of several documents, the same hashes come out."""
    distinct = [np.unique(np.array(d, dtype=np.uint32)) for d in documents]
    counts = Counter(h for d in distinct for h in d.tolist())
    expected = sorted(h for h, n in counts.items() if n >= 2)
    assert frequent_hashes(distinct).tolist() == expected
    runs = [np.sort(np.concatenate(distinct[i : i + run])) for i in range(0, len(distinct), run)]
    assert frequent_hashes(runs).tolist() == expected


def test_encoded_family_lines_are_the_json_of_the_families(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    """render_json writes families without a dict per member: byte for byte what json.dumps writes."""
    fast = render_json(seeds_scan)
    assert fast == json_layout.dumps(to_json(seeds_scan))
    assert json.loads(fast)["families"] == [family_json(f) for f in seeds_scan.families]


def test_shares_count_what_clean_removes(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    """The ranges behind the shares are the removals clean works from, kind by kind."""
    from_removals: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for doc, pairs in removals(seeds_scan.families).items():
        for member, family in pairs:
            from_removals.setdefault(doc, {}).setdefault(family.kind, []).append((member.start, member.end))
    ranges = explained_ranges(seeds_scan.families, len(seeds_scan.documents), seeds_scan.settings)
    assert set(ranges) == set(from_removals)
    for doc, kinds in ranges.items():
        few = kinds.pop(FEW)  # reused in few documents, or in many: reused
        kinds = {**kinds, "reused": kinds["reused"] + few}
        assert {k: sorted(v) for k, v in kinds.items() if v} == {k: sorted(v) for k, v in from_removals[doc].items()}


def test_explained_rows_by_chunk_give_the_same_ranges(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    """The cluster's explained ranges (rows by chunk, read back per document) are explained_ranges' own."""
    from reuse.commands.on_cluster import _explained_by_chunk
    from reuse.commands.scan import ranges_by_kind

    ranges = explained_ranges(seeds_scan.families, len(seeds_scan.documents), seeds_scan.settings)
    ids = sorted(d.id for d in seeds_scan.documents)
    order = {doc: i for i, doc in enumerate(ids)}
    chunk_of = np.array([i % 2 for i in range(len(ids))], dtype=np.int64)
    per_chunk = _explained_by_chunk(seeds_scan.families, order, chunk_of, 2, seeds_scan.settings)
    assert sum(len(rows) for rows in per_chunk) == sum(len(v) for kinds in ranges.values() for v in kinds.values())
    for c, rows in enumerate(per_chunk):
        assert set(chunk_of[rows[:, 0]].tolist()) <= {c}
        for i in sorted(set(rows[:, 0].tolist())):
            found = ranges_by_kind(rows[rows[:, 0] == i][:, 1:])
            assert {k: sorted(v) for k, v in found.items()} == {k: sorted(v) for k, v in ranges[ids[i]].items()}
    assert {ids[i] for rows in per_chunk for i in rows[:, 0].tolist()} == set(ranges)


def test_removals_skip_exactly_the_first_copy_of_a_repeat_in_each_document(seeds_scan) -> None:  # type: ignore[no-untyped-def]
    """removals and explained_ranges share one rule; here it is against a slow reference, member by member."""
    from reuse.kinds import REPEAT

    expected: dict[str, list[tuple[object, str]]] = {}
    for family in seeds_scan.families:
        seen: set[str] = set()
        for member in list(family.members):
            if family.kind == REPEAT and member.doc not in seen:
                seen.add(member.doc)
                continue
            expected.setdefault(member.doc, []).append((member, family.id))
    found = {doc: [(m, f.id) for m, f in pairs] for doc, pairs in removals(seeds_scan.families).items()}
    assert found == expected
    assert any(f.kind == REPEAT for f in seeds_scan.families), "the seeds have a repeat to skip"
