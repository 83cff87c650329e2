"""The diff as a page: OLD and NEW side by side, each reused span linked to where it came from.

Every span is its own <mark>, with the ids of its counterparts on the other side; clicking one (or
stepping with n and p) scrolls the other side to them and flashes them. A NEW span's counterparts are
the stretches of OLD its matches took it from (Match.links), merged per OLD passage into marks of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from reuse.commands.diff import DiffResult
from reuse.kinds import DROPPED, NEW, PARTIAL, REUSED
from reuse.reports.html.page import asset, page, settings_footer
from reuse.reports.html.passages import LEGEND, Range, mark_id, marked, overlapping, passage_block, share_bar
from reuse.reports.markup import html_text
from reuse.verify.verifier import VerifiedPassage, merge_ranges


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
                    for k in overlapping(self.new.get(i, []), a, b):
                        for q in overlapping(self.old.get(m.index, []), c, d):
                            self.to[mark_id("n", i, k)].add(mark_id("o", m.index, q))
                            self.to[mark_id("o", m.index, q)].add(mark_id("n", i, k))


def _sources(r: VerifiedPassage) -> str:
    shown = " ".join(f'<a href="#o{m.index}">OLD #{m.index}</a>' for m in r.matches[:3])
    return shown + (f" +{len(r.matches) - 3}" if len(r.matches) > 3 else "")


def render_html(result: DiffResult, notes: Mapping[int, str] | None = None) -> str:
    """The page; notes: a line to show beside NEW passages by index (what an index knows of them).

    Spans are linked to OLD when the diff was asked for its links (diff(..., links=True))."""
    notes = notes or {}
    links = _Links(result)
    s = result.summary
    dropped = {r.passage.index for r in result.dropped}
    old = "".join(
        passage_block(
            p,
            DROPPED if p.index in dropped else "",
            marked(p, links.old.get(p.index, []), "o", links.to),
            f"o{p.index}",
        )
        for p in result.prepared[0].passages()
    )
    new = "".join(
        passage_block(
            r.passage,
            r.status,
            marked(r.passage, links.new.get(r.passage.index, []), "n", links.to),
            f"n{r.passage.index}",
            notes.get(r.passage.index, ""),
            _sources(r),
        )
        for r in result.passages
    )
    summary = (
        f"{s.passages} passages of NEW: {s.new} new, {s.reused} reused, {s.partial} partial; "
        f"{s.reused_share:.1%} of its characters reused. {s.dropped} passages of OLD dropped."
    )
    old_id, new_id = html_text(result.old.id), html_text(result.new.id)
    body = (
        f'<header><h1>Diff of <span class="doc">{new_id}</span> against <span class="doc">{old_id}</span></h1>'
        f'<p class="summary">{html_text(summary)}</p>'
        + share_bar({NEW: s.new, REUSED: s.reused, PARTIAL: s.partial})
        + f'<p class="legend">{LEGEND} <span class="key dropped">dropped from OLD</span> '
        "<mark>reused span</mark> — click a span to see where it came from; "
        "<kbd>n</kbd>/<kbd>p</kbd> step through them.</p></header>"
        '<main class="sides">'
        f'<section id="old" aria-label="OLD"><h2>OLD <span class="doc">{old_id}</span></h2>{old}</section>'
        f'<section id="new" class="target" aria-label="NEW"><h2>NEW <span class="doc">{new_id}</span></h2>{new}</section>'
        "</main>" + settings_footer(result.settings.fingerprint(), result.settings.as_dict())
    )
    return page(f"Diff of {result.new.id} against {result.old.id}", body, asset("marks.js"))
