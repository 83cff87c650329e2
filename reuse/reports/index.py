"""Reports of index queries and stats: JSON for pipelines, tables for terminals, Markdown for notes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from reuse.index.query import IndexQuery
from reuse.index.store import Stats
from reuse.kinds import REUSED
from reuse.reports.diff import json_pieces, marked, passage_fields
from reuse.reports.json_layout import Items
from reuse.reports.markup import json_inert, md_code, md_text, visible
from reuse.reports.tables import fit_table, shorten
from reuse.settings import MAX_MATCHES, Settings
from reuse.verify.verifier import Match, VerifiedPassage


def match_json(m: Match) -> dict[str, Any]:
    return {
        "doc": m.doc,
        "index": m.index,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "similarity": round(m.similarity, 4),
        "documents": m.documents,
        "spans": [list(s) for s in m.spans],
    }


def passage_json(result: VerifiedPassage) -> dict[str, Any]:
    return {
        **passage_fields(result.passage, result.status, result.similarity, result.coverage),
        "documents": result.documents,
        "matches": [match_json(m) for m in result.matches],
        "spans": [list(s) for s in result.spans],
    }


def query_json(result: IndexQuery) -> dict[str, Any]:
    return {
        "doc": result.document.id,
        "summary": {"passages": len(result.passages), **result.counts(), "reused_share": result.reused_share()},
        "passages": Items(passage_json(p) for p in result.passages),
    }


def to_json(spec: str, settings: Settings, results: list[IndexQuery], max_matches: int = MAX_MATCHES) -> dict[str, Any]:
    report = _lazy_json(spec, settings, results, max_matches)
    report["documents"] = [
        {name: list(value.items) if isinstance(value, Items) else value for name, value in document.items()}
        for document in report["documents"].items
    ]
    return report


def _lazy_json(spec: str, settings: Settings, results: list[IndexQuery], max_matches: int) -> dict[str, Any]:
    """to_json's report with its lists of documents and passages given lazily, one dict at a time."""
    return {
        "index": spec,
        "max_matches": max_matches,
        "settings": {"fingerprint": settings.fingerprint(), **settings.as_dict()},
        "documents": Items(query_json(r) for r in results),
    }


def _seen_in(result: VerifiedPassage, width: int = 24) -> str:
    if not result.matches:
        return ""
    first = result.matches[0]
    more = len({m.doc for m in result.matches}) - 1
    return shorten(f"{first.doc}#{first.index}", width) + (f" +{more}" if more > 0 else "")


def _summary_line(result: IndexQuery) -> str:
    c = result.counts()
    return (
        f"{len(result.passages)} passages: {c['new']} new, {c['reused']} reused, {c['partial']} partial; "
        f"{result.reused_share():.1%} of the characters reused."
    )


def render_table(spec: str, results: list[IndexQuery], width: int = 100) -> str:
    lines = [f"INDEX {visible(spec)}"]
    for result in results:
        lines += ["", f"DOC {visible(result.document.id)}", ""]
        rows = [
            [
                str(r.passage.index),
                r.status,
                str(r.documents) if r.documents else "",
                f"{r.similarity:.2f}" if r.matches else "",
                marked(r, "«", "»"),
                _seen_in(r),
            ]
            for r in result.passages
        ]
        headers = ["#", "status", "docs", "sim", "text («reused»)", "seen in"]
        lines.append(fit_table(rows, headers, 4, width) if rows else "(no passages: the document is empty)")
        lines += ["", _summary_line(result)]
    return "\n".join(lines) + "\n"


def render_markdown(spec: str, results: list[IndexQuery]) -> str:
    lines = [f"# Readouts against the index {md_code(spec)}"]
    for result in results:
        lines += ["", f"## {md_code(result.document.id)}", "", _summary_line(result), ""]
        lines += ["| # | status | documents | similarity | text (reused spans in **bold**) | seen in |"]
        lines += ["|---:|---|---:|---:|---|---|"]
        for r in result.passages:
            text = marked(r, "**", "**", md_text)
            text = f"**{text}**" if r.status == REUSED else text
            sim = f"{r.similarity:.2f}" if r.matches else ""
            docs = str(r.documents) if r.documents else ""
            lines.append(f"| {r.passage.index} | {r.status} | {docs} | {sim} | {text} | {md_text(_seen_in(r, 60))} |")
    return "\n".join(lines) + "\n"


def render_pieces(
    spec: str, settings: Settings, results: list[IndexQuery], fmt: str, max_matches: int = MAX_MATCHES
) -> Iterator[str]:
    """render(...) in pieces: a big JSON report is never held whole (reuse.cli.output.emit takes them).
    max_matches: the matches listed per passage at most, which the JSON report states."""
    if fmt == "json":
        return json_pieces(_lazy_json(spec, settings, results, max_matches))
    return iter([render(spec, settings, results, fmt)])


def render(spec: str, settings: Settings, results: list[IndexQuery], fmt: str, max_matches: int = MAX_MATCHES) -> str:
    if fmt == "json":
        return "".join(render_pieces(spec, settings, results, fmt, max_matches))
    if fmt == "html":
        from reuse.reports.html.query import render_html

        return render_html(spec, settings, results)
    if fmt == "markdown":
        return render_markdown(spec, results)
    return render_table(spec, results)


def stats_json(stats: Stats, checked: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "index": stats.spec,
        "backend": stats.backend,
        "schema_version": stats.schema_version,
        "created_by": stats.created_by,
        "documents": stats.documents,
        "passages": stats.passages,
        "keys": stats.keys,
        "size_bytes": stats.size_bytes,
        "settings": {"fingerprint": stats.fingerprint, **stats.settings},
    }
    if checked:
        out["problems"] = stats.problems
    return out


def render_stats(stats: Stats, fmt: str, checked: bool) -> str:
    if fmt == "json":
        return json_inert(json.dumps(stats_json(stats, checked), ensure_ascii=False, indent=2)) + "\n"
    per = f" ({stats.size_bytes / stats.passages:,.0f} bytes per passage)" if stats.passages else ""
    what = "on disk" if stats.backend == "sqlite" else "used by the Redis database"
    changed = {k: v for k, v in stats.settings.items() if Settings().as_dict().get(k) != v}
    lines = [
        f"index       {stats.spec} ({stats.backend}, schema {stats.schema_version}, {stats.created_by})",
        f"documents   {stats.documents:,}",
        f"passages    {stats.passages:,}",
        f"exact keys  {stats.keys:,}",
        f"size        {stats.size_bytes:,} bytes {what}{per}",
        f"settings    {stats.fingerprint}"
        + (" (" + ", ".join(f"{k}={v}" for k, v in changed.items()) + ")" if changed else " (defaults)"),
    ]
    if checked:
        lines.append("check       " + ("ok" if not stats.problems else "; ".join(stats.problems)))
    # the spec and the problems (which name documents) come from the user and the index file
    return "\n".join(visible(line) for line in lines) + "\n"
