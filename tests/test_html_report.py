"""The HTML diff report: every span at its offsets and linked both ways, hostile text kept as text,
and the page tried in a real browser (Debian's Chromium driven by Playwright): no console error, no
request, a click on a span scrolls the other side to its counterpart.

The browser tests skip, visibly, where Playwright or /usr/bin/chromium is missing, except in CI, where
they fail. Screenshots go to test-artifacts/ (not committed; scripts/screenshots.py makes docs/'s).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from reuse.commands.diff import DiffResult, diff
from reuse.load.document import from_text, load_document
from reuse.reports.html.diff import render_html
from tests.conftest import ROOT, SEED_FILES, SEEDS, Opened
from tests.test_escaping import HOSTILE

PAIRS = list(itertools.permutations(SEED_FILES[:3], 2))


def _diff(old: str, new: str) -> DiffResult:
    return diff(load_document(str(SEEDS / old)), load_document(str(SEEDS / new)), links=True)


def _marks(tree: Any, side: str) -> list[Any]:
    return tree.xpath(f'//section[@id="{side}"]//mark')


@pytest.mark.parametrize("old, new", PAIRS)
def test_every_mark_is_the_text_at_its_offsets_and_links_both_ways(old: str, new: str) -> None:
    result = _diff(old, new)
    tree = lxml.html.fromstring(render_html(result))
    marks = {"old": _marks(tree, "old"), "new": _marks(tree, "new")}
    texts = {"old": result.old.text, "new": result.new.text}
    by_id = {m.get("id"): m for side in marks for m in marks[side]}
    reused = [r for r in result.passages if r.spans]
    assert len(marks["new"]) == sum(len(r.spans) for r in reused)
    for side, found in marks.items():
        for mark in found:
            start, end = int(mark.get("data-start")), int(mark.get("data-end"))
            assert mark.text_content() == texts[side][start:end]
            for other in mark.get("data-to").split():
                assert other[0] != mark.get("id")[0], "a link goes to the other side"
                assert mark.get("id") in by_id[other].get("data-to").split()
    if reused:
        assert any(m.get("data-to") for m in marks["new"]), "some NEW span is linked to OLD"
    # Each passage's text, marks included, is its text as the user gave it.
    for side, passages in (("old", result.prepared[0].passages()), ("new", [r.passage for r in result.passages])):
        shown = tree.xpath(f'//section[@id="{side}"]//div[contains(@class, "psg")]/p')
        assert [p.text_content() for p in shown] == [p.text for p in passages]


def test_statuses_and_dropped_passages_are_marked() -> None:
    result = _diff(SEED_FILES[0], SEED_FILES[1])
    tree = lxml.html.fromstring(render_html(result))
    for r in result.passages:
        assert r.status in tree.get_element_by_id(f"n{r.passage.index}").get("class").split()
    for r in result.dropped:
        assert "dropped" in tree.get_element_by_id(f"o{r.passage.index}").get("class").split()
    assert result.dropped and any(r.status == "partial" for r in result.passages)
    footer = tree.xpath("//footer")[0].text_content()
    assert result.settings.fingerprint() in footer


def _hostile_result() -> DiffResult:
    shared = "The two sides agreed to deepen cooperation in trade, energy and culture."
    old = from_text("\n\n".join([shared, *HOSTILE[:3], "</script><script>alert(5)</script>"]), "old<b>.txt")
    new = from_text(
        "\n\n".join([shared + " " + HOSTILE[0], *HOSTILE[1:3], "<!-- </style><style>*{display:none}</style>"]),
        '"><img src=x onerror=alert(6)>',
    )
    return diff(old, new, links=True)


def test_hostile_text_and_ids_stay_text() -> None:
    result = _hostile_result()
    page = render_html(result)
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 1 and len(tree.xpath("//style")) == 1
    assert not tree.xpath("//img | //textarea | //body//svg[not(contains(@class, 'bar'))] | //*[@onerror or @onload]")
    text = tree.text_content()
    for hostile in [*HOSTILE[:3], "</script><script>alert(5)</script>", '"><img src=x onerror=alert(6)>']:
        assert hostile in text
    # Everything the page could load or run is its own: the policy allows no source but its hashes.
    policy = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "default-src 'none'" in policy and "unsafe" not in policy
    assert not re.search(r"\b(?:src|href)=\"(?!#)", page), "no attribute names anything outside the page"


def test_html_report_from_the_command_line(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "diff.html"
    result = run("diff", "--format", "html", "-o", str(out), f"seeds/{SEED_FILES[0]}", f"seeds/{SEED_FILES[1]}")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<mark" in page


# --- in a real browser ---------------------------------------------------------------------------------


def _in_view(opened: Opened, selector: str, side: str) -> bool:
    return bool(
        opened.page.eval_on_selector(
            selector,
            """(el, side) => { const r = el.getBoundingClientRect(), s = document.getElementById(side).getBoundingClientRect();
                return r.top >= s.top && r.bottom <= s.bottom; }""",
            side,
        )
    )


def test_a_click_on_a_span_brings_its_counterpart_into_view(browser: Any, tmp_path: Path) -> None:
    result = _diff(SEED_FILES[0], SEED_FILES[1])
    path = tmp_path / "diff.html"
    path.write_text(render_html(result), encoding="utf-8")
    opened = Opened(browser, path)
    page = opened.page
    assert page.locator("#new mark").count() == sum(len(r.spans) for r in result.passages) > 0
    # The last linked NEW span: its counterpart lies far down OLD, out of view until clicked.
    last = page.locator("#new mark:not([data-to=''])").last
    target = last.get_attribute("data-to").split()[0]
    assert not _in_view(opened, f"#{target}", "old")
    last.scroll_into_view_if_needed()
    last.click()
    page.wait_for_timeout(100)
    assert _in_view(opened, f"#{target}", "old")
    assert "flash" in page.locator(f"#{target}").get_attribute("class")
    opened.screenshot("diff-click.png")
    # n steps to the first span and brings its counterpart into view too.
    page.keyboard.press("n")
    page.keyboard.press("n")
    first = page.locator("#new mark").nth(1)
    assert page.evaluate("document.activeElement.id") == first.get_attribute("id")
    # Printed, both sides run their full length: no column is a scrolling box that would cut them.
    page.emulate_media(media="print")
    assert page.evaluate(
        "['old', 'new'].every((id) => { const s = document.getElementById(id); return s.scrollHeight <= s.clientHeight + 1; })"
    )
    assert len(page.pdf()) > 1000
    opened.clean()


def test_hostile_text_runs_nothing_in_the_browser(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render_html(_hostile_result()), encoding="utf-8")
    opened = Opened(browser, path)
    shown = opened.page.inner_text("body")
    for hostile in HOSTILE[:3]:
        assert hostile in shown
    assert (
        opened.page.locator("img, textarea, svg:not(.bar)").count() == 0 and opened.page.locator("svg.bar").count() == 1
    )
    opened.screenshot("diff-hostile.png")
    opened.clean()


# --- index query ----------------------------------------------------------------------------------------


def _query_page(run: Any, tmp_path: Path) -> Path:
    """seeds 0–3 indexed, seed 4 and seed 0 (whose own copy is ignored, so it meets the others) looked up."""
    index = str(tmp_path / "seeds.sqlite")
    assert run("index", "build", "--index", index, *[f"seeds/{name}" for name in SEED_FILES[:4]]).exit_code == 0
    out = tmp_path / "query.html"
    result = run(
        "index",
        "query",
        "--format",
        "html",
        "-o",
        str(out),
        "--index",
        index,
        f"seeds/{SEED_FILES[4]}",
        f"seeds/{SEED_FILES[0]}",
    )
    assert result.exit_code == 0, result.output
    return out


def test_index_query_page_marks_spans_and_lists_what_the_index_holds(run: Any, tmp_path: Path) -> None:
    tree = lxml.html.fromstring(_query_page(run, tmp_path).read_text(encoding="utf-8"))
    sections = tree.xpath("//section[contains(@class, 'target')]")
    assert len(sections) == 2
    marks = []
    for section in sections:
        text = load_document(str(ROOT / section.xpath(".//h2")[0].text_content())).text
        for mark in section.xpath(".//mark"):
            assert mark.text_content() == text[int(mark.get("data-start")) : int(mark.get("data-end"))]
            for other in mark.get("data-to").split():
                assert tree.get_element_by_id(other).tag == "li"
            marks.append(mark)
    assert any(m.get("data-to") for m in marks)
    assert len(tree.xpath("//details[@class='matches']")) >= 1


def test_a_click_on_a_query_span_opens_its_matches(browser: Any, run: Any, tmp_path: Path) -> None:
    opened = Opened(browser, _query_page(run, tmp_path))
    page = opened.page
    mark = page.locator(".target mark:not([data-to=''])").first
    match = page.locator(f"#{mark.get_attribute('data-to').split()[0]}")
    assert not match.is_visible()
    mark.click()
    page.wait_for_timeout(100)
    assert match.is_visible() and "flash" in match.get_attribute("class")
    opened.screenshot("query-click.png")
    opened.clean()


# --- scan and audit -------------------------------------------------------------------------------------


def _hostile_corpus(tmp_path: Path) -> Path:
    """The seeds, a page of hostile text twice (a repeat, and boilerplate across two documents), and a
    near duplicate of a seed, under file names that are markup themselves."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SEED_FILES:
        (corpus / name).write_text((SEEDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    hostile = "\n\n".join([*HOSTILE[:3], "The two sides agreed to deepen cooperation in trade and energy."])
    (corpus / "<img src=x onerror=alert(7)>.txt").write_text(hostile + "\n\n" + hostile, encoding="utf-8")
    (corpus / "b.txt").write_text(hostile + "\n\nA sentence of its own about fisheries.", encoding="utf-8")
    seed = (SEEDS / SEED_FILES[0]).read_text(encoding="utf-8")
    (corpus / "near.txt").write_text(seed.replace("新華社", "新华社", 1) + "\n\n一句新的话。", encoding="utf-8")
    return corpus


def test_scan_page_holds_every_family_and_document_and_runs_no_text(run: Any, tmp_path: Path) -> None:
    import json

    corpus, out = _hostile_corpus(tmp_path), tmp_path / "scan.html"
    assert run("scan", "--format", "html", "-o", str(out), str(corpus)).exit_code == 0
    report = json.loads(run("scan", "--format", "json", str(corpus)).output)
    page = out.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(page)
    assert len(tree.xpath("//script")) == 2  # the data, and the page's own script
    data = json.loads(tree.get_element_by_id("data").text)
    assert [d["id"] for d in data["docs"]] == [d["id"] for d in report["documents"]]
    assert [f["id"] for f in data["families"]] == [f["id"] for f in report["families"]]
    for doc, reported in zip(data["docs"], report["documents"]):
        text = load_document(str(corpus / Path(doc["id"]).name)).text
        assert doc["text"] == text
        # The kinds' pieces: in order, apart, inside the text, and covering what the shares say.
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(doc["spans"]))
        assert all(0 <= s < e <= len(text) for s, e, _ in doc["spans"])
        assert {data["kinds"][k] for _, _, k in doc["spans"]} <= {k for k, v in reported["shares"].items() if v}
    assert "</script" not in tree.get_element_by_id("data").text.lower()


def test_audit_page_charts_the_figures(run: Any, tmp_path: Path) -> None:
    corpus, out = _hostile_corpus(tmp_path), tmp_path / "audit.html"
    assert run("audit", "--format", "html", "-o", str(out), str(corpus)).exit_code == 0
    tree = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert not tree.xpath("//script | //img | //*[@onerror]")
    charts = tree.xpath("//svg[@class='chart']")
    assert len(charts) == 3
    # Every document is counted once in the boilerplate chart.
    bars = [int(t.split(": ")[1].split()[0]) for t in charts[0].xpath(".//rect/title/text()")]
    assert sum(bars) == len(SEED_FILES) + 3
    assert "<img src=x onerror=alert(7)>.txt" in tree.text_content() or "near.txt" in tree.text_content()


def test_scan_page_filters_and_shows_a_document(browser: Any, run: Any, tmp_path: Path) -> None:
    corpus, out = _hostile_corpus(tmp_path), tmp_path / "scan.html"
    assert run("scan", "--format", "html", "-o", str(out), str(corpus)).exit_code == 0
    opened = Opened(browser, out)
    page = opened.page
    families = page.locator("#families .family")
    total = families.count()
    assert total > 3
    page.fill("#filter", "ALERT(2)")  # in the text of the hostile pages only, in any case
    page.wait_for_timeout(400)
    assert 0 < families.count() < total
    assert all("alert(2)" in t for t in families.all_inner_texts())
    assert page.locator("#documents .doc-link").count() == 2
    family = families.first
    family.locator("summary").click()
    occurrence = family.locator(".members .doc-link").first
    occurrence.click()
    page.wait_for_timeout(100)
    focus = page.locator("#document .focus").first
    assert focus.is_visible()
    assert page.locator("#document mark").count() > 0
    shown = page.inner_text("#document")
    for hostile in HOSTILE[:3]:
        assert hostile in shown
    page.fill("#filter", "")
    page.wait_for_timeout(400)
    assert families.count() == total
    # A boilerplate family says why, in words, once opened.
    boilerplate = page.locator("#families .family.k-boilerplate").first
    boilerplate.locator("summary").click()
    assert boilerplate.locator(".why").inner_text().startswith("Why boilerplate: repetition: in ")
    opened.screenshot("scan.png")
    opened.clean()


def test_audit_page_opens_clean(browser: Any, run: Any, tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    assert run("audit", "--format", "html", "-o", str(out), str(_hostile_corpus(tmp_path))).exit_code == 0
    opened = Opened(browser, out)
    assert opened.page.locator("svg.chart rect").count() > 0
    opened.screenshot("audit.png")
    opened.clean()


def test_diff_against_an_index_notes_what_it_knows(run: Any, tmp_path: Path) -> None:
    index, out = str(tmp_path / "seeds.sqlite"), tmp_path / "against.html"
    assert run("index", "build", "--index", index, *[f"seeds/{name}" for name in SEED_FILES[2:]]).exit_code == 0
    old, new = f"seeds/{SEED_FILES[0]}", f"seeds/{SEED_FILES[1]}"
    result = run("diff", "--format", "html", "--against", index, "-o", str(out), old, new)
    assert result.exit_code == 0, result.output
    tree = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    notes = tree.xpath("//section[@id='new']//span[@class='note']")
    assert notes and all(n.text_content().startswith("index: ") for n in notes)
    assert tree.xpath("//section[@id='new']//mark[@data-to!='']")  # linked to OLD as without --against
