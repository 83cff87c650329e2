from __future__ import annotations

from pathlib import Path

import pytest

from reuse.errors import InputError
from reuse.load.document import load_document


def test_reads_utf8_and_strips_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf\xe9\xa6\x96\xe9\xa0\x81\n")
    doc = load_document(str(path))
    assert doc.text == "首頁\n"
    assert doc.id == str(path)
    assert doc.encoding == "utf-8"


def test_empty_file_is_a_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert load_document(str(path)).text == ""


def test_missing_file() -> None:
    with pytest.raises(InputError, match=r"^nope\.txt: no such file$"):
        load_document("nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, expected a file$"):
        load_document(str(tmp_path))


def test_undecodable_bytes_name_byte_offset_and_suggest_encoding(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("中文".encode() + b"\xff\xfe abc")
    with pytest.raises(InputError) as err:
        load_document(str(path))
    assert str(err.value) == (
        f"{path}: cannot decode byte 6 as utf-8 (invalid start byte) and no other encoding fits; pass --encoding"
    )


def test_forced_encoding_error_names_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("中文".encode() + b"\xff")
    with pytest.raises(InputError, match=r"cannot decode byte 6 as utf-8 \(invalid start byte\)$"):
        load_document(str(path), encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("gb18030", "习近平同俄罗斯总统普京举行视频会晤。两国元首互致新年祝福。"),
        ("big5", "習近平同俄羅斯總統普京舉行視頻會晤。兩國元首互致新年祝福。"),
        ("utf-16", "習近平同俄羅斯總統普京舉行視頻會晤。"),
        ("utf-16-le", "習近平同俄羅斯總統普京舉行視頻會晤。兩國元首互致新年祝福。"),
        ("cp1252", "Café déjà vu — naïve résumé, Zürich’s “smart” quotes and more text here."),
    ],
)
def test_detects_common_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(str(path))
    assert doc.text == text
    assert doc.encoding.replace("_", "-").startswith(encoding.split("-")[0])


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match=r"binary file \(NUL byte at byte 8\), not text$"):
        load_document(str(path))


def test_encoding_override(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes("习近平同俄罗斯总统普京".encode("gb18030"))
    assert load_document(str(path), encoding="gb18030").text == "习近平同俄罗斯总统普京"


def test_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        load_document(str(path), encoding="klingon")


def test_load_document_follows_the_input_rules(tmp_path: Path) -> None:
    """The library's diff of an HTML page compares its text, as the corpus commands read it."""
    page = tmp_path / "page.html"
    page.write_bytes(
        '<html><head><meta charset="gbk"><title>会谈</title></head><body><p>习近平同普京会谈。</p>'
        "<script>var x = 1;</script></body></html>".encode("gb18030")
    )
    doc = load_document(str(page))
    assert (doc.id, doc.text, doc.encoding, doc.path) == (str(page), "会谈\n习近平同普京会谈。\n", "gb18030", str(page))
    assert load_document(str(page), doc_id="old").id == "old"


def test_load_document_of_jsonl_takes_its_one_document(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text('{"id": "readout-1", "text": "习近平同普京会谈。"}\n', encoding="utf-8")
    doc = load_document(str(path))
    assert (doc.id, doc.text) == ("readout-1", "习近平同普京会谈。")
    path.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_document(str(path))
    assert str(err.value) == f"{path}: holds 2 documents; diff compares one document with one"


def test_load_document_is_still_exported() -> None:
    import reuse

    assert reuse.load_document is load_document
