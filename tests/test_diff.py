from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import opencc
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.commands.diff import compare, diff, unmatched
from reuse.load.document import Document, from_text, load_document
from reuse.reports.diff import render_json, render_markdown
from reuse.settings import Settings
from reuse.sketch.prepared import prepare

from .conftest import ROOT, SEED_FILES, SEEDS

EXPECT = json.loads((ROOT / "fixtures" / "diff_003_vs_001.json").read_text(encoding="utf-8"))


def seed_doc(name: str) -> Document:
    return load_document(os.path.relpath(SEEDS / name, ROOT) if name else name)


@pytest.fixture(scope="module")
def result_003_vs_001():  # type: ignore[no-untyped-def]
    return diff(load_document(str(ROOT / EXPECT["old"])), load_document(str(ROOT / EXPECT["new"])))


def by_quote(result, quote: str):  # type: ignore[no-untyped-def]
    found = [p for p in result.passages if p.passage.text.startswith(quote)]
    assert len(found) == 1, quote
    return found[0]


def test_slogan_is_reused(result_003_vs_001) -> None:  # type: ignore[no-untyped-def]
    for quote in EXPECT["reused"]:
        p = by_quote(result_003_vs_001, quote)
        assert p.status == "reused"
        assert p.matches and p.matches[0].similarity == 1.0
        assert p.spans == ((p.passage.start, p.passage.end),)


def test_fused_metadata_line_is_partly_reused(result_003_vs_001) -> None:  # type: ignore[no-untyped-def]
    for quote in EXPECT["reused_or_partial"]:
        p = by_quote(result_003_vs_001, quote)
        assert p.status in ("reused", "partial")
        text = result_003_vs_001.new.text
        reused_text = "".join(text[s:e] for s, e in p.spans)
        assert "來源:新華網" in reused_text and "責任編輯:張芃芃" in reused_text
        assert "應約同俄羅斯總統普京通電話" not in reused_text  # the fused first sentence is new


def test_chinese_content_is_mostly_new(result_003_vs_001) -> None:  # type: ignore[no-untyped-def]
    texts = [p.passage.text for p in result_003_vs_001.passages]
    first = next(i for i, t in enumerate(texts) if t.startswith(EXPECT["chinese_content_first"]))
    last = texts.index(EXPECT["chinese_content_last"])
    content = result_003_vs_001.passages[first : last + 1]
    assert len(content) >= 10
    share_new = sum(p.status == "new" for p in content) / len(content)
    assert share_new >= EXPECT["chinese_content_min_new_share"]
    assert not any(p.status == "reused" for p in content)


@pytest.mark.parametrize("name", SEED_FILES)
def test_cross_script_copy_is_reused(name: str) -> None:
    original = load_document(str(SEEDS / name))
    simplified = from_text(opencc.OpenCC("t2s").convert(original.text), "simplified")
    result = diff(original, simplified)
    assert result.summary.passages > 10
    share = result.summary.reused / result.summary.passages
    assert share >= 0.95, f"{name}: {share:.3f}"


@pytest.mark.parametrize("name", SEED_FILES)
def test_reported_offsets_are_exact(name: str) -> None:
    new = load_document(str(SEEDS / name))
    old = load_document(str(SEEDS / SEED_FILES[(SEED_FILES.index(name) + 1) % len(SEED_FILES)]))
    result = diff(old, new)
    checked = {"passage": 0, "match": 0}
    for p in result.passages + result.dropped:
        doc = new if p.passage.doc == new.id else old
        assert doc.text[p.passage.start : p.passage.end] == p.passage.text
        for start, end in p.spans:
            assert p.passage.start <= start < end <= p.passage.end
            checked["passage"] += 1
        for m in p.matches:
            other = old if doc is new else new
            assert other.text[m.start : m.end] == other.text[m.start : m.end].strip()
            for start, end in m.spans:
                assert p.passage.start <= start < end <= p.passage.end
                checked["match"] += 1
    assert checked["passage"] > 0 and checked["match"] > 0, f"{name}: no spans to check"


def test_identical_documents() -> None:
    doc = load_document(str(SEEDS / SEED_FILES[0]))
    result = diff(doc, doc)
    assert result.summary.reused == result.summary.passages and result.summary.reused_share == 1.0
    assert result.dropped == []


def test_empty_new_document() -> None:
    result = diff(load_document(str(SEEDS / SEED_FILES[0])), from_text("", "empty"))
    assert result.summary.passages == 0 and result.summary.reused_share == 0.0
    assert len(result.dropped) > 0


def test_short_lines_match_exactly() -> None:
    old = from_text("首頁 > 頭條\n\nEnglish\n\n---\n\n正文一段。", "old")
    new = from_text("首页 >  头条\n---\nenglish\n另一段正文。", "new")
    statuses = {p.passage.text: p.status for p in diff(old, new).passages}
    assert statuses == {"首页 >  头条": "reused", "---": "reused", "english": "reused", "另一段正文。": "new"}


def test_formula_inside_new_sentence_is_partial() -> None:
    old = from_text("習近平強調,今年是中國人民抗日戰爭、蘇聯偉大衛國戰爭暨世界反法西斯戰爭勝利80週年。", "old")
    new = from_text(
        "雙方表示,將隆重紀念中國人民抗日戰爭、蘇聯偉大衛國戰爭暨世界反法西斯戰爭勝利80週年,並加強合作。", "new"
    )
    (p,) = diff(old, new).passages
    assert p.status == "partial"
    (span,) = p.spans
    assert new.text[span[0] : span[1]] == "中國人民抗日戰爭、蘇聯偉大衛國戰爭暨世界反法西斯戰爭勝利80週年"


def test_report_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    outputs = set()
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "reuse",
                "diff",
                "--format",
                "json",
                f"seeds/{SEED_FILES[0]}",
                f"seeds/{SEED_FILES[1]}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        ).stdout
        outputs.add(out)
    assert len(outputs) == 1


GOLDEN = ROOT / "tests" / "data" / "diff_001_003.md"


def test_markdown_report_golden(chdir_root: Path) -> None:
    """The Markdown report of diff 001 → 003, byte for byte against a file a person wrote and reviewed."""
    import difflib

    result = diff(load_document("seeds/001_663fe8751431e96d.txt"), load_document("seeds/003_b1f2f82659ca7572.txt"))
    report = render_markdown(result)
    golden = GOLDEN.read_text(encoding="utf-8")
    if report != golden:
        changes = "".join(
            difflib.unified_diff(
                golden.splitlines(keepends=True), report.splitlines(keepends=True), str(GOLDEN), "the report now"
            )
        )
        pytest.fail(
            f"the Markdown report differs from {GOLDEN.name}:\n{changes}\n"
            "If the change is intended, write the new report to the file yourself (`python -m reuse diff "
            "seeds/001_663fe8751431e96d.txt seeds/003_b1f2f82659ca7572.txt --format markdown "
            f"-o {GOLDEN.relative_to(ROOT)}`), read `git diff {GOLDEN.relative_to(ROOT)}` line by line, "
            "and commit it with the change that explains it; the tests never write it.",
            pytrace=False,
        )


def test_json_contract(result_003_vs_001) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render_json(result_003_vs_001))
    assert set(data["summary"]) >= {"passages", "new", "reused", "partial", "reused_share"}
    keys = {"doc", "index", "start", "end", "text", "lang", "status", "similarity", "matches", "spans"}
    for p in data["passages"] + data["dropped"]:
        assert keys <= set(p)
        for m in p["matches"]:
            assert {"doc", "index", "start", "end", "similarity"} <= set(m)
    assert [p["index"] for p in data["passages"]] == list(range(len(data["passages"])))
    assert data["passages"][0]["doc"] == EXPECT["new"] or data["passages"][0]["doc"].endswith(EXPECT["new"])


SENTENCES = st.lists(
    st.sampled_from(
        [
            "中俄关系稳定发展。",
            "维护国际公平正义。",
            "Xi met Putin.",
            "新华社记者 饶爱民 摄",
            "两国元首还共同会见了记者。",
            "\n",
        ]
    ),
    max_size=12,
).map("".join)


@hsettings(max_examples=60, deadline=None)
@given(SENTENCES, SENTENCES)
def test_diff_invariants(old_text: str, new_text: str) -> None:
    result = diff(from_text(old_text, "old"), from_text(new_text, "new"), Settings(min_span=6))
    s = result.summary
    assert s.new + s.reused + s.partial == s.passages == len(result.passages)
    assert 0.0 <= s.reused_share <= 1.0
    for p in result.passages:
        assert new_text[p.passage.start : p.passage.end] == p.passage.text
        if p.passage.text in old_text.splitlines() or p.passage.text + "\n" in old_text:
            assert p.status == "reused"


PHRASES = st.lists(
    st.sampled_from(
        [
            "中俄关系稳定发展",
            "维护国际公平正义",
            "两国元首还共同会见了记者",
            "Xi met Putin at the Kremlin",
            "the two sides agreed",
            "，",
            "。",
            " ",
            "\n",
        ]
    ),
    max_size=16,
).map("".join)


@hsettings(max_examples=100, deadline=None)
@given(PHRASES, PHRASES)
def test_dropped_passages_are_those_a_full_verification_calls_new(old_text: str, new_text: str) -> None:
    """`unmatched` stops at a passage's first reused candidate; verifying every candidate (compare) is the
    slow reference: the passages it calls new are exactly the dropped ones, with the same figures."""
    settings = Settings(min_span=6)
    old, new = prepare(from_text(old_text, "old"), settings), prepare(from_text(new_text, "new"), settings)
    expected = [p for p in compare(old, new, settings) if p.status == "new"]
    assert unmatched(old, new, settings) == expected
    result = diff(old.document, new.document, settings)
    assert [p.passage for p in result.dropped] == [p.passage for p in expected]
    assert all(p.status == "dropped" for p in result.dropped)


@pytest.mark.parametrize("in_memory", [200_000, 3])
@pytest.mark.parametrize("old_name, new_name", [(SEED_FILES[0], SEED_FILES[1]), (SEED_FILES[3], SEED_FILES[2])])
def test_results_kept_sparsely_read_as_every_passage_verified(
    old_name: str, new_name: str, in_memory: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare keeps only the results that found something (past in_memory of them, on disk) and makes the
    others when read: each reads as the verifier's own result for that passage, and the dropped as
    unmatched lists them."""
    from reuse.commands.diff import _candidates, candidate_codes
    from reuse.verify import results
    from reuse.verify.verifier import PassageVerifier

    monkeypatch.setattr(results, "IN_MEMORY", in_memory)

    settings = Settings()
    old, new = prepare(seed_doc(old_name), settings), prepare(seed_doc(new_name), settings)
    pairs = candidate_codes(new, old, settings)
    kept = compare(new, old, settings, pairs, links=True)
    verifier = PassageVerifier(new, settings)
    every = [
        verifier.verify(i, found, locate=lambda s, a, b: old.original_range(s.index, a, b))
        for i, found in enumerate(_candidates(new, old, pairs))
    ]
    assert len(kept) == len(every) and list(kept) == every and kept[3:7] == every[3:7] and kept[-1] == every[-1]
    assert 0 < len(kept.found) < len(every)  # type: ignore[attr-defined]
    held = sum(1 + len(r.matches) for r in every if r.matches or r.status != "new")
    assert (kept.found.file is not None) == (held > in_memory)  # type: ignore[attr-defined]
    result = diff(old.document, new.document, settings)
    assert list(result.dropped) == [
        replace(p, status="dropped") for p in unmatched(old, new, settings)
    ] and result.dropped == list(result.dropped)


@pytest.mark.parametrize("old_name, new_name", [(SEED_FILES[0], SEED_FILES[1]), (SEED_FILES[4], SEED_FILES[2])])
def test_candidates_found_once_for_both_directions_are_each_directions_own(old_name: str, new_name: str) -> None:
    """diff finds the exact-key and LSH pairs once and turns them round for OLD's dropped passages: the
    pairs of each direction are candidate_codes' own, computed one way at a time."""
    from reuse.commands import diff as diff_module

    settings = Settings()
    old, new = prepare(seed_doc(old_name), settings), prepare(seed_doc(new_name), settings)
    seen: list[np.ndarray] = []
    compare_of, unmatched_of = diff_module.compare, diff_module.unmatched_indexes

    def spy_compare(target, reference, settings, candidates, *rest):  # type: ignore[no-untyped-def]
        seen.append(candidates)
        return compare_of(target, reference, settings, candidates, *rest)

    def spy_unmatched(target, reference, settings, candidates, *rest):  # type: ignore[no-untyped-def]
        seen.append(candidates)
        return unmatched_of(target, reference, settings, candidates, *rest)

    diff_module.compare, diff_module.unmatched_indexes = spy_compare, spy_unmatched
    try:
        diff(old.document, new.document, settings)
    finally:
        diff_module.compare, diff_module.unmatched_indexes = compare_of, unmatched_of
    fresh_old, fresh_new = prepare(old.document, settings), prepare(new.document, settings)
    assert np.array_equal(seen[0], diff_module.candidate_codes(fresh_new, fresh_old, settings))
    assert np.array_equal(seen[1], diff_module.candidate_codes(fresh_old, fresh_new, settings))
    assert seen[0].size and seen[1].size


def test_set_aside_arrays_and_returned_blocks_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A big OLD's search arrays and offset map wait on disk while NEW is prepared, and OLD's candidates
    while NEW is verified; the command line has glibc give big blocks back (on glibc systems): the same report
    either way (here forced on the seeds)."""
    from reuse.commands import diff as diff_module
    from reuse.runtime.memory import SetAside

    old, new = seed_doc(SEED_FILES[0]), seed_doc(SEED_FILES[1])
    expected = render_json(diff(old, new))
    written: list[int] = []
    real_init = SetAside.__init__

    def counting(self: SetAside, arrays: list[np.ndarray]) -> None:
        written.append(sum(a.size for a in arrays))
        real_init(self, arrays)

    monkeypatch.setattr(SetAside, "__init__", counting)
    monkeypatch.setattr(diff_module, "SET_ASIDE_FROM", 1)
    monkeypatch.setattr(diff_module, "_PASSAGE_BLOCK", 3)  # candidates turned into integers 3 passages at a time
    assert render_json(diff(old, new)) == expected and len(written) == 3 and min(written) > 0
    # glibc told to give big blocks back (in a process of its own: it is process-wide), then the same diff.
    code = (
        "import sys; from reuse.runtime.memory import return_big_blocks; print(return_big_blocks()); "
        "from reuse.commands.diff import diff; from reuse.load.document import load_document; "
        "from reuse.reports.diff import render_json; "
        "sys.stdout.write(render_json(diff(load_document(sys.argv[1]), load_document(sys.argv[2]))))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, old.id, new.id], cwd=ROOT, capture_output=True, text=True, check=True
    )
    told, report = run.stdout.split("\n", 1)
    assert report == expected
    assert told == "True" or not sys.platform.startswith("linux")
