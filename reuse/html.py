"""HTML pages to text: block-level elements become lines, scripts and styles are dropped."""

from __future__ import annotations

from .errors import InputError

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


def looks_like_html(name: str, text: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    start = text.lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html"))


def html_to_text(markup: str, name: str) -> str:
    """The page's text, one line per block element, entities decoded (lxml's HTML parser)."""
    import lxml.etree
    import lxml.html

    if not markup.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as err:
        raise InputError(f"{name}: cannot parse as HTML ({err})") from None
    title = root.findtext(".//title")
    lines: list[str] = [title.strip()] if title and title.strip() else []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in DROPPED:
            if element.tail:
                current.append(element.tail)
            return
        block = tag in BLOCKS
        if block:
            flush()
        if element.text and tag:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n".join(lines) + ("\n" if lines else "")
