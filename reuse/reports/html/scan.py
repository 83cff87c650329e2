"""A corpus scan as a page: the families (kind, documents, occurrences, template with its slots), each
unfolding to its occurrences, and every document viewable with the text each kind explains coloured.

A corpus is too big to lay out at once: the page holds its data as JSON (documents' texts included)
and its script lays out a page of families and documents at a time, and a document when it is opened.
Document text reaches the page only through textContent, never as markup.
"""

from __future__ import annotations

import bisect
import json
from itertools import pairwise
from typing import Any

from reuse.commands.scan import SHARE_KINDS, DocumentReport, ScanResult
from reuse.group.classify import Evidence
from reuse.kinds import KINDS
from reuse.reports.html.page import asset, page, settings_footer
from reuse.reports.html.passages import share_bar
from reuse.reports.markup import html_json, html_text
from reuse.verify.verifier import merge_ranges

MEMBERS_SHOWN = 1000
"""Occurrences of a family the page lists (the JSON report has them all)."""


def kind_segments(intervals: dict[str, list[tuple[int, int]]]) -> list[list[int]]:
    """[start, end, kind] pieces of a document, in order, each character under the first kind of KINDS that
    explains it (the order the shares count in); kind is an index into KINDS."""
    ranges = {kind: merge_ranges(intervals.get(kind, [])) for kind in KINDS}
    starts = {kind: [s for s, _ in spans] for kind, spans in ranges.items()}
    edges = sorted({x for spans in ranges.values() for span in spans for x in span})
    pieces: list[list[int]] = []
    for start, end in pairwise(edges):
        for k, kind in enumerate(KINDS):
            at = bisect.bisect_right(starts[kind], start) - 1
            if at >= 0 and end <= ranges[kind][at][1]:
                if pieces and pieces[-1][1] == start and pieces[-1][2] == k:
                    pieces[-1][1] = end
                else:
                    pieces.append([start, end, k])
                break
    return pieces


def _document(d: DocumentReport, text: str | None) -> dict[str, Any]:
    return {
        "id": d.id,
        "chars": d.chars,
        "shares": [d.shares[kind] for kind in SHARE_KINDS],
        "text": text,
        "spans": kind_segments(d.intervals) if text is not None else [],
    }


def evidence_text(evidence: tuple[Evidence, ...]) -> str:
    """Why a family's members are boilerplate, in words ("" for the other kinds)."""
    words = {
        "structure": "outside the page's main content",
        "context": "between furniture lines on its page",
    }
    parts = []
    for e in evidence:
        if e.kind == "repetition":
            parts.append(f"repetition: in {e.documents} documents ({e.share:.0%} of the corpus)")
        elif e.kind == "position":
            place = {"same line": "the same line of most pages", "paragraph start": "opens its paragraph"}
            parts.append(f"position: {place.get(e.place, f'{e.place} of the page')}")
        else:
            parts.append(f"{e.kind}: {words.get(e.kind, e.kind)}")
    return "; ".join(parts)


def page_data(result: ScanResult) -> dict[str, Any]:
    """What the page's script lays out."""
    texts = {p.id: p.text for p in result.prepared}  # none from a cluster, whose workers kept them
    position = {d.id: i for i, d in enumerate(result.documents)}
    return {
        "kinds": list(KINDS),
        "shareKinds": list(SHARE_KINDS),
        "docs": [_document(d, texts.get(d.id)) for d in result.documents],
        "families": [
            {
                "id": f.id,
                "kind": f.kind,
                "documents": f.documents,
                "occurrences": f.occurrences,
                "template": f.template or f.text,
                "slots": f.template is not None,
                "why": evidence_text(f.evidence),
                "members": [
                    [position[doc], passage, start, end]
                    for doc, (passage, start, end) in zip(
                        f.members.docs[:MEMBERS_SHOWN], f.members.rows[:MEMBERS_SHOWN].tolist()
                    )
                ],
            }
            for f in result.families
        ],
        "membersShown": MEMBERS_SHOWN,
    }


def render_html(result: ScanResult) -> str:
    s = result.summary()
    families, shares = s["families"], s["shares"]
    assert isinstance(families, dict) and isinstance(shares, dict)
    figures = (
        f"{s['documents']} documents, {s['passages']} passages, {s['characters']} characters; families: "
        + ", ".join(f"{families[k]} {k}" for k in families)
        + ". Share of passage characters: "
        + ", ".join(f"{k} {shares[k]:.1%}" for k in shares)
        + "."
    )
    skipped = "".join(f"<li>{html_text(sk.source)}: {html_text(sk.reason)}</li>" for sk in result.skipped)
    legend = " ".join(f'<span class="key k-{kind}">{kind}</span>' for kind in KINDS)
    data = html_json(json.dumps(page_data(result), ensure_ascii=False, separators=(",", ":")))
    body = (
        f'<header><h1>Scan of {s["documents"]} documents</h1><p class="summary">{html_text(figures)}</p>'
        + share_bar({kind: round(shares[kind] * 10000) for kind in SHARE_KINDS}, "kinds")
        + f'<p class="legend">{legend} <span class="key k-new">new</span> — open a family for its occurrences, '
        'a document for its text. <input type="search" id="filter" placeholder="Filter families and documents" '
        'aria-label="Filter families and documents"></p>'
        + (f'<details class="skipped"><summary>Skipped inputs</summary><ul>{skipped}</ul></details>' if skipped else "")
        + "</header>"
        '<main class="sides scan">'
        '<section id="families" aria-label="Families"><h2>Families <span class="count"></span></h2><div class="list"></div></section>'
        '<section id="documents" aria-label="Documents"><h2>Documents <span class="count"></span></h2>'
        '<div class="list"></div><article id="document" class="target"></article></section>'
        "</main>"
        f'<script type="application/json" id="data">{data}</script>'
        + settings_footer(result.settings.fingerprint(), result.settings.as_dict())
    )
    return page(f"Scan of {s['documents']} documents", body, asset("scan.js"))
