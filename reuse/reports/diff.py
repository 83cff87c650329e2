"""Reports of a diff: a JSON document for pipelines, a table for terminals, Markdown for notes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from reuse.commands.diff import DiffResult
from reuse.kinds import PARTIAL, REUSED
from reuse.reports.json_layout import Items, indented_pieces
from reuse.reports.markup import json_inert, md_code, md_text, visible
from reuse.reports.tables import TABLE_WIDTH, fit_table
from reuse.text.segment import Passage
from reuse.verify.verifier import VerifiedPassage

FORMATS: tuple[str, ...] = ("table", "json", "markdown", "html")


def passage_fields(p: Passage, status: str, similarity: float, coverage: float) -> dict[str, Any]:
    """The fields every passage report shares (diff, index query), in their order."""
    return {
        "doc": p.doc,
        "index": p.index,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "lang": p.lang,
        "status": status,
        "similarity": round(similarity, 4),
        "coverage": coverage,
    }


def passage_json(result: VerifiedPassage) -> dict[str, Any]:
    return {
        **passage_fields(result.passage, result.status, result.similarity, result.coverage),
        "matches": [
            {
                "doc": m.doc,
                "index": m.index,
                "start": m.start,
                "end": m.end,
                "similarity": round(m.similarity, 4),
                "spans": [list(s) for s in m.spans],
            }
            for m in result.matches
        ],
        "spans": [list(s) for s in result.spans],
    }


def to_json(result: DiffResult) -> dict[str, Any]:
    return {
        name: list(value.items) if isinstance(value, Items) else value for name, value in _lazy_json(result).items()
    }


def _lazy_json(result: DiffResult) -> dict[str, Any]:
    """to_json(result) with its lists of passages given lazily, one dict at a time."""
    s = result.summary
    return {
        "old": result.old.id,
        "new": result.new.id,
        "settings": {"fingerprint": result.settings.fingerprint(), **result.settings.as_dict()},
        "summary": {
            "passages": s.passages,
            "new": s.new,
            "reused": s.reused,
            "partial": s.partial,
            "reused_share": s.reused_share,
            "dropped": s.dropped,
        },
        "passages": Items(passage_json(p) for p in result.passages),
        "dropped": Items(passage_json(p) for p in result.dropped),
    }


def json_pieces(report: dict[str, Any]) -> Iterator[str]:
    """json_inert(json.dumps(report, ensure_ascii=False, indent=2)) + "\n", in pieces (see indented_pieces)."""
    for piece in indented_pieces(report):
        yield json_inert(piece)
    yield "\n"


def render_json_pieces(result: DiffResult) -> Iterator[str]:
    """The JSON report in pieces, for writing as they come (reuse.cli.output.emit takes them)."""
    return json_pieces(_lazy_json(result))


def render_json(result: DiffResult) -> str:
    return "".join(render_json_pieces(result))


def marked(result: VerifiedPassage, left: str, right: str, escape: Callable[[str], str] = str) -> str:
    """The passage text with its reused spans wrapped in markers (for partial passages).

    escape applies to the pieces of text, not to the markers (which are the report's own markup)."""
    p = result.passage
    if result.status != PARTIAL:
        return escape(p.text)
    pieces, position = [], p.start
    for start, end in result.spans:
        pieces.append(escape(p.text[position - p.start : start - p.start]))
        pieces.append(left + escape(p.text[start - p.start : end - p.start]) + right)
        position = end
    pieces.append(escape(p.text[position - p.start :]))
    return "".join(pieces)


def _sources(result: VerifiedPassage, limit: int = 3) -> str:
    shown = [f"#{m.index}" for m in result.matches[:limit]]
    if len(result.matches) > limit:
        shown.append(f"+{len(result.matches) - limit}")
    return " ".join(shown)


def _summary_line(result: DiffResult) -> str:
    s = result.summary
    return (
        f"{s.passages} passages: {s.new} new, {s.reused} reused, {s.partial} partial; "
        f"{s.reused_share:.1%} of the characters reused.\n"
        f"{s.dropped} passages of OLD do not appear in NEW (dropped)."
    )


def render_table(result: DiffResult, width: int = TABLE_WIDTH) -> str:
    rows = [
        [
            str(r.passage.index),
            r.status,
            f"{r.similarity:.2f}" if r.matches else "",
            r.passage.lang,
            marked(r, "«", "»"),
            _sources(r),
        ]
        for r in result.passages
    ]
    headers = ["#", "status", "sim", "lang", "text («reused»)", "from OLD"]
    lines = [f"OLD {visible(result.old.id)}", f"NEW {visible(result.new.id)}", ""]
    lines.append(fit_table(rows, headers, 4, width) if rows else "(NEW has no passages: it is empty)")
    lines += ["", _summary_line(result)]
    if result.dropped:
        dropped = [[str(r.passage.index), r.passage.lang, r.passage.text] for r in result.dropped]
        lines += ["", "Dropped from OLD:", fit_table(dropped, ["#", "lang", "text"], 2, width)]
    return "\n".join(lines) + "\n"


def render_markdown(result: DiffResult) -> str:
    lines = [
        f"# Diff of {md_code(result.new.id)} against {md_code(result.old.id)}",
        "",
        _summary_line(result).replace("\n", "  \n"),
        "",
        "| # | status | similarity | lang | text (reused spans in **bold**) | from OLD |",
        "|---:|---|---:|---|---|---|",
    ]
    for r in result.passages:
        text = marked(r, "**", "**", md_text)
        if r.status == REUSED:
            text = f"**{text}**"
        sim = f"{r.similarity:.2f}" if r.matches else ""
        lines.append(f"| {r.passage.index} | {r.status} | {sim} | {r.passage.lang} | {text} | {_sources(r)} |")
    if result.dropped:
        lines += ["", "## Dropped from OLD", "", "| # | lang | text |", "|---:|---|---|"]
        lines += [f"| {r.passage.index} | {r.passage.lang} | {md_text(r.passage.text)} |" for r in result.dropped]
    return "\n".join(lines) + "\n"


def render_pieces(result: DiffResult, fmt: str) -> Iterator[str]:
    """render(result, fmt) in pieces: a big JSON report is never held whole."""
    if fmt == "json":
        return render_json_pieces(result)
    return iter([render(result, fmt)])


def render(result: DiffResult, fmt: str) -> str:
    if fmt == "json":
        return render_json(result)
    if fmt == "html":
        from reuse.reports.html.diff import render_html

        return render_html(result)
    if fmt == "markdown":
        return render_markdown(result)
    return render_table(result)
