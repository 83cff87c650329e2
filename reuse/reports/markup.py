"""Text from the user's files made inert in reports: it is shown, never obeyed.

Document text, ids, paths and templates reach three kinds of reader: a terminal (table reports and
anything printed), a Markdown renderer (Markdown reports, which may well be rendered as HTML with raw
HTML allowed, as most renderers do), and JSON parsers. Each function here fits one of them:

- `visible`: characters a terminal would act on (C0 and C1 controls, so ESC sequences; bidi controls,
  which reorder what is shown; lone surrogates, which cannot even be printed) become `\\x1b`-style escapes.
- `md_text`, `md_code`: Markdown that renders as exactly the text (after `visible`), with nothing in it
  that a renderer could turn into an element: HTML, links, images, autolinks, emphasis, code, table pipes,
  headings, quotes and list markers.
- `html_text`, `html_json`: text as HTML character data or an attribute value, and JSON to embed in a
  `<script type="application/json">`, neither able to end its element or start another.
- `json_inert`: encoded JSON with the characters `json.dumps` leaves raw (DEL, C1, bidi controls, line
  separators, lone surrogates) as `\\uXXXX` escapes: the same JSON value, safe to print.
"""

from __future__ import annotations

import re

from reuse.runtime.output import shown

# The Bidi_Control characters of Unicode: they reorder the display of everything after them ("Trojan Source").
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """text with every character a terminal would act on shown as an escape (`\\x1b`, `\\u202e`).

    Idempotent: what it returns has nothing left to escape."""
    return _UNSAFE.sub(_escape, shown(text))  # shown: file-name bytes as \\xNN, other lone surrogates \\uXXXX


_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


def json_inert(encoded: str) -> str:
    """JSON text (from json.dumps, ensure_ascii=False) with no character a terminal would act on.

    json.dumps escapes only U+0000..U+001F; outside strings JSON is ASCII, so every other such character is
    inside a string, where `\\uXXXX` stands for exactly that character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


# A line break would end a table row (or a paragraph); a tab renders as a space in HTML anyway.
_LINE_BREAK = re.compile("\r\n|[\t\n\x0b\x0c\r\x85\u2028\u2029]")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
# Backslash-escaped: emphasis, code, links and images (their brackets), table pipes, strikethrough, math,
# and the pieces of what linkifiers turn into links: `@` (e-mail), `//` (URLs), a dot inside a word (domains).
_INLINE = re.compile("[\\\\`*_\\[\\]|~$&<>\"'@]|\\.(?=\\w)|/(?=/)")
# What makes a line a heading, a list item or a setext underline; `>` (a quote) is an entity anyway.
_BLOCK_START = re.compile(r"[#+=-]|\d{1,9}[.)]")


def _inline_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _HTML.get(char) or "\\" + char


def one_line(text: str) -> str:
    """text with each line break and tab as a space, and the rest `visible`."""
    return visible(_LINE_BREAK.sub(" ", text))


def md_text(text: str) -> str:
    """text as Markdown inline content (a table cell, a line) that renders as `one_line(text)` and nothing else."""
    text = one_line(text)
    head = ""
    start = _BLOCK_START.match(text)
    if start:
        marker = start.group()
        head, text = marker[:-1] + "\\" + marker[-1], text[start.end() :]
    return head + _INLINE.sub(_inline_escape, text)


def md_code(text: str) -> str:
    """text as a Markdown code span (for ids and paths in headings): shown literally, whatever it holds."""
    text = one_line(text)
    if not text.strip(" "):
        return md_text(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    # A code span drops one space at each end when both ends have one, and needs one beside a backtick.
    padded = text[0] in "` " or text[-1] in "` "
    pad = " " if padded else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# In HTML, line breaks and tabs are shown as they are (the page keeps white space); every other character
# `visible` would escape is escaped, so that a page shows what a terminal report shows.
_UNSAFE_HTML = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


def html_text(text: str) -> str:
    """text as HTML character data or a quoted attribute value: markup escaped, controls shown as escapes."""
    text = _UNSAFE_HTML.sub(_escape, shown(text))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def html_json(encoded: str) -> str:
    """Encoded JSON, safe inside `<script type="application/json">`: no `<`, `>` or `&` (so no `</script>`
    and no `<!--`), and no line separators, each as its `\\uXXXX` escape (the same JSON value)."""
    return json_inert(encoded).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
