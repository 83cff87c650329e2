"""What the HTML reports of passages share: a passage with its spans as linked marks, and a bar of shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reuse.reports.markup import html_text
from reuse.text.segment import Passage

Range = tuple[int, int]


def overlapping(ranges: Sequence[Range], start: int, end: int) -> list[int]:
    """Which of the ranges overlap start:end."""
    return [k for k, (s, e) in enumerate(ranges) if s < end and start < e]


def mark_id(prefix: str, passage: int, k: int) -> str:
    return f"{prefix}{passage}m{k}"


def marked(p: Passage, ranges: Sequence[Range], prefix: str, links: Mapping[str, set[str]]) -> str:
    """The passage text with each range (document offsets) a focusable <mark> carrying its offsets and
    the ids of its counterparts (data-to), which the page's script follows."""
    pieces, position = [], p.start
    for k, (start, end) in enumerate(ranges):
        start, end = max(start, p.start), min(end, p.end)
        if start >= end:
            continue
        ident = mark_id(prefix, p.index, k)
        to = " ".join(sorted(links.get(ident, ())))
        pieces.append(html_text(p.text[position - p.start : start - p.start]))
        pieces.append(
            f'<mark id="{ident}" data-start="{start}" data-end="{end}" data-to="{to}" tabindex="0">'
            f"{html_text(p.text[start - p.start : end - p.start])}</mark>"
        )
        position = end
    pieces.append(html_text(p.text[position - p.start :]))
    return "".join(pieces)


def passage_block(p: Passage, status: str, body: str, ident: str, note: str = "", aside: str = "") -> str:
    """A passage: its number, status, a note and an aside (HTML of the caller's), and its marked text."""
    label = f'<span class="status">{html_text(status)}</span>' if status else ""
    aside = f'<span class="from">{aside}</span>' if aside else ""
    badge = f'<span class="note">{html_text(note)}</span>' if note else ""
    lang = f' lang="{html_text(p.lang)}"' if p.lang != "other" else ""
    return (
        f'<div class="psg {html_text(status)}" id="{ident}"{lang}>'
        f'<span class="idx">#{p.index}</span>{label}{badge}{aside}'
        f'<p data-start="{p.start}" data-end="{p.end}">{body}</p></div>'
    )


def share_bar(counts: Mapping[str, int], palette: str = "statuses") -> str:
    """Each status's (or kind's) share as one bar (SVG: widths as attributes, which the page's policy
    allows); palette: the colours, of statuses (new, reused, partial) or of a scan's kinds."""
    total = sum(counts.values()) or 1
    x, rects = 0.0, []
    for status, n in counts.items():
        width = 1000 * n / total
        if width:
            rects.append(
                f'<rect class="{html_text(status)}" x="{x:.1f}" y="0" width="{width:.1f}" height="14">'
                f"<title>{n} {html_text(status)}</title></rect>"
            )
        x += width
    return (
        f'<svg class="bar {palette}" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img">{"".join(rects)}</svg>'
    )


LEGEND = (
    '<span class="key new">new</span> <span class="key reused">reused</span> <span class="key partial">partial</span>'
)
