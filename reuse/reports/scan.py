"""Reports of a scan: JSON for pipelines, tables for terminals, Markdown for notes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reuse.commands.scan import SHARE_KINDS, ScanResult
from reuse.group.families import Family
from reuse.kinds import BOILERPLATE
from reuse.reports import json_layout
from reuse.reports.markup import json_inert, md_text, visible
from reuse.reports.tables import fit_table, shorten


def _family_head(f: Family) -> dict[str, Any]:
    return {
        "id": f.id,
        "kind": f.kind,
        "level": f.level,
        "documents": f.documents,
        "occurrences": f.occurrences,
        "text": f.text,
        "template": f.template,
    }


def evidence_json(f: Family) -> list[dict[str, object]]:
    """Why the family's members are boilerplate (each member's `evidence`): empty for other kinds."""
    return [e.as_json() for e in f.evidence]


def family_json(f: Family) -> dict[str, Any]:
    why = evidence_json(f)
    members = []
    for m in f.members:
        member: dict[str, Any] = {"doc": m.doc, "index": m.passage, "start": m.start, "end": m.end, "evidence": why}
        similarity = f.similarity.get((m.doc, m.start))
        if similarity is not None:  # an edited copy of the family's line
            member["similarity"] = similarity
        members.append(member)
    return {**_family_head(f), "members": members}


def family_line(f: Family, doc_json: dict[str, str]) -> json_layout.Raw:
    """family_json(f) encoded, byte for byte, without a dict per member (a corpus has millions).

    doc_json caches each document id's JSON string."""
    head = json.dumps(_family_head(f), ensure_ascii=False)
    docs = f.members.docs
    for doc in docs:
        if doc not in doc_json:
            doc_json[doc] = json.dumps(doc, ensure_ascii=False)
    why = json.dumps(evidence_json(f), ensure_ascii=False)
    similar = f.similarity
    members = ", ".join(
        f'{{"doc": {doc_json[doc]}, "index": {passage}, "start": {start}, "end": {end}, "evidence": {why}'
        + (f', "similarity": {json.dumps(similar[(doc, start)])}}}' if (doc, start) in similar else "}")
        for doc, (passage, start, end) in zip(docs, f.members.rows.tolist())
    )
    return json_layout.Raw(f'{head[:-1]}, "members": [{members}]}}')


def to_json(result: ScanResult, encoded_families: bool = False) -> dict[str, Any]:
    """The report as JSON data; encoded_families gives each family as encoded JSON (for render_json)."""
    doc_json: dict[str, str] = {}
    return _report(result, [family_line(f, doc_json) if encoded_families else family_json(f) for f in result.families])


def _report(result: ScanResult, families: list[Any] | json_layout.Items) -> dict[str, Any]:
    return {
        "settings": {"fingerprint": result.settings.fingerprint(), **result.settings.as_dict()},
        "summary": result.summary(),
        "documents": [
            {
                "id": d.id,
                "chars": d.chars,
                "passages": d.passages,
                "encoding": d.encoding,
                "shares": {kind: d.shares[kind] for kind in SHARE_KINDS},
            }
            for d in result.documents
        ],
        "families": families,
        "skipped": [{"source": s.source, "reason": s.reason} for s in result.skipped],
    }


def render_json(result: ScanResult) -> str:
    return "".join(json_pieces(result))


def json_pieces(result: ScanResult) -> Iterator[str]:
    """The JSON report in pieces, each family encoded as it is written: a corpus's report is never held whole."""
    doc_json: dict[str, str] = {}
    # Never to_json's families: a dict for every member of a corpus's families is gigabytes, made to be dropped.
    data = _report(result, json_layout.Items(family_line(f, doc_json) for f in result.families))
    return (json_inert(piece) for piece in json_layout.pieces(data))


def _summary_lines(result: ScanResult, escape: Callable[[str], str]) -> list[str]:
    """The summary; escape is for the paths and reasons of skipped inputs (visible or md_text)."""
    s = result.summary()
    families = s["families"]
    shares = s["shares"]
    assert isinstance(families, dict) and isinstance(shares, dict)
    return [
        f"{s['documents']} documents, {s['passages']} passages, {s['characters']} characters.",
        "Families: " + ", ".join(f"{families[k]} {k}" for k in families) + ".",
        "Share of passage characters: " + ", ".join(f"{k} {shares[k]:.1%}" for k in shares) + ".",
    ] + [f"Skipped {escape(sk.source)}: {escape(sk.reason)}" for sk in result.skipped]


def render_table(result: ScanResult, limit: int = 30, width: int = 100) -> str:
    lines = _summary_lines(result, visible) + [""]
    shown = result.families[:limit]
    rows = [[f.id, f.kind, str(f.documents), str(f.occurrences), f.template or f.text] for f in shown]
    if rows:
        lines.append(fit_table(rows, ["family", "kind", "docs", "occ", "text ({…} = slot)"], 4, width))
        if len(result.families) > limit:
            lines.append(f"… {len(result.families) - limit} more families (--limit, or --format json for all)")
    else:
        lines.append("No reuse found: every passage is new.")
    docs = sorted(result.documents, key=lambda d: (-d.shares[BOILERPLATE], d.id))[:limit]
    rows = [[shorten(d.id, 40), str(d.passages)] + [f"{d.shares[k]:.0%}" for k in SHARE_KINDS] for d in docs]
    lines += ["", fit_table(rows, ["document", "passages", *SHARE_KINDS], 0, width)]
    if len(result.documents) > limit:
        lines.append(f"… {len(result.documents) - limit} more documents")
    return "\n".join(lines) + "\n"


def render_markdown(result: ScanResult, limit: int = 100) -> str:
    lines = ["# Reuse scan", "", *[line + "  " for line in _summary_lines(result, md_text)], ""]
    lines += ["| family | kind | documents | occurrences | text | template |", "|---|---|---:|---:|---|---|"]
    for f in result.families[:limit]:
        lines.append(
            f"| {f.id} | {f.kind} | {f.documents} | {f.occurrences} | {md_text(f.text)} | {md_text(f.template or '')} |"
        )
    if len(result.families) > limit:
        lines += ["", f"… {len(result.families) - limit} more families (--limit, or --format json for all)"]
    lines += [
        "",
        "| document | passages | " + " | ".join(SHARE_KINDS) + " |",
        "|---|---:|" + "---:|" * len(SHARE_KINDS),
    ]
    for d in result.documents[:limit]:
        lines.append(
            f"| {md_text(d.id)} | {d.passages} | " + " | ".join(f"{d.shares[k]:.1%}" for k in SHARE_KINDS) + " |"
        )
    if len(result.documents) > limit:
        lines += ["", f"… {len(result.documents) - limit} more documents"]
    return "\n".join(lines) + "\n"


def render_pieces(result: ScanResult, fmt: str, limit: int) -> Iterable[str]:
    """render(), in pieces for JSON (written as they come)."""
    return json_pieces(result) if fmt == "json" else [render(result, fmt, limit)]


def render(result: ScanResult, fmt: str, limit: int) -> str:
    if fmt == "html":
        from reuse.reports.html.scan import render_html

        return render_html(result)
    if fmt == "json":
        return render_json(result)
    if fmt == "markdown":
        return render_markdown(result, limit)
    return render_table(result, limit)
