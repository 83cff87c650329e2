from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reuse.commands.audit import audit
from reuse.commands.clean import clean, read_manifest, restore
from reuse.commands.scan import scan
from reuse.errors import InputError
from reuse.load.corpus import load_corpus

from .conftest import ROOT, SEED_FILES


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", target)
    return target


def test_clean_round_trip(seeds_copy: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in seeds_copy.iterdir()}
    out = tmp_path / "out"
    result = scan(load_corpus([str(seeds_copy)]))
    written, removed = clean(result, str(out), [str(seeds_copy)], {"boilerplate", "repeat", "formula", "reused"})
    assert written == 5 and removed > 20
    assert {p.name: p.read_bytes() for p in seeds_copy.iterdir()} == before  # inputs untouched
    manifest = read_manifest(str(out / "reuse-manifest.jsonl"))
    for doc in result.prepared:
        cleaned = (out / Path(doc.document.id).name).read_text(encoding="utf-8")
        entries = manifest.get(doc.document.id, [])
        assert restore(cleaned, entries) == doc.document.text
        for entry in entries:
            assert doc.document.text[entry.start : entry.end] == entry.text


def test_clean_removes_boilerplate_and_later_copies_only(seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = scan(load_corpus([str(seeds_copy)]))
    clean(result, str(out), [str(seeds_copy)], {"boilerplate", "repeat"})
    cleaned = (out / SEED_FILES[0]).read_text(encoding="utf-8")
    original = (seeds_copy / SEED_FILES[0]).read_text(encoding="utf-8")
    assert "發佈時間" not in cleaned and "首頁" not in cleaned
    caption = "1月21日下午,國家主席習近平在北京人民大會堂同俄羅斯總統普京舉行視頻會晤。"
    # Four photo captions (with a credit) and the article's own first sentence: one caption stays, and the sentence.
    assert original.count(caption) == 5 and cleaned.count(caption) == 2
    assert original.count("新華社記者 饒愛民 攝") == 3 and cleaned.count("新華社記者 饒愛民 攝") == 1
    assert "兩國元首互致新年祝福。" in cleaned


def test_clean_refuses_to_write_into_an_input(seeds_copy: Path) -> None:
    result = scan(load_corpus([str(seeds_copy)]))
    with pytest.raises(InputError, match="is inside the input directory"):
        clean(result, str(seeds_copy / "cleaned"), [str(seeds_copy)], {"boilerplate"})
    assert not (seeds_copy / "cleaned").exists()


def test_audit_of_seeds_and_duplicates(seeds_copy: Path) -> None:
    shutil.copy(seeds_copy / SEED_FILES[4], seeds_copy / "copy_of_004.txt")
    text = (seeds_copy / SEED_FILES[0]).read_text(encoding="utf-8")
    (seeds_copy / "edited_000.txt").write_text(text.replace("王毅參加活動。", "王毅、蔡奇參加活動。"), encoding="utf-8")
    (seeds_copy / "empty.txt").write_text("", encoding="utf-8")
    result = audit(scan(load_corpus([str(seeds_copy)])))
    names = [[Path(d).name for d in group] for group in result.exact_duplicates]
    assert names == [[SEED_FILES[4], "copy_of_004.txt"]]
    near = [[Path(d).name for d in group] for group in result.near_duplicates]
    assert near == [[SEED_FILES[0], "edited_000.txt"]]
    by_name = {Path(d.id).name: d for d in result.documents}
    assert by_name["empty.txt"].empty
    assert by_name[SEED_FILES[0]].repeats >= 4
    assert by_name[SEED_FILES[0]].languages == ["en", "zh"] and by_name[SEED_FILES[2]].languages == ["ru", "zh"]
    assert not any(d.mixed_scripts for d in result.documents)
    fragments = by_name[SEED_FILES[2]].fragments
    text002 = (seeds_copy / SEED_FILES[2]).read_text(encoding="utf-8")
    cut = [text002[s:e] for s, e in fragments]
    assert any(t.endswith("同其他成") for t in cut) and any(t.startswith("员国一道") for t in cut)


def test_mixed_scripts(tmp_path: Path) -> None:
    (tmp_path / "mixed.txt").write_text(
        "習近平同俄羅斯總統普京舉行會談。习近平同俄罗斯总统普京举行会谈。", encoding="utf-8"
    )
    (doc,) = audit(scan(load_corpus([str(tmp_path)]))).documents
    assert doc.mixed_scripts and doc.scripts["traditional"] > 3 and doc.scripts["simplified"] > 3


def test_clean_refuses_to_replace_a_jsonl_input(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text('{"id": "docs.jsonl", "text": "首頁 > 頭條\\n一。"}\n', encoding="utf-8")
    before = source.read_bytes()
    result = scan(load_corpus([str(source)]))
    with pytest.raises(InputError, match="would replace an input file"):
        clean(result, str(tmp_path), [str(source)], {"boilerplate"})
    assert source.read_bytes() == before
