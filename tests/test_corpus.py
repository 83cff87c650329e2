from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reuse.errors import InputError
from reuse.load.corpus import InputOptions, load_corpus, load_one
from reuse.load.html import html_to_text


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


@pytest.fixture
def deadline():  # type: ignore[no-untyped-def]
    """Fail, rather than hang the suite, if reading blocks (a pipe opened waiting for a writer)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("reading blocked for 10 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_named_pipe_inside_a_directory_is_refused(tmp_path: Path, deadline: None) -> None:
    (tmp_path / "a.txt").write_text("甲。", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError) as err:
        load_corpus([str(tmp_path)])
    assert str(err.value) == f"{tmp_path}/pipe: not a regular file (named pipe)"
    corpus = load_corpus([str(tmp_path)], InputOptions(skip_bad=True))
    assert [d.text for d in corpus.documents] == ["甲。"]
    assert [(s.source, s.reason) for s in corpus.skipped] == [
        (f"{tmp_path}/pipe", f"{tmp_path}/pipe: not a regular file (named pipe)")
    ]


def test_named_pipe_with_no_writer_is_an_error(tmp_path: Path, deadline: None) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError) as err:
        load_corpus([str(tmp_path / "pipe")])
    assert str(err.value) == f"{tmp_path}/pipe: named pipe with no writer"


def test_named_pipe_given_as_a_file_is_read_to_its_end(tmp_path: Path, deadline: None) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def write() -> None:
        with open(pipe, "wb") as handle:  # blocks until the loader opens the pipe
            time.sleep(0.3)  # connected, but nothing written yet: the reader must wait, not give up
            handle.write("習近平同普京會談。\n".encode() * 20_000)  # more than a pipe's buffer

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    (doc,) = load_corpus([str(pipe)]).documents
    writer.join()
    assert doc.text == "習近平同普京會談。\n" * 20_000


def test_process_substitution_pipe_is_read(deadline: None) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"Xi met Putin.\n")
    os.close(write_end)
    try:
        (doc,) = load_corpus([f"/proc/self/fd/{read_end}"]).documents
    finally:
        os.close(read_end)
    assert doc.text == "Xi met Putin.\n"


def _limited_memory() -> None:
    # Before the fix /dev/zero was read until memory ran out; cap it so a regression fails instead.
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def test_devices_are_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reuse", "scan", "/dev/zero"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        preexec_fn=_limited_memory,
    )
    assert (result.returncode, result.stderr) == (1, "Error: /dev/zero: not a regular file (character device)\n")


def test_dev_stdin_pipe_on_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reuse", "scan", "/dev/stdin", "--format", "json"],
        check=False,
        input=b"Xi Jinping held talks with Vladimir Putin.\n",
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (document,) = json.loads(result.stdout)["documents"]
    assert (document["id"], document["chars"]) == ("/dev/stdin", 43)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("null", "null"),
        ("true", "a boolean"),
        ("[1]", "a list"),
        ('{"a": 1}', "an object"),
        ("1.5", "a number with a fraction"),
    ],
)
def test_jsonl_ids_must_be_strings_or_integers(tmp_path: Path, value: str, kind: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(f'{{"id": "a", "text": "x"}}\n{{"id": {value}, "text": "y"}}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_corpus([str(path)])
    assert str(err.value) == f"{path}:2: 'id' is {kind}; ids must be strings or integers"


def test_jsonl_integer_ids_are_their_decimal_strings(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": 7, "text": "x"}\n{"id": -12, "text": "y"}\n', encoding="utf-8")
    assert [d.id for d in load_corpus([str(path)]).documents] == ["-12", "7"]


@pytest.mark.parametrize(
    ("row", "key"), [(r'{"id": "a", "text": "x\ud800y"}', "text"), (r'{"id": "\udfff", "text": "x"}', "id")]
)
def test_jsonl_lone_surrogates_are_refused(tmp_path: Path, row: str, key: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_corpus([str(path)])
    escaped = "\\ud800" if key == "text" else "\\udfff"
    assert str(err.value) == f"{path}:1: '{key}' holds a lone surrogate ({escaped}), which is not text"


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "corpus")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write("咖啡。".encode())
    (doc,) = load_corpus([str(tmp_path / "corpus")]).documents
    assert doc.id == f"{tmp_path}/corpus/caf\\xe9.txt"
    doc.id.encode("utf-8")  # printable: no surrogate escapes left
    assert doc.text == "咖啡。"
    assert os.fsencode(doc.path) == os.path.join(folder, b"caf\xe9.txt")
    assert os.fsencode(doc.relpath) == b"caf\xe9.txt"


def test_load_one_follows_the_input_rules(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>一</p><script>x()</script><p>二</p></body></html>", encoding="utf-8")
    doc = load_one(str(page))
    assert (doc.id, doc.text, doc.path) == (str(page), "一\n二\n", str(page))
    one = tmp_path / "one.jsonl"
    one.write_text('{"url": "u1", "body": "甲。"}\n', encoding="utf-8")
    assert load_one(str(one), InputOptions(id_key="url", text_key="body")).id == "u1"
    assert load_one("-", stdin=io.BytesIO("乙。".encode("gb18030") * 20)).text == "乙。" * 20


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "{p}: is a directory, expected a file"),
        (lambda p: None, "{p}: no such file"),
        (lambda p: p.write_bytes(b"\x00\x01binary"), "{p}: binary file (NUL byte at byte 0), not text"),
        (
            lambda p: p.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n'),
            "{p}: holds 2 documents; diff compares one document with one",
        ),
        (lambda p: p.write_text("\n"), "{p}: holds 0 documents; diff compares one document with one"),
        (lambda p: p.write_text('{"id": null, "text": "x"}\n'), "{p}:1: 'id' is null; ids must be strings or integers"),
    ],
)
def test_load_one_errors(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "input.jsonl"
    make(path)
    with pytest.raises(InputError) as err:
        load_one(str(path))
    assert str(err.value) == message.format(p=path)


def test_load_one_without_stdin() -> None:
    with pytest.raises(InputError, match=r"^-: no standard input to read$"):
        load_one("-")
