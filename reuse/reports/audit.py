"""Reports of an audit: JSON for pipelines, a readable summary for terminals."""

from __future__ import annotations

from reuse.commands.audit import AuditResult, to_json
from reuse.reports import json_layout
from reuse.reports.markup import json_inert, visible
from reuse.reports.tables import fit_table


def render(result: AuditResult, fmt: str, width: int = 100) -> str:
    if fmt == "json":
        return json_inert(json_layout.dumps(to_json(result)))
    if fmt == "html":
        from reuse.reports.html.audit import render_html

        return render_html(result)
    s = result.summary()
    lines = [
        (
            f"{s['documents']} documents: {s['empty']} empty, {s['exact_duplicate_clusters']} clusters of exact "
            f"duplicates, {s['near_duplicate_clusters']} of near duplicates."
        ),
        (
            f"Boilerplate: {result.boilerplate_share:.1%} of the corpus; {s['over_boilerplate']} documents over "
            f"{result.max_boilerplate:.0%}."
        ),
        (
            f"{s['with_repeats']} documents repeat passages; {s['mixed_scripts']} mix Traditional and Simplified "
            f"script; {s['mixed_languages']} mix languages; {s['with_fragments']} have fragments."
        ),
    ]
    for title, clusters in (("Exact duplicates", result.exact_duplicates), ("Near duplicates", result.near_duplicates)):
        if clusters:
            lines += ["", f"{title} (first kept, the others duplicate it):"]
            lines += [f"  {visible(group[0])} ← " + ", ".join(map(visible, group[1:])) for group in clusters]
    rows = [
        [
            d.id,
            "yes" if d.empty else "",
            f"{d.boilerplate_share:.0%}",
            str(d.repeats),
            "mixed"
            if d.mixed_scripts
            else (
                "trad"
                if d.scripts["traditional"] > d.scripts["simplified"]
                else "simp"
                if d.scripts["simplified"]
                else ""
            ),
            "+".join(d.languages),
            str(len(d.fragments)),
        ]
        for d in result.documents
    ]
    lines += [
        "",
        fit_table(rows, ["document", "empty", "boilerplate", "repeats", "script", "languages", "fragments"], 0, width),
    ]
    return "\n".join(lines) + "\n"
