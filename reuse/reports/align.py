"""Reports of an alignment: JSON for pipelines, a table for terminals, Markdown for notes, HTML side by side."""

from __future__ import annotations

from typing import Any

from reuse.commands.align import PARTIAL, TRANSLATED, UNTRANSLATED, AlignedLink, AlignResult
from reuse.reports import json_layout
from reuse.reports.html.page import page, settings_footer
from reuse.reports.markup import html_text, md_code, md_text, visible
from reuse.reports.tables import fit_table, shorten
from reuse.text.segment import Passage

TABLE_WIDTH = 160
"""Wider than the other tables (tables.TABLE_WIDTH): two columns of text side by side."""


def _where(p: Passage) -> dict[str, Any]:
    return {"doc": p.doc, "index": p.index, "start": p.start, "end": p.end}


def to_json(result: AlignResult) -> dict[str, Any]:
    return {
        "settings": {"fingerprint": result.settings.fingerprint(), **result.settings.as_dict()},
        "summary": result.summary(),
        "passages": [
            {
                **_where(a.passage),
                "text": a.passage.text,
                "lang": a.passage.lang,
                "status": a.status,
                "counterparts": [{**_where(q), "score": score} for q, score in a.counterparts],
            }
            for a in result.passages
        ],
        "links": [
            {
                "zh": [_where(p) for p in link.zh],
                "en": [_where(p) for p in link.en],
                "score": link.score,
                "evidence": {
                    "dictionary": [list(pair) for pair in link.evidence.dictionary],
                    "numbers": list(link.evidence.numbers),
                    "names": list(link.evidence.names),
                },
            }
            for link in result.links
        ],
    }


def _summary_line(result: AlignResult) -> str:
    s = result.summary()
    parts = []
    for lang, name in (("zh", "Chinese"), ("en", "English")):
        side = s[lang]
        assert isinstance(side, dict)
        parts.append(
            f"{name}: {side['passages']} passages, {side['translated']} translated, {side['partial']} partial, "
            f"{side['untranslated']} untranslated ({side['covered']:.0%} of its characters have a counterpart)"
        )
    return "\n".join(parts)


def _rows(result: AlignResult) -> list[tuple[list[Passage], list[Passage], AlignedLink | None]]:
    """Links and left-out passages in reading order of the Chinese: a left-out English passage after the
    link that holds the English passage before it."""
    rows: list[tuple[float, list[Passage], list[Passage], AlignedLink | None]] = []
    place_of_en: dict[int, float] = {}
    for link in result.links:
        at = float(link.zh[0].index)
        rows.append((at, list(link.zh), list(link.en), link))
        for p in link.en:
            place_of_en[p.index] = at
    last = -1.0
    for a in result.passages:
        p = a.passage
        if a.status != UNTRANSLATED:
            if p.lang == "en":
                last = place_of_en.get(p.index, last)
            continue
        if p.lang == "zh":
            rows.append((float(p.index), [p], [], None))
        else:
            rows.append((last + 0.5, [], [p], None))
    rows.sort(key=lambda r: (r[0], r[1][0].index if r[1] else -1, r[2][0].index if r[2] else -1))
    return [(zh, en, link) for _, zh, en, link in rows]


def render_table(result: AlignResult, width: int = TABLE_WIDTH) -> str:
    rows = [
        [
            ",".join(str(p.index) for p in zh),
            " ".join(p.text for p in zh),
            f"{link.score:.2f}" if link else "",
            ",".join(str(p.index) for p in en),
            " ".join(p.text for p in en),
        ]
        for zh, en, link in _rows(result)
    ]
    lines = [f"Aligned: {', '.join(visible(d) for d in result.documents)}", ""]
    if rows:
        half = max(20, (width - 24) // 2)
        lines.append(
            fit_table(
                [[r[0], shorten(r[1], half), r[2], r[3], r[4]] for r in rows],
                ["zh", "Chinese", "score", "en", "English"],
                4,
                width,
            )
        )
    else:
        lines.append("(no Chinese or no English passages to align)")
    lines += ["", _summary_line(result)]
    return "\n".join(lines) + "\n"


def render_markdown(result: AlignResult) -> str:
    lines = [
        f"# Alignment of {', '.join(md_code(d) for d in result.documents)}",
        "",
        _summary_line(result).replace("\n", "  \n"),
        "",
        "| zh | Chinese | score | en | English |",
        "|---:|---|---:|---:|---|",
    ]
    for zh, en, link in _rows(result):
        score = f"{link.score:.2f}" if link else ""
        lines.append(
            f"| {','.join(str(p.index) for p in zh)} | {md_text(' '.join(p.text for p in zh))} | {score} "
            f"| {','.join(str(p.index) for p in en)} | {md_text(' '.join(p.text for p in en))} |"
        )
    return "\n".join(lines) + "\n"


def _evidence_text(link: AlignedLink) -> str:
    pairs = ", ".join(f"{zh}={en}" for zh, en in link.evidence.dictionary[:8])
    more = len(link.evidence.dictionary) - 8
    parts = [pairs + (f" +{more}" if more > 0 else "")] if pairs else []
    if link.evidence.numbers:
        parts.append("numbers " + ", ".join(link.evidence.numbers))
    if link.evidence.names:
        parts.append("names " + ", ".join(link.evidence.names))
    return "; ".join(parts)


def render_html(result: AlignResult) -> str:
    """The two versions side by side: a row a link (its score and evidence between), a row of its own for a
    passage without counterpart, in the Chinese's order."""
    status_of = {a.passage: a.status for a in result.passages}
    body_rows = []
    for zh, en, link in _rows(result):
        statuses = {status_of[p] for p in zh + en}
        status = PARTIAL if PARTIAL in statuses else TRANSLATED if link else UNTRANSLATED
        zh_cell = "".join(_passage_html(p) for p in zh)
        en_cell = "".join(_passage_html(p) for p in en)
        if link:
            why = _evidence_text(link)
            middle = f'<b>{link.score:.2f}</b><small class="why" title="{html_text(why)}">{html_text(why)}</small>'
        else:
            middle = '<span class="status">untranslated</span>'
        body_rows.append(
            f'<tr class="{status}"><td class="zh" lang="zh">{zh_cell}</td><td class="score">{middle}</td>'
            f'<td class="en" lang="en">{en_cell}</td></tr>'
        )
    summary = "".join(f'<p class="summary">{html_text(line)}</p>' for line in _summary_line(result).split("\n"))
    legend = (
        '<p class="legend"><span class="key new">translated</span> <span class="key partial">partial</span> '
        '<span class="key dropped">untranslated</span> · a row a link: the Chinese, its score and the '
        "dictionary's evidence, the English</p>"
    )
    docs = ", ".join(f'<span class="doc">{html_text(d)}</span>' for d in result.documents)
    body = (
        f"<header><h1>Chinese and English of {docs}</h1>{summary}{legend}</header>\n"
        '<main class="single"><table class="align"><thead><tr><th>Chinese</th><th>score · evidence</th>'
        "<th>English</th></tr></thead>\n<tbody>"
        + "\n".join(body_rows)
        + "</tbody></table></main>\n"
        + settings_footer(result.settings.fingerprint(), result.settings.as_dict())
    )
    return page("Alignment of " + ", ".join(result.documents), body)


def _passage_html(p: Passage) -> str:
    return f'<p id="{p.lang}{p.index}"><span class="idx">#{p.index}</span>{html_text(p.text)}</p>'


def render(result: AlignResult, fmt: str) -> str:
    if fmt == "json":
        return json_layout.dumps(to_json(result))
    if fmt == "html":
        return render_html(result)
    if fmt == "markdown":
        return render_markdown(result)
    return render_table(result)
