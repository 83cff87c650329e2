"""HTML pages to text: block-level elements become lines, scripts and styles are dropped."""

from __future__ import annotations

import re

from reuse.errors import InputError

BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
DROPPED = frozenset(["script", "style", "noscript", "template", "head", "svg"])


# An XHTML page may open with an XML declaration and comments before its doctype or root element.
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


def looks_like_html(name: str, text: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    return _HTML_START.match(text[:4096]) is not None


class _TextCollector:
    """lxml parser target: the page's text as lines, one per block element, from the parser's events.

    Events rather than a tree because libxml2 refuses to build a tree deeper than 256 elements
    (2,048 with huge_tree) and silently returns what it had; its event stream has no such limit.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.title: str | None = None
        self._current: list[str] = []
        self._dropped = 0  # how many dropped elements (script, style, head...) are open
        self._in_title = False

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.lines.append(text)
        self._current.clear()

    def start(self, tag: str, attrib: object) -> None:
        # The first title's own text heads the lines, wherever it is (it is usually in the dropped head).
        self._in_title = tag == "title" and self.title is None
        if self._in_title:
            self.title = ""
        if tag in DROPPED:
            self._dropped += 1
        elif not self._dropped and tag in BLOCKS:
            self._flush()

    def end(self, tag: str) -> None:
        self._in_title = False
        if tag in DROPPED:
            self._dropped -= 1
            return
        if not self._dropped and tag in BLOCKS:
            self._flush()

    def data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        if not self._dropped:
            self._current.append(data)

    def close(self) -> str:
        self._flush()
        title = (self.title or "").strip()
        lines = ([title] if title else []) + self.lines
        return "\n".join(lines) + ("\n" if lines else "")


def html_to_text(markup: str, name: str) -> str:
    """The page's text, one line per block element, entities decoded (lxml's HTML parser)."""
    import lxml.etree

    if not markup.strip():
        return ""
    # The text is already decoded, and lxml refuses a str that declares an encoding (XHTML's <?xml ...?>).
    markup = _XML_DECLARATION.sub("", markup, count=1)
    parser = lxml.etree.HTMLParser(target=_TextCollector(), huge_tree=True)
    try:
        text: str = lxml.etree.fromstring(markup, parser)
    except (lxml.etree.LxmlError, ValueError) as err:
        raise InputError(f"{name}: cannot parse as HTML ({' '.join(str(err).split())})") from None
    fatal = [e for e in parser.error_log if e.level == lxml.etree.ErrorLevels.FATAL]
    if fatal:
        # Parsing stopped part way: better no document than a silently truncated one.
        raise InputError(f"{name}: cannot parse as HTML (line {fatal[0].line}: {' '.join(fatal[0].message.split())})")
    return text
