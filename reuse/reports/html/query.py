"""Readouts looked up in an index, as a page: each document's passages with their reused spans, and
under each passage what the index holds of it (document, passage, similarity, how widely held).

A span's counterparts are the matches it came from; clicking it opens and flashes them."""

from __future__ import annotations

from collections import defaultdict

from reuse.index.query import IndexQuery
from reuse.kinds import NEW, PARTIAL, REUSED
from reuse.reports.html.page import asset, page, settings_footer
from reuse.reports.html.passages import LEGEND, mark_id, marked, overlapping, passage_block, share_bar
from reuse.reports.markup import html_text
from reuse.settings import Settings
from reuse.verify.verifier import VerifiedPassage


def _matches(r: VerifiedPassage, prefix: str) -> str:
    if not r.matches:
        return ""
    items = "".join(
        f'<li id="{prefix}s{j}"><span class="doc">{html_text(m.doc)}</span> #{m.index} · similarity '
        f"{m.similarity:.2f} · held by {m.documents} document{'s' if m.documents != 1 else ''}"
        f"<p>{html_text(m.text)}</p></li>"
        for j, m in enumerate(r.matches)
    )
    held = f"seen in {r.documents} document{'s' if r.documents != 1 else ''}"
    return f'<details class="matches"><summary>{held}</summary><ol>{items}</ol></details>'


def _document(k: int, result: IndexQuery) -> str:
    c = result.counts()
    blocks = []
    for r in result.passages:
        i = r.passage.index
        prefix, spans = f"d{k}n", list(r.spans)
        links: dict[str, set[str]] = defaultdict(set)
        for j, m in enumerate(r.matches):
            for a, b in m.spans:
                for q in overlapping(spans, a, b):
                    links[mark_id(prefix, i, q)].add(f"{prefix}{i}s{j}")
        blocks.append(
            passage_block(r.passage, r.status, marked(r.passage, spans, prefix, links), f"{prefix}{i}")
            + _matches(r, f"{prefix}{i}")
        )
    summary = (
        f"{len(result.passages)} passages: {c[NEW]} new, {c[REUSED]} reused, {c[PARTIAL]} partial; "
        f"{result.reused_share():.1%} of the characters reused."
    )
    return (
        f'<section class="target" id="d{k}"><h2><span class="doc">{html_text(result.document.id)}</span></h2>'
        f'<p class="summary">{html_text(summary)}</p>{share_bar({NEW: c[NEW], REUSED: c[REUSED], PARTIAL: c[PARTIAL]})}'
        + "".join(blocks)
        + "</section>"
    )


def render_html(spec: str, settings: Settings, results: list[IndexQuery]) -> str:
    body = (
        f'<header><h1>Readouts against the index <span class="doc">{html_text(spec)}</span></h1>'
        f'<p class="legend">{LEGEND} <mark>reused span</mark> — click a span to see what the index holds of it; '
        "<kbd>n</kbd>/<kbd>p</kbd> step through them.</p></header>"
        '<main class="single">'
        + "".join(_document(k, r) for k, r in enumerate(results))
        + "</main>"
        + settings_footer(settings.fingerprint(), settings.as_dict())
    )
    return page(f"Readouts against the index {spec}", body, asset("marks.js"))
