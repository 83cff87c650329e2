"""Reports of `--against INDEX`: the passages the index has seen, as JSON, tables and Markdown."""

from __future__ import annotations

from typing import Any

from reuse.index.against import DiffAgainst, DocumentAgainst, index_status
from reuse.kinds import NEW
from reuse.reports.index import match_json
from reuse.settings import BOILERPLATE_MIN_DOCS
from reuse.verify.verifier import VerifiedPassage


def known_json(known: VerifiedPassage, boilerplate_min_docs: int) -> dict[str, Any]:
    return {
        "status": index_status(known, boilerplate_min_docs),
        "documents": known.documents,
        "matches": [match_json(m) for m in known.matches],
    }


def scan_against_json(spec: str, found: list[DocumentAgainst]) -> dict[str, Any]:
    return {
        "index": spec,
        "boilerplate_min_docs": found[0].boilerplate_min_docs if found else BOILERPLATE_MIN_DOCS,
        "documents": [
            {
                "id": d.id,
                **d.counts(),
                "known_share": d.known_share(),
                "passages": [
                    {
                        "index": p.passage.index,
                        "start": p.passage.start,
                        "end": p.passage.end,
                        "text": p.passage.text,
                        **known_json(p, d.boilerplate_min_docs),
                        "spans": [list(s) for s in p.spans],
                    }
                    for p in d.passages
                    if p.status != NEW
                ],
            }
            for d in found
        ],
    }


def render_scan_against(spec: str, found: list[DocumentAgainst], fmt: str, limit: int) -> str:
    """The section a table or Markdown scan report gets with --against."""
    from reuse.reports.markup import md_code, md_text, visible
    from reuse.reports.tables import fit_table, shorten

    ordered = sorted(found, key=lambda d: (-d.known_share(), d.id))
    rows = [
        [shorten(d.id, 40), str(len(d.passages)), *(str(v) for v in d.counts().values()), f"{d.known_share():.0%}"]
        for d in ordered[:limit]
    ]
    headers = ["document", "passages", "reused", "boilerplate", "partial", "known"]
    if fmt == "markdown":
        lines = [
            "",
            f"## Against the index {md_code(spec)}",
            "",
            "| " + " | ".join(headers) + " |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += ["| " + " | ".join([md_text(r[0]), *r[1:]]) + " |" for r in rows]
    else:
        lines = ["", f"Against the index {visible(spec)}: passages it has seen (known = share of characters).", ""]
        lines.append(fit_table(rows, headers, 0, 100))
    if len(ordered) > limit:
        lines.append(f"… {len(ordered) - limit} more documents")
    return "\n".join(lines) + "\n"


def _seen_in(known: VerifiedPassage) -> str:
    from reuse.reports.tables import shorten

    if not known.matches:
        return ""
    first = known.matches[0]
    return shorten(f"{first.doc}#{first.index}", 30)


def render_diff_against(result: DiffAgainst, fmt: str) -> str:
    """The diff report, with what the index knows: a key per passage in JSON, a section in tables."""
    import json

    from reuse.reports.diff import render, to_json
    from reuse.reports.markup import json_inert, md_text, visible
    from reuse.reports.tables import fit_table

    n = result.boilerplate_min_docs
    if fmt == "json":
        data = to_json(result.diff)
        data["against"] = {"index": result.spec, "boilerplate_min_docs": n}
        data["summary"]["boilerplate"] = result.boilerplate
        for passage, known in zip(data["passages"], result.known, strict=True):
            passage["index_match"] = known_json(known, n)
        return json_inert(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
    seen = [(p, k) for p, k in zip(result.diff.passages, result.known, strict=True) if k.status != NEW]
    if fmt == "html":
        from reuse.reports.html.diff import render_html

        return render_html(
            result.diff,
            {
                p.passage.index: f"index: {index_status(k, n)}, in {k.documents} "
                + ("document" if k.documents == 1 else "documents")
                for p, k in seen
            },
        )

    def head(spec: str) -> str:  # spec escaped for the format at hand
        return (
            f"Against the index {spec}: {len(seen)} passages of NEW seen before, "
            f"{result.boilerplate} of them boilerplate (held by {n} or more indexed documents)."
        )

    rows = [[str(p.passage.index), index_status(k, n), str(k.documents), p.passage.text, _seen_in(k)] for p, k in seen]
    headers = ["#", "index", "docs", "text", "seen in"]
    report = render(result.diff, fmt)
    if fmt == "markdown":
        lines = ["", "## Against the index", "", head(md_text(result.spec)), ""]
        if rows:
            lines += ["| # | index | documents | text | seen in |", "|---:|---|---:|---|---|"]
            lines += [f"| {r[0]} | {r[1]} | {r[2]} | {md_text(r[3])} | {md_text(r[4])} |" for r in rows]
        return report + "\n".join(lines) + "\n"
    lines = ["", head(visible(result.spec))]
    if rows:
        lines += ["", fit_table(rows, headers, 3, 100)]
    return report + "\n".join(lines) + "\n"
