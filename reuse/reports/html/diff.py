"""The diff as a page: OLD and NEW side by side, each reused span linked to where it came from.

Every span is its own <mark>, with the ids of its counterparts on the other side; clicking one (or
stepping with n and p) scrolls the other side to them and flashes them. A NEW span's counterparts are
the stretches of OLD its matches took it from (Match.links), merged per OLD passage into marks of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from reuse.commands.diff import DiffResult
from reuse.kinds import DROPPED, NEW, PARTIAL, REUSED
from reuse.reports.html.page import asset, page, settings_footer
from reuse.reports.markup import html_text
from reuse.text.segment import Passage
from reuse.verify.verifier import VerifiedPassage, merge_ranges

Range = tuple[int, int]


def _overlapping(ranges: Sequence[Range], start: int, end: int) -> list[int]:
    return [k for k, (s, e) in enumerate(ranges) if s < end and start < e]


class _Links:
    """The marks of both sides and which marks of one side each mark of the other came from."""

    def __init__(self, result: DiffResult) -> None:
        self.new: dict[int, list[Range]] = {}
        taken: dict[int, list[Range]] = defaultdict(list)
        for r in result.passages:
            if r.spans:
                self.new[r.passage.index] = list(r.spans)
            for m in r.matches:
                taken[m.index] += [(c, d) for _, _, c, d in m.links if c < d]
        self.old = {j: merge_ranges(ranges) for j, ranges in taken.items()}
        self.to: dict[str, set[str]] = defaultdict(set)
        for r in result.passages:
            i = r.passage.index
            for m in r.matches:
                for a, b, c, d in m.links:
                    for k in _overlapping(self.new.get(i, []), a, b):
                        for q in _overlapping(self.old.get(m.index, []), c, d):
                            self.to[f"n{i}m{k}"].add(f"o{m.index}m{q}")
                            self.to[f"o{m.index}m{q}"].add(f"n{i}m{k}")


def _marked(p: Passage, ranges: Sequence[Range], side: str, links: Mapping[str, set[str]]) -> str:
    """The passage text with each range a <mark> naming its counterparts (ranges in document offsets)."""
    pieces, position = [], p.start
    for k, (start, end) in enumerate(ranges):
        start, end = max(start, p.start), min(end, p.end)
        if start >= end:
            continue
        ident = f"{side}{p.index}m{k}"
        to = " ".join(sorted(links.get(ident, ())))
        pieces.append(html_text(p.text[position - p.start : start - p.start]))
        pieces.append(
            f'<mark id="{ident}" data-start="{start}" data-end="{end}" data-to="{to}" tabindex="0">'
            f"{html_text(p.text[start - p.start : end - p.start])}</mark>"
        )
        position = end
    pieces.append(html_text(p.text[position - p.start :]))
    return "".join(pieces)


def _passage(p: Passage, status: str, body: str, side: str, note: str = "", sources: str = "") -> str:
    label = f'<span class="status">{html_text(status)}</span>' if status else ""
    aside = f'<span class="from">{sources}</span>' if sources else ""
    badge = f'<span class="note">{html_text(note)}</span>' if note else ""
    lang = f' lang="{html_text(p.lang)}"' if p.lang != "other" else ""
    return (
        f'<div class="psg {html_text(status)}" id="{side}{p.index}"{lang}>'
        f'<span class="idx">#{p.index}</span>{label}{badge}{aside}'
        f'<p data-start="{p.start}" data-end="{p.end}">{body}</p></div>'
    )


def _sources(r: VerifiedPassage) -> str:
    return " ".join(f'<a href="#o{m.index}">OLD #{m.index}</a>' for m in r.matches[:3]) + (
        f" +{len(r.matches) - 3}" if len(r.matches) > 3 else ""
    )


def _bar(counts: Mapping[str, int]) -> str:
    """The share of passages of each status, as one bar (SVG: no style attribute the policy would refuse)."""
    total = sum(counts.values()) or 1
    x, rects = 0.0, []
    for status, n in counts.items():
        width = 1000 * n / total
        if width:
            rects.append(
                f'<rect class="{status}" x="{x:.1f}" y="0" width="{width:.1f}" height="14">'
                f"<title>{n} {status}</title></rect>"
            )
        x += width
    return f'<svg class="bar" viewBox="0 0 1000 14" preserveAspectRatio="none" role="img">{"".join(rects)}</svg>'


def render_html(result: DiffResult, notes: Mapping[int, str] | None = None) -> str:
    """The page; notes: a line to show beside NEW passages by index (what an index knows of them)."""
    notes = notes or {}
    links = _Links(result)
    s = result.summary
    dropped = {r.passage.index for r in result.dropped}
    old_passages = result.prepared[0].passages()
    old = "".join(
        _passage(p, DROPPED if p.index in dropped else "", _marked(p, links.old.get(p.index, []), "o", links.to), "o")
        for p in old_passages
    )
    new = "".join(
        _passage(
            r.passage,
            r.status,
            _marked(r.passage, links.new.get(r.passage.index, []), "n", links.to),
            "n",
            notes.get(r.passage.index, ""),
            _sources(r),
        )
        for r in result.passages
    )
    summary = (
        f"{s.passages} passages of NEW: {s.new} new, {s.reused} reused, {s.partial} partial; "
        f"{s.reused_share:.1%} of its characters reused. {s.dropped} passages of OLD dropped."
    )
    body = (
        '<header><h1>Diff of <span class="doc">'
        + html_text(result.new.id)
        + '</span> against <span class="doc">'
        + html_text(result.old.id)
        + "</span></h1>"
        + f'<p class="summary">{html_text(summary)}</p>'
        + _bar({NEW: s.new, REUSED: s.reused, PARTIAL: s.partial})
        + '<p class="legend"><span class="key new">new</span> <span class="key reused">reused</span> '
        '<span class="key partial">partial</span> <span class="key dropped">dropped from OLD</span> '
        "<mark>reused span</mark> — click a span to see where it came from; "
        "<kbd>n</kbd>/<kbd>p</kbd> step through them.</p></header>"
        + '<main class="sides">'
        + f'<section id="old" aria-label="OLD"><h2>OLD <span class="doc">{html_text(result.old.id)}</span></h2>{old}</section>'
        + f'<section id="new" aria-label="NEW"><h2>NEW <span class="doc">{html_text(result.new.id)}</span></h2>{new}</section>'
        + "</main>"
        + settings_footer(result.settings.fingerprint(), result.settings.as_dict())
    )
    return page(f"Diff of {result.new.id} against {result.old.id}", body, asset("diff.js"))
