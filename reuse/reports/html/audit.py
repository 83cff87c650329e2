"""An audit as a page: the figures, and charts of boilerplate share per document, near-duplicate
clusters and script mixing (inline SVG, no script), with the documents behind each."""

from __future__ import annotations

from reuse.commands.audit import AuditResult, DocumentAudit
from reuse.reports.html.charts import bar_chart, bin_labels, binned
from reuse.reports.html.page import page
from reuse.reports.markup import html_text

LISTED = 50
"""Documents or clusters listed under a chart (the JSON report has all)."""

_FIGURES = {
    "documents": "documents",
    "empty": "empty",
    "exact_duplicate_clusters": "exact-duplicate clusters",
    "near_duplicate_clusters": "near-duplicate clusters",
    "over_boilerplate": "over the boilerplate limit",
    "with_repeats": "with repeated passages",
    "mixed_scripts": "mixing Traditional and Simplified",
    "mixed_languages": "mixing languages",
    "with_fragments": "with fragments",
}


def _traditional_share(d: DocumentAudit) -> float | None:
    total = d.scripts["traditional"] + d.scripts["simplified"]
    return d.scripts["traditional"] / total if total else None


def _cluster_sizes(clusters: list[list[str]]) -> tuple[list[str], list[int]]:
    bounds = [(2, 2), (3, 3), (4, 5), (6, 10), (11, 100), (101, None)]
    labels = [f"{lo}" if lo == hi else (f"{lo}–{hi}" if hi else f"{lo}+") for lo, hi in bounds]
    counts = [sum(1 for c in clusters if lo <= len(c) and (hi is None or len(c) <= hi)) for lo, hi in bounds]
    return labels, counts


def _list(items: list[str], more: int) -> str:
    shown = "".join(f"<li>{item}</li>" for item in items)
    tail = f'<p class="more">{more} more in the JSON report</p>' if more > 0 else ""
    return f"<ol>{shown}</ol>{tail}" if items else '<p class="more">None.</p>'


def _doc(doc_id: str) -> str:
    return f'<span class="doc">{html_text(doc_id)}</span>'


def render_html(result: AuditResult) -> str:
    s = result.summary()
    cards = "".join(
        f'<div class="figure"><span class="number">{s[key]}</span> {html_text(label)}</div>'
        for key, label in _FIGURES.items()
    )
    limit = result.max_boilerplate
    shares = [d.boilerplate_share for d in result.documents]
    labels = bin_labels()
    over = ["over" if (i + 1) / 10 > limit else "" for i in range(10)]
    by_share = sorted(result.documents, key=lambda d: (-d.boilerplate_share, d.id))
    top = [f"{_doc(d.id)} {d.boilerplate_share:.1%}" for d in by_share[:LISTED] if d.boilerplate_share > 0]
    boilerplate = (
        "<section><h2>Boilerplate share per document</h2>"
        f"<p>{result.boilerplate_share:.1%} of the corpus is boilerplate; {len(result.over_boilerplate)} documents "
        f"are over {limit:.0%} (bins over the limit are darker).</p>"
        + bar_chart(labels, binned(shares), "Documents by boilerplate share", over)
        + "<h3>The most boilerplate</h3>"
        + _list(top, sum(1 for d in by_share if d.boilerplate_share > 0) - len(top))
        + "</section>"
    )
    sizes, counts = _cluster_sizes(result.near_duplicates)
    clusters = [
        _doc(group[0]) + " ← " + ", ".join(_doc(other) for other in group[1:])
        for group in result.near_duplicates[:LISTED]
    ]
    exact = [
        _doc(group[0]) + " ← " + ", ".join(_doc(other) for other in group[1:])
        for group in result.exact_duplicates[:LISTED]
    ]
    duplicates = (
        "<section><h2>Near-duplicate clusters</h2>"
        f"<p>{len(result.near_duplicates)} clusters of near duplicates, {len(result.exact_duplicates)} of exact "
        "duplicates (the first of each is kept, the others duplicate it).</p>"
        + bar_chart(sizes, counts, "Near-duplicate clusters by size", unit="clusters")
        + "<h3>Near duplicates</h3>"
        + _list(clusters, len(result.near_duplicates) - len(clusters))
        + "<h3>Exact duplicates</h3>"
        + _list(exact, len(result.exact_duplicates) - len(exact))
        + "</section>"
    )
    traditional = [t for t in map(_traditional_share, result.documents) if t is not None]
    mixed = [d for d in result.documents if d.mixed_scripts]
    scripts = (
        "<section><h2>Script mixing</h2>"
        f"<p>Share of each document's script-specific Han characters that are Traditional; {len(mixed)} documents "
        f"mix the two scripts. {len(result.documents) - len(traditional)} documents have no such character.</p>"
        + bar_chart(labels, binned(traditional), "Documents by Traditional share of their Han characters")
        + "<h3>Mixed</h3>"
        + _list(
            [
                f"{_doc(d.id)} {d.scripts['traditional']} Traditional, {d.scripts['simplified']} Simplified"
                for d in mixed[:LISTED]
            ],
            len(mixed) - LISTED,
        )
        + "</section>"
    )
    body = (
        f"<header><h1>Audit of {s['documents']} documents</h1>"
        f'<div class="figures">{cards}</div></header>'
        f'<main class="single audit">{boilerplate}{duplicates}{scripts}</main>'
    )
    return page(f"Audit of {s['documents']} documents", body)
