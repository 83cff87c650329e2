"""`clean` keeps its promise on the bytes: a copy is its input in the input's encoding minus the removals.

Also: an HTML page's copy is its extracted text under NAME.html.txt; ids no file can be named after
are refused in one line before anything is written; a file name that is not UTF-8 is cleaned.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from reuse.commands.clean import clean, read_manifest, restore, restore_bytes
from reuse.commands.scan import scan
from reuse.errors import InputError
from reuse.load.corpus import Corpus, load_corpus
from reuse.load.document import Document

from .conftest import ROOT

FURNITURE = "首頁 > 頭條\n發佈時間:2025-01-21 | 來源:新華網 | 責任編輯:劉暢\n"
FOOTER = "(本網站所刊登的各種新聞、信息和各種專題專欄資料,均為新華網版權所有)\n"

# How each input is written: the codec and the byte order mark in front (the file's bytes are bom + text in codec).
ENCODINGS = {
    "utf8": ("utf-8", b""),
    "utf8bom": ("utf-8", codecs.BOM_UTF8),
    "gb18030": ("gb18030", b""),
    "big5": ("big5", b""),
    "utf16le_bom": ("utf-16-le", codecs.BOM_UTF16_LE),
    "utf16be_bom": ("utf-16-be", codecs.BOM_UTF16_BE),
    "utf16le": ("utf-16-le", b""),
}


def _paragraphs() -> list[str]:
    """Traditional-Chinese paragraphs of the seeds, in characters Big5 has."""
    found = []
    for name in ("000_72809ab1e56e2c9e.txt", "004_1be1cfc6bdf062d7.txt"):
        text = (ROOT / "seeds" / name).read_text(encoding="utf-8").replace("\xa0", " ")
        found += [p.strip() for p in text.split("\n") if len(p.strip()) > 30 and "頁" not in p and "發佈" not in p]
    distinct: dict[str, str] = {}  # captions repeat across the seeds; each readout's paragraphs must be its own
    for paragraph in found:
        if _fits(paragraph, "big5"):
            distinct.setdefault(paragraph[:12], paragraph)
    return list(distinct.values())


def _fits(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _readouts() -> dict[str, str]:
    """One readout per encoding: the same furniture, their own paragraphs, and one paragraph said twice."""
    paragraphs = _paragraphs()
    out = {}
    for number, name in enumerate(ENCODINGS):
        own = paragraphs[number * 3 : number * 3 + 3]
        assert len(own) == 3, "the seeds have too few paragraphs for this test"
        body = "\n".join([*own, own[0]])  # the repeat: the second copy is removed
        out[name] = f"{FURNITURE}{body}\n{FOOTER}"
    return out


@pytest.fixture
def encoded_corpus(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path / "in"
    folder.mkdir()
    originals = {}
    for name, text in _readouts().items():
        codec, bom = ENCODINGS[name]
        originals[f"{name}.txt"] = bom + text.encode(codec)
        (folder / f"{name}.txt").write_bytes(originals[f"{name}.txt"])
    return folder, originals


def test_every_original_is_rebuilt_byte_for_byte_from_its_copy_and_the_manifest(
    encoded_corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    folder, originals = encoded_corpus
    out = tmp_path / "out"
    result = scan(load_corpus([str(folder)]), jobs=1)
    clean(result, str(out), [str(folder)], {"boilerplate", "repeat"})
    manifest = read_manifest(str(out / "reuse-manifest.jsonl"))
    for name, original in originals.items():
        entries = manifest[f"{folder}/{name}"]
        copy = (out / name).read_bytes()
        assert {e.kind for e in entries} == {"boilerplate", "repeat"}, name
        codec, bom = ENCODINGS[name.removesuffix(".txt")]
        assert {(e.encoding.replace("_", "-"), e.bom, e.extracted) for e in entries} == {(codec, bom != b"", False)}
        assert copy.startswith(bom) and len(copy) < len(original)
        assert restore_bytes(copy, entries) == original, name
    # The copy is the original with the removed text cut out, nothing else changed (decoded here to compare).
    big5 = (out / "big5.txt").read_bytes().decode("big5")
    assert FURNITURE.splitlines()[0] not in big5 and big5.count(_paragraphs()[9]) == 1


def test_a_document_without_removals_is_copied_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = codecs.BOM_UTF16_BE + "習近平同普京舉行視頻會晤。兩國元首互致新年祝福。".encode("utf-16-be")
    (folder / "alone.txt").write_bytes(data)
    result = scan(load_corpus([str(folder)]), jobs=1)
    assert clean(result, str(tmp_path / "out"), [str(folder)], {"boilerplate", "repeat"}) == (1, 0)
    assert (tmp_path / "out" / "alone.txt").read_bytes() == data


def test_an_html_page_is_cleaned_into_its_extracted_text_never_under_its_own_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number, paragraph in enumerate(_paragraphs()[:3]):
        page = (
            f"<html><body><p>首頁 &gt; 頭條</p><p>{paragraph}</p><p>新華網版權所有 &amp; 轉載請註明</p></body></html>"
        )
        (folder / f"page{number}.html").write_text(page, encoding="utf-8")
    out = tmp_path / "out"
    result = scan(load_corpus([str(folder)]), jobs=1)
    clean(result, str(out), [str(folder)], {"boilerplate", "repeat"})
    assert sorted(os.listdir(out)) == ["page0.html.txt", "page1.html.txt", "page2.html.txt", "reuse-manifest.jsonl"]
    manifest = read_manifest(str(out / "reuse-manifest.jsonl"))
    for prepared in result.prepared:
        doc = prepared.document
        entries = manifest[doc.id]
        assert entries and all(e.extracted and e.encoding == "utf-8" and not e.bom for e in entries)
        copy = (out / (Path(doc.id).name + ".txt")).read_text(encoding="utf-8")
        assert "<p>" not in copy and "首頁 > 頭條" not in copy
        assert restore(copy, entries) == doc.text  # the extracted text, which the offsets point into


def test_manifest_keeps_its_keys_and_adds_how_to_read_the_copy(
    encoded_corpus: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    folder, _ = encoded_corpus
    out = tmp_path / "out"
    clean(scan(load_corpus([str(folder)]), jobs=1), str(out), [str(folder)], {"boilerplate"})
    rows = [json.loads(line) for line in (out / "reuse-manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    keys = ["doc", "start", "end", "family", "kind", "text", "encoding", "bom", "extracted", "evidence"]
    assert rows and all(list(row) == keys for row in rows)
    # Each removal says why its text is boilerplate, as the scan's members do.
    assert all(row["evidence"] and row["evidence"][0]["kind"] in ("repetition", "structure") for row in rows)


def test_a_character_the_copy_cannot_hold_is_one_line_error_before_anything_is_written(tmp_path: Path) -> None:
    # Cannot come from a file read as Big5; a document made in code can have it.
    doc = Document("made.txt", "首頁 > 頭條\n笑😀\n", "made.txt", "big5", "made.txt", "")
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        clean(scan(Corpus([doc]), jobs=1), str(out), [], {"boilerplate"})
    assert str(caught.value) == (
        "made.txt: character U+1F600 at 9 of the cleaned text of 'made.txt' cannot be written in big5"
    )
    assert not out.exists()


def _jsonl(tmp_path: Path, *ids: str) -> Path:
    path = tmp_path / "docs.jsonl"
    rows = [json.dumps({"id": doc_id, "text": f"首頁 > 頭條\n第{n}篇。\n"}) for n, doc_id in enumerate(ids)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


NAMELESS = {  # ids -> the error, for ids that no file can be named after
    "nul": (
        ["ok", "a\0b"],
        "{jsonl}:2: document id 'a\\x00b' holds a NUL character, which no file name can hold; give it another id",
    ),
    "long": (
        ["x" * 256],
        "{jsonl}:1: document id '" + "x" * 256 + "' makes a file name of 256 bytes; the file system allows 255",
    ),
    "long-in-utf8": (
        ["é" * 128],
        "{jsonl}:1: document id '" + "é" * 128 + "' makes a file name of 256 bytes; the file system allows 255",
    ),
    "file-then-directory": (
        ["a", "a/b"],
        (
            "{jsonl}:1: document id 'a' would be a file where document 'a/b' ({jsonl}:2) needs a directory; "
            "clean them separately"
        ),
    ),
    "directory-then-file": (
        ["a/b/c", "a/b"],
        (
            "{jsonl}:2: document id 'a/b' would be a file where document 'a/b/c' ({jsonl}:1) needs a directory; "
            "clean them separately"
        ),
    ),
    "the-manifest": (
        ["reuse-manifest.jsonl"],
        (
            "{jsonl}:1: document id 'reuse-manifest.jsonl' would be written to the manifest's path "
            "{out}/reuse-manifest.jsonl; pass --manifest elsewhere"
        ),
    ),
}


@pytest.mark.parametrize(("ids", "message"), NAMELESS.values(), ids=NAMELESS.keys())
def test_ids_no_file_can_be_named_after_are_refused_before_anything_is_written(
    run: Any, tmp_path: Path, ids: list[str], message: str
) -> None:
    source = _jsonl(tmp_path, *ids)
    out = tmp_path / "out"
    result = run("clean", str(source), "--out", str(out), "--jobs", "1")
    assert (result.exit_code, result.output) == (1, "Error: " + message.format(jsonl=source, out=out) + "\n")
    assert not out.exists()


def test_a_copy_where_a_directory_already_is_is_refused_before_anything_is_written(run: Any, tmp_path: Path) -> None:
    source = _jsonl(tmp_path, "a", "b")
    out = tmp_path / "out"
    (out / "b").mkdir(parents=True)
    result = run("clean", str(source), "--out", str(out), "--jobs", "1")
    assert (result.exit_code, result.output) == (1, f"Error: {out}/b: is a directory, where a cleaned copy should go\n")
    assert os.listdir(out) == ["b"]


def test_a_file_name_that_is_not_utf8_is_cleaned_under_the_same_bytes(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.fsdecode(b"caf\xe9.txt")
    for name, line in ((odd, "習近平同普京會談。"), ("b.txt", "王毅參加活動。"), ("c.txt", "兩國元首互致祝福。")):
        (folder / name).write_text(f"首頁 > 頭條\n{line}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("clean", str(folder), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(os.fsencode(out))) == [b"b.txt", b"c.txt", b"caf\xe9.txt", b"reuse-manifest.jsonl"]
    assert (out / odd).read_text(encoding="utf-8") == "習近平同普京會談。\n"
    manifest = (out / "reuse-manifest.jsonl").read_bytes().decode("utf-8")  # valid UTF-8 throughout
    docs = [json.loads(line)["doc"] for line in manifest.splitlines()]
    assert docs == [f"{folder}/b.txt", f"{folder}/c.txt", f"{folder}/caf\\xe9.txt"]
    assert re.search(r"^3 documents written to .*, 3 removals", result.output)


def test_a_page_and_a_text_file_named_like_its_copy_are_refused(run: Any, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text("<html><body><p>首頁 &gt; 頭條</p></body></html>", encoding="utf-8")
    (folder / "page.html.txt").write_text("首頁 > 頭條\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("clean", str(folder), "--out", str(out), "--jobs", "1")
    assert (result.exit_code, result.output) == (
        1,
        (
            f"Error: {out}: documents '{folder}/page.html' and '{folder}/page.html.txt' would be written to the same "
            "path; clean the inputs separately\n"
        ),
    )
    assert not out.exists()
