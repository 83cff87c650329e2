from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reuse.corpus import InputOptions, load_corpus
from reuse.errors import InputError
from reuse.html import html_to_text


def make_tree(root: Path) -> None:
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "a.txt").write_text("甲。", encoding="utf-8")
    (root / "b.md").write_text("乙。", encoding="utf-8")
    (root / ".hidden").write_text("no", encoding="utf-8")


def test_directory_ids_are_relative_paths_sorted(tmp_path: Path) -> None:
    make_tree(tmp_path / "corpus")
    corpus = load_corpus([str(tmp_path / "corpus")])
    assert [d.id for d in corpus.documents] == [f"{tmp_path}/corpus/2024/a.txt", f"{tmp_path}/corpus/b.md"]


def test_glob_filters_files(tmp_path: Path) -> None:
    make_tree(tmp_path / "corpus")
    corpus = load_corpus([str(tmp_path / "corpus")], InputOptions(glob="*.md"))
    assert [d.text for d in corpus.documents] == ["乙。"]
    with pytest.raises(InputError, match=r"corpus: no files matching '\*\.xml'$"):
        load_corpus([str(tmp_path / "corpus")], InputOptions(glob="*.xml"))


def test_jsonl_documents_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    rows = [{"url": "u1", "body": "一。"}, {"url": "u2", "body": "二。"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    corpus = load_corpus([str(path)], InputOptions(id_key="url", text_key="body"))
    assert [(d.id, d.text, d.source) for d in corpus.documents] == [
        ("u1", "一。", f"{path}:1"),
        ("u2", "二。", f"{path}:2"),
    ]
    with pytest.raises(InputError, match=r"docs\.jsonl:1: no 'id' key \(set --id-key/--text-key\)$"):
        load_corpus([str(path)])


def test_jsonl_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: not valid JSON"):
        load_corpus([str(path)])


def test_stdin() -> None:
    corpus = load_corpus(["-"], stdin=io.BytesIO("首頁 > 頭條\n".encode()))
    assert [(d.id, d.text) for d in corpus.documents] == [("-", "首頁 > 頭條\n")]


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="already used"):
        load_corpus([str(path), str(path)])


def test_skip_bad_lists_every_skipped_input(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.bin"
    good.write_text("好。", encoding="utf-8")
    bad.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(InputError, match="binary file"):
        load_corpus([str(good), str(bad)])
    corpus = load_corpus([str(good), str(bad), str(tmp_path / "missing.txt")], InputOptions(skip_bad=True))
    assert [d.text for d in corpus.documents] == ["好。"]
    assert [s.source for s in corpus.skipped] == [str(bad), str(tmp_path / "missing.txt")]
    with pytest.raises(InputError, match="^no documents to read"):
        load_corpus([str(bad)], InputOptions(skip_bad=True))


def test_html_blocks_become_lines_scripts_dropped_entities_decoded() -> None:
    page = (
        "<html><head><title>標題</title><style>p{color:red}</style><script>var x = '<p>no</p>';</script></head>"
        "<body><nav>首頁 &gt; 頭條</nav><div><p>第一段<b>加粗</b>。<br>第二行</p></div>"
        "<ul><li>甲</li><li>乙 &amp; 丙</li></ul></body></html>"
    )
    assert html_to_text(page, "p.html") == "標題\n首頁 > 頭條\n第一段加粗。\n第二行\n甲\n乙 & 丙\n"


def test_html_file_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>一</p><p>二</p></body></html>", encoding="utf-8")
    (doc,) = load_corpus([str(path)]).documents
    assert doc.text == "一\n二\n"


def test_encodings_are_detected_and_reported(tmp_path: Path) -> None:
    (tmp_path / "gb.txt").write_bytes("习近平同俄罗斯总统普京举行视频会晤。两国元首互致新年祝福。".encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes("習近平同俄羅斯總統普京舉行視頻會晤。兩國元首互致新年祝福。".encode("big5"))
    encodings = {Path(d.id).name: d.encoding for d in load_corpus([str(tmp_path)]).documents}
    assert encodings == {"big5.txt": "big5", "gb.txt": "gb18030"}
