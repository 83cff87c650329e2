from __future__ import annotations

from pathlib import Path

import pytest

from reuse.document import load_document
from reuse.errors import InputError


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


def test_invalid_utf8_names_byte_offset_and_suggests_encoding(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("中文".encode() + b"\xff\xfe abc")
    with pytest.raises(InputError) as err:
        load_document(str(path))
    assert str(err.value) == (
        f"{path}: cannot decode byte 6 as utf-8 (invalid start byte); pass --encoding if the file is not UTF-8"
    )


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
