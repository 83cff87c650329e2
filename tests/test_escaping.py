"""Document text is shown, never obeyed: no markup from it in Markdown, no terminal controls in tables or JSON.

Markdown reports are rendered by a real renderer (markdown-it-py, GFM-like: tables, raw HTML allowed,
linkify on) and the HTML it produces is parsed with lxml.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reuse.reports.markup import json_inert, md_code, md_text, one_line, visible

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(2)>",
    "[click](javascript:alert(4))",
    "![x](http://evil.example/x.png)",
    "**bold** _x_ | pipe",
    "<http://evil.example> www.evil.example mail@evil.example //evil.example/x",
    "&amp; `code` ~~gone~~ $x$ back\\slash",
]
HEADING = "# The two sides signed a memorandum on cultural exchange and education programmes."
# Decoded on loading (the text is the text): the page says <script> in words, which must stay words.
ENTITY_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Readout</title></head><body>\n"
    "<p>The delegation discussed item 99 of the agenda, &lt;script&gt;alert(3)&lt;/script&gt; "
    "and agreed to continue cooperation on trade.</p>\n</body></html>\n"
)
ENTITY_TEXT = "<script>alert(3)</script>"
CONTROLS = ["\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\x9b2J", "\u202eevil\u202c", "\x08\x7f\x1c"]
CONTROLLED = [
    f"{c} {s}"
    for c, s in zip(
        CONTROLS,
        [
            "The delegation discussed fisheries quotas in the northern waters.",
            "Both ministers signed an agreement on railway construction.",
            "The leaders exchanged views on vaccine research and public health.",
            "Officials reviewed tariffs on agricultural exports this spring.",
            "The two sides agreed to launch a joint satellite programme.",
        ],
        strict=True,
    )
]
# What a terminal would act on: C0 controls but the line break, DEL, C1 controls, bidi controls.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ALLOWED_TAGS = {"div", "h1", "h2", "p", "br", "table", "thead", "tbody", "tr", "th", "td", "strong", "code"}


def sentence(i: int, hostile: str) -> str:
    return f"The delegation discussed item {i} of the agenda, {hostile} and agreed to continue cooperation on trade."


def partial(i: int, hostile: str) -> str:
    return f"The delegation discussed item {i} of the agenda, {hostile} while fishing quotas stayed unresolved."


@pytest.fixture
def corpus(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """old.txt and new.txt share the hostile sentences (reused), new.txt has some in part (partial).

    Returned relative to the working directory, so that reports show the whole of each name."""
    monkeypatch.chdir(tmp_path)
    folder = Path("corpus")
    folder.mkdir()
    old = [sentence(i, h) for i, h in enumerate(HOSTILE)] + [HEADING]
    new = old + [partial(i, h) for i, h in enumerate(HOSTILE)] + ["Both sides reaffirmed peace in the region."]
    (folder / "old.txt").write_text("\n\n".join(old) + "\n", encoding="utf-8")
    (folder / "new.txt").write_text("\n\n".join(new) + "\n", encoding="utf-8")
    (folder / "page.html").write_text(ENTITY_PAGE, encoding="utf-8")
    return folder


@pytest.fixture
def controls(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """Two files (one named with an ESC sequence) sharing sentences that carry terminal controls.

    Returned relative to the working directory, so that tables show the whole of each name."""
    monkeypatch.chdir(tmp_path)
    folder = Path("controls")
    folder.mkdir()
    text = "\n\n".join(CONTROLLED)
    (folder / "a.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "b\x1b[2J\u202e.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def render(markdown: str) -> Any:
    html = MarkdownIt("gfm-like").render(markdown)
    return lxml.html.fragment_fromstring(html, create_parent="div")


def assert_inert(root: Any) -> None:
    """Only the elements our own Markdown makes: no script, img, svg, iframe, textarea, link; no on* attribute."""
    tags = {el.tag if isinstance(el.tag, str) else "<comment or processing instruction>" for el in root.iter()}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    handlers = [(el.tag, a) for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    assert handlers == []


def rows(table: Any) -> list[list[Any]]:
    return [tr.findall("td") for tr in table.iter("tr") if tr.findall("td")]


def check_passage_cell(cell: Any, passage: dict[str, Any]) -> None:
    """The cell shows the passage text itself, its reused spans (and only they) in bold."""
    text = passage["text"]
    assert cell.text_content() == text
    bold = [el.text_content() for el in cell.iter("strong")]
    if passage["status"] == "reused":
        assert bold == [text]
    elif passage["status"] == "partial":
        assert bold == [text[s - passage["start"] : e - passage["start"]] for s, e in passage["spans"]]
    else:
        assert bold == []


def index(run, tmp_path: Path, *docs: Path) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "idx.sqlite")
    result = run("index", "build", *map(str, docs), "--index", path)
    assert result.exit_code == 0, result.output
    return path


# ---- Markdown through a real renderer ----


def test_diff_markdown_is_inert(run, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    old, new = str(corpus / "old.txt"), str(corpus / "new.txt")
    data = json.loads(run("diff", "--format", "json", old, new).output)
    result = run("diff", "--format", "markdown", old, new)
    assert result.exit_code == 0, result.output
    root = render(result.output)
    assert_inert(root)
    assert root.find("h1").text_content() == f"Diff of {new} against {old}"
    cells = {int(r[0].text_content()): r[4] for r in rows(root.find(".//table"))}
    assert {p["status"] for p in data["passages"]} == {"new", "reused", "partial"}
    for passage in data["passages"]:
        check_passage_cell(cells[passage["index"]], passage)
    shown = root.text_content()
    assert all(h in shown for h in [*HOSTILE, HEADING])


def test_diff_markdown_of_an_html_page_is_inert(run, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", "--format", "markdown", str(corpus / "old.txt"), str(corpus / "page.html"))
    assert result.exit_code == 0, result.output
    assert_inert(render(result.output))


def test_diff_against_markdown_is_inert(run, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    idx = index(run, tmp_path, corpus / "old.txt")
    old, new = str(corpus / "page.html"), str(corpus / "new.txt")
    data = json.loads(run("diff", "--format", "json", old, new, "--against", idx).output)
    result = run("diff", "--format", "markdown", old, new, "--against", idx)
    assert result.exit_code == 0, result.output
    root = render(result.output)
    assert_inert(root)
    against = root.findall(".//table")[-1]
    texts = {int(r[0].text_content()): r[3].text_content() for r in rows(against)}
    seen = {p["index"]: p["text"] for p in data["passages"] if p["index_match"]["status"] != "new"}
    assert texts == seen and any(HOSTILE[0] in t for t in texts.values())


def test_scan_markdown_is_inert(run, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("scan", "--format", "json", str(corpus)).output)
    result = run("scan", "--format", "markdown", str(corpus))
    assert result.exit_code == 0, result.output
    root = render(result.output)
    assert_inert(root)
    families, documents = root.findall(".//table")
    shown = [(r[4].text_content(), r[5].text_content()) for r in rows(families)]
    assert shown == [(f["text"], f["template"] or "") for f in data["families"]]
    assert any(HOSTILE[0] in text for text, _ in shown)
    assert [r[0].text_content() for r in rows(documents)] == [d["id"] for d in data["documents"]]


def test_scan_markdown_of_pages_and_skipped_inputs_is_inert(run, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    pages = Path("pages")
    pages.mkdir()
    for name in ("a.html", "b.html"):
        (pages / name).write_text(ENTITY_PAGE, encoding="utf-8")
    bad = pages / "<img src=x onerror=alert(1)>.txt"
    bad.write_bytes(b"\x00binary")
    result = run("scan", "--skip-bad", "--format", "markdown", str(pages))
    assert result.exit_code == 0, result.output
    root = render(result.output)
    assert_inert(root)
    assert ENTITY_TEXT in root.find(".//table").text_content()  # decoded on loading, shown as words
    assert f"Skipped {bad}: {bad}: binary file" in root.find("p").text_content()


def test_scan_against_markdown_is_inert(run, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    weird = corpus / "[x](javascript:alert(5)) <b>.txt"
    weird.write_text(sentence(0, HOSTILE[0]) + "\n", encoding="utf-8")
    idx = index(run, tmp_path, corpus / "old.txt")
    result = run("scan", "--format", "markdown", str(corpus), "--against", idx)
    assert result.exit_code == 0, result.output
    root = render(result.output)
    assert_inert(root)
    against = root.findall(".//table")[-1]
    assert str(weird) in [r[0].text_content() for r in rows(against)]


def test_index_query_markdown_is_inert(run, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    idx = index(run, tmp_path, corpus / "old.txt")
    docs = [str(corpus / "new.txt"), str(corpus / "page.html")]
    data = json.loads(run("index", "query", *docs, "--index", idx, "--format", "json").output)
    result = run("index", "query", *docs, "--index", idx, "--format", "markdown")
    assert result.exit_code == 0, result.output
    root = render(result.output)
    assert_inert(root)
    assert [h.text_content() for h in root.findall("h2")] == docs
    tables = root.findall(".//table")
    assert len(tables) == len(data["documents"]) == 2
    for table, doc in zip(tables, data["documents"], strict=True):
        cells = {int(r[0].text_content()): r[4] for r in rows(table)}
        for passage in doc["passages"]:
            check_passage_cell(cells[passage["index"]], passage)
    assert any(p["status"] == "partial" for p in data["documents"][0]["passages"])
    assert ENTITY_TEXT in root.text_content()  # decoded on loading, shown as words


# ---- terminal tables and JSON ----


def assert_terminal_safe(output: str) -> None:
    assert not RAW_CONTROL.search(output), repr(RAW_CONTROL.search(output))


SHOWN = ["\\x1b[31mred\\x1b[0m", "\\x1b]0;title\\x07", "\\x9b2J", "\\u202eevil\\u202c", "\\x08\\x7f\\x1c"]


def test_diff_table_shows_controls(run, controls: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = sorted(str(p) for p in controls.iterdir())
    result = run("diff", a, b)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert f"NEW {controls}/b\\x1b[2J\\u202e.txt" in result.output
    assert all(s in result.output for s in SHOWN)


def test_scan_table_shows_controls(run, controls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("scan", str(controls))
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert "b\\x1b[2J\\u202e.txt" in result.output and all(s in result.output for s in SHOWN)
    idx = index(run, tmp_path, controls / "a.txt")
    result = run("scan", str(controls), "--against", idx)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)


def test_index_query_table_shows_controls(run, controls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = sorted(controls.iterdir())
    idx = index(run, tmp_path, a)
    result = run("index", "query", str(b), "--index", idx)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert f"DOC {controls}/b\\x1b[2J\\u202e.txt" in result.output and SHOWN[3] in result.output
    result = run("diff", str(a), str(b), "--against", idx)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)


def test_audit_table_shows_controls(run, controls: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", str(controls))
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)
    assert "b\\x1b[2J\\u202e.txt" in result.output


def test_markdown_shows_controls(run, controls: Path) -> None:  # type: ignore[no-untyped-def]
    """A Markdown report printed to a terminal is as safe as a table, and renders the escapes as text."""
    a, b = sorted(str(p) for p in controls.iterdir())
    for args in (("diff", a, b), ("scan", str(controls))):
        result = run(args[0], "--format", "markdown", *args[1:])
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.output)
        shown = render(result.output).text_content()
        assert all(s in shown for s in SHOWN) and "b\\x1b[2J\\u202e.txt" in shown


def strings(data: Any, key: str | None = None) -> set[str]:
    """Every string value anywhere in a JSON report (only those under key, if given)."""
    if isinstance(data, dict):
        found = {v for k, v in data.items() if isinstance(v, str) and key in (None, k)}
        return found | strings(list(data.values()), key)
    if isinstance(data, list):
        return set().union(*(strings(v, key) for v in data))
    return set()


def test_json_is_exact_and_terminal_safe(run, controls: Path, corpus: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = sorted(controls.iterdir())
    idx = index(run, tmp_path, a)
    expected = set(CONTROLLED)
    for args in (
        ("diff", str(a), str(b)),
        ("diff", str(a), str(b), "--against", idx),
        ("scan", str(controls)),
        ("index", "query", str(b), "--index", idx),
        ("audit", str(controls)),
    ):
        result = run(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.output)
        data = json.loads(result.output)
        if args[0] != "audit":
            assert strings(data, "text") == expected, args
        assert str(b) in strings(data), args
    hostile = json.loads(run("diff", "--format", "json", str(corpus / "old.txt"), str(corpus / "new.txt")).output)
    assert {sentence(i, h) for i, h in enumerate(HOSTILE)} <= strings(hostile, "text")


def test_scan_against_json_is_terminal_safe(run, controls: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    idx = index(run, tmp_path, min(controls.iterdir()))
    result = run("scan", str(controls), "--against", idx, "--format", "json")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.output)


# ---- the functions themselves ----


def test_visible_examples() -> None:
    assert visible("\x1b[31mred") == "\\x1b[31mred"
    assert visible("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert visible("a\tb\nc\rd\x9b\x85") == "a\\tb\\nc\\rd\\x9b\\x85"
    assert visible("\u202eabc\u2066\u200f\u061c") == "\\u202eabc\\u2066\\u200f\\u061c"
    assert visible("name\udcff.txt") == "name\\xff.txt"  # a non-UTF-8 byte of a file name, as output.shown
    assert visible("習近平 «x» ok\u200d👍") == "習近平 «x» ok\u200d👍"


@hsettings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_visible_leaves_nothing_to_act_on(text: str) -> None:
    shown = visible(text)
    assert not RAW_CONTROL.search(shown) and not re.search("[\ud800-\udfff\u2028\u2029]", shown)
    assert visible(shown) == shown


@hsettings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_json_inert_is_the_same_value(text: str) -> None:
    encoded = json_inert(json.dumps({"text": text}, ensure_ascii=False))
    assert json.loads(encoded) == {"text": text}
    assert not RAW_CONTROL.search(encoded) and not re.search("[\ud800-\udfff\u2028\u2029]", encoded)


# Pieces of every Markdown and HTML construct, and of what linkifiers take for links.
PIECES = [
    *"<>&\"'`*_[]()!|~$#+-=.:/@\\{}^ \t\n",
    "x",
    "中",
    "。",
    "1.",
    "1)",
    "http://",
    "https://",
    "www.",
    "mailto:",
    "javascript:",
    "a@b.cn",
    "evil.com",
    "//x",
    "&lt;",
    "&#60;",
    "<script>",
    "<img src=x onerror=alert(1)>",
    "![a](b)",
    "[a]: http://x",
    "**",
    "__",
    "```",
    "<!--",
    "-->",
    "<?",
    "<http://x.y>",
]
pieces = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@hsettings(max_examples=300, deadline=None)
@given(pieces, pieces.map(lambda text: text.strip(" \t\n")))
def test_md_text_renders_as_itself_in_a_cell(text: str, other: str) -> None:
    """Any text, and any text in our bold (which, like passages and spans, has no space at its ends)."""
    root = render(f"| a | b |\n|---|---|\n| {md_text(text)} | **{md_text(other)}** |\n")
    assert_inert(root)
    (cell, bold), *more = rows(root.find(".//table"))
    assert more == []
    assert (cell.text_content(), len(cell)) == (one_line(text).strip(" "), 0)
    if other.strip():
        # our bold still works around any text: one strong element holding exactly that text
        assert [el.text_content() for el in bold] == [one_line(other).strip(" ")]


@hsettings(max_examples=200, deadline=None)
@given(pieces)
def test_md_text_renders_as_itself_after_our_words(text: str) -> None:
    root = render(f"Skipped {md_text(text)}: reason\n")
    assert_inert(root)
    assert root.find("p").text_content() == f"Skipped {one_line(text)}: reason"


@hsettings(max_examples=200, deadline=None)
@given(pieces)
def test_md_code_renders_as_itself_in_a_heading(text: str) -> None:
    root = render(f"# Diff of {md_code(text)} against it\n")
    assert_inert(root)
    if one_line(text).strip(" "):
        assert root.find("h1/code").text_content() == one_line(text)


def test_md_text_examples() -> None:
    assert md_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_text("# title") == "\\# title"
    assert md_text("1. item") == "1\\. item"
    assert md_text("**b** | c") == "\\*\\*b\\*\\* \\| c"
    assert md_text("see www.x.cn") == "see www\\.x\\.cn"
    assert md_text("a\nb\x1b") == "a b\\\\x1b"
