"""HTML pages however deep they nest: the text comes out, or the run stops with one line; never an empty page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reuse.errors import InputError
from reuse.load.corpus import load_corpus
from reuse.load.html import html_to_text, looks_like_html


def _nested(depth: int, inner: str) -> str:
    return f"<html><body>{'<div>' * depth}{inner}{'</div>' * depth}<p>after the divs</p></body></html>\n"


@pytest.mark.parametrize("depth", [300, 10_000])
def test_deeply_nested_text_comes_out(depth: int) -> None:
    inner = "<p>第一段</p><script>var hidden = 1;</script><p>second <b>line</b></p>"
    assert html_to_text(_nested(depth, inner), "deep.html") == "第一段\nsecond line\nafter the divs\n"


def test_deep_page_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(_nested(10_000, "習近平同俄羅斯總統普京舉行視頻會晤。"), encoding="utf-8")
    (doc,) = load_corpus([str(path)]).documents
    assert doc.text == "習近平同俄羅斯總統普京舉行視頻會晤。\nafter the divs\n"


def test_deep_page_scanned_from_the_command_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deep.html"
    path.write_text(_nested(10_000, "<p>Xi Jinping held talks with Vladimir Putin in Moscow.</p>"), encoding="utf-8")
    result = run("scan", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    (document,) = json.loads(result.output)["documents"]
    assert document["passages"] == 2


def test_unclosed_deep_nesting() -> None:
    assert html_to_text("<div>" * 5000 + "never closed", "open.html") == "never closed\n"


def test_text_after_the_closing_tags_is_kept() -> None:
    assert html_to_text("<html><body><p>one</p></body></html><p>two</p>", "late.html") == "one\ntwo\n"


def test_a_page_that_cannot_be_parsed_is_one_line_error() -> None:
    # A lone surrogate cannot reach libxml2 as UTF-8: the parser stops, and the page must not come out empty.
    with pytest.raises(InputError, match=r"^bad\.html: cannot parse as HTML \(line 1: [^\n]+\)$"):
        html_to_text("<p>\udcff</p>", "bad.html")


@pytest.mark.parametrize(
    "start",
    [
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">',
        "<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>",
        "  <!-- saved page --> <!DOCTYPE html>",
        "<HTML>",
    ],
)
def test_pages_are_recognised_by_their_start(start: str) -> None:
    assert looks_like_html("page.txt", start + "<body><p>x</p></body></html>")


def test_xml_that_is_not_html_is_not_a_page() -> None:
    assert not looks_like_html("feed.txt", '<?xml version="1.0"?><rss><channel/></rss>')
