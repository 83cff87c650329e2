"""Property tests over all of Unicode: diff, scan and index query answer any text with exact offsets.

Texts come from hypothesis with no hand-picked alphabet, and from lines made only of the characters
that normalize to nothing or to less than a shingle (symbols, punctuation, combining marks,
zero-width and right-to-left characters, emoji, `---`, `■`, closing tags), mixed with ordinary
Chinese, English and Russian lines from the seeds. Documents draw their lines from one small pool,
so that they share passages and the matching paths (exact keys, shingles, verification) are taken.

What must hold, for every passage, match and family member: `text == document[start:end]`; every
span lies inside its passage (start <= end, within [passage.start, passage.end]); the spans of a
match lie inside the passage that was queried.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.cli import cli
from reuse.commands.audit import audit
from reuse.commands.clean import apply, plan, restore
from reuse.commands.diff import diff
from reuse.commands.scan import ScanResult, scan
from reuse.index import add_documents, open_index
from reuse.index.query import query
from reuse.load.corpus import Corpus
from reuse.load.document import Document, from_text, load_document
from reuse.settings import Settings
from reuse.text.segment import segment
from reuse.verify.verifier import VerifiedPassage

from .conftest import SEEDS


def _seed_lines(limit: int = 90) -> list[str]:
    """Ordinary Chinese, English and Russian lines of the seeds, cut short to keep examples fast."""
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(line.strip()[:limit])
    return lines


SEED_LINES = _seed_lines()
ENGLISH = "China and Russia will continue to deepen their comprehensive strategic partnership of coordination."
RUSSIAN = "Стороны обменялись мнениями по актуальным международным и региональным вопросам."


def _run(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(alphabet, min_size=1, max_size=8).map("".join)


ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f"
RTL_MARKS = "\u200f\u200e\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"

SYMBOLS = _run(st.characters(categories=["Sm", "Sc", "Sk", "So"]))
PUNCTUATION = _run(st.characters(categories=["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"]))
COMBINING = _run(st.characters(categories=["Mn", "Mc", "Me"]))
ZERO_WIDTHS = _run(st.sampled_from(ZERO_WIDTH))
RIGHT_TO_LEFT = _run(
    st.one_of(
        st.sampled_from(RTL_MARKS),
        st.characters(min_codepoint=0x0590, max_codepoint=0x08FF),  # Hebrew, Arabic, Syriac, Thaana
        st.characters(min_codepoint=0xFB1D, max_codepoint=0xFDFF),  # presentation forms
    )
)
EMOJI = _run(
    st.one_of(
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
        st.sampled_from(["\u200d", "\ufe0f", "\U0001f3fb", "\u2764", "\u2705", "\U0001f1e8\U0001f1f3"]),
    )
)
FIXED = st.sampled_from(
    ["---", "■", "■ ■ ■", "***", "...", "——", "…", "</p>", "</div></body></html>", "<br/>", "&nbsp;", "• • •", "¶"]
)
REWRITTEN = ["記憶體", "網際網路", "程式設計", "隨身碟", "部落格"]
"""Phrases that script conversion (tw2sp) rewrites to another length: 記憶體 → 内存."""


@st.composite
def cut_phrase(draw: st.DrawFn) -> str:
    """A rewritten phrase cut by a block tag, a space, a line break or a mark (記憶<br>體)."""
    phrase = draw(st.sampled_from(REWRITTEN))
    at = draw(st.integers(1, len(phrase) - 1))
    cut = draw(st.sampled_from(["<br>", "</p>", "<div class='a'>", " ", "\n", "\u200b", "\u0301", "■"]))
    return phrase[:at] + cut + phrase[at:]


ORDINARY = st.one_of(st.sampled_from(SEED_LINES), st.sampled_from([ENGLISH, RUSSIAN]))
ANY = st.text(max_size=30)
"""Any code point hypothesis can draw (all of Unicode but surrogates), no alphabet chosen."""

PIECE = st.one_of(
    ANY, SYMBOLS, PUNCTUATION, COMBINING, ZERO_WIDTHS, RIGHT_TO_LEFT, EMOJI, FIXED, ORDINARY, cut_phrase()
)
LINE = st.lists(PIECE, min_size=1, max_size=3).flatmap(
    lambda pieces: st.sampled_from([" ", "", "\u3000", ". "]).map(lambda glue: glue.join(pieces))
)
SEPARATOR = st.sampled_from(["\n", "\n", "\r\n", "\n\n", " ", "\u2029", "。"])


@st.composite
def documents(draw: st.DrawFn, count: int) -> list[str]:
    """count texts whose lines come, mostly, from one shared pool."""
    pool = draw(st.lists(LINE, min_size=1, max_size=5))
    texts = []
    for _ in range(count):
        lines = draw(st.lists(st.one_of(st.sampled_from(pool), st.sampled_from(pool), LINE), max_size=6))
        text = ""
        for line in lines:
            text += line + draw(SEPARATOR)
        texts.append(text)
    return texts


SETTINGS = st.sampled_from([Settings(), Settings(script="none", unit="paragraph"), Settings(min_span=4)])

FAST = hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_spans(spans: Any, start: int, end: int, what: str) -> None:
    for s, e in spans:
        assert start <= s <= e <= end, f"{what}: span {(s, e)} outside its passage {(start, end)}"


def check_passage(text: str, start: int, end: int, passage_text: str) -> None:
    assert 0 <= start <= end <= len(text)
    assert text[start:end] == passage_text


def check_diff_results(
    target: Document, reference: Document, results: list[VerifiedPassage], settings: Settings
) -> None:
    reference_passages = segment(reference.id, reference.text, settings.unit)
    for r in results:
        p = r.passage
        check_passage(target.text, p.start, p.end, p.text)
        check_spans(r.spans, p.start, p.end, f"passage {p.index}")
        for m in r.matches:
            # A match names a passage of the reference by index and range: both must be that passage.
            other = reference_passages[m.index]
            assert (m.start, m.end) == (other.start, other.end)
            check_passage(reference.text, m.start, m.end, other.text)
            check_spans(m.spans, p.start, p.end, f"match {m.index} of passage {p.index}")


def check_diff(old: str, new: str, settings: Settings) -> None:
    old_doc, new_doc = from_text(old, "old"), from_text(new, "new")
    result = diff(old_doc, new_doc, settings)
    check_diff_results(new_doc, old_doc, result.passages, settings)
    check_diff_results(old_doc, new_doc, result.dropped, settings)
    s = result.summary
    assert 0.0 <= s.reused_share <= 1.0
    assert s.new + s.reused + s.partial == s.passages == len(result.passages)


# Each example below is one hypothesis found (or one the issue names): kept as a regression.
@example(["---\n", "---\n"], Settings())
@example(["■\n", "■\n"], Settings())
@example(["\u0301\n", "\u0301\n"], Settings())
@example(["\u200b\n", "\u200b\n"], Settings())
@example(["<html><body><p>Xi met Putin.</p>\n</body></html>\n", "<html><body><p>Hi.</p>\n</body></html>\n"], Settings())
@example(["a\n---\n", "---\nb\n"], Settings())
@example(["---\n", "text\n---\n"], Settings(script="none", unit="paragraph"))
@example(["記<br>憶體\n", "記<br>憶體\n"], Settings())  # 内存 stood for both passages: span (0, 7) of passage (0, 1)
@example(["他說記憶<p>體很好\n", "他說記憶<p>體很好\n"], Settings())  # span (0, 8) of passage (0, 4)
@example(["a\n---\nb\n", "a\n---\nb\n"], Settings())  # span (6, 2): start > end
@example(["---\nXi met Putin.\n", "---\nXi met Putin.\n"], Settings())  # span (4, 16) of passage (0, 3)
@FAST
@given(documents(2), SETTINGS)
def test_diff_offsets_are_exact_on_any_text(texts: list[str], settings: Settings) -> None:
    check_diff(texts[0], texts[1], settings)


@example("", ":")  # IndexError in to_original
@FAST
@given(ANY, ANY)
def test_diff_of_any_two_texts(old: str, new: str) -> None:
    check_diff(old, new, Settings())
    check_diff(old + "\n" + new, new + "\n" + old, Settings())


def check_scan(texts: list[str], settings: Settings) -> None:
    docs = [from_text(text, f"d{n}") for n, text in enumerate(texts)]
    by_id = {d.id: d.text for d in docs}
    result = scan(Corpus(docs), settings, jobs=1, for_audit=True)
    passages: dict[str, list[tuple[int, int]]] = {}
    paragraph_ends: dict[str, list[int]] = {}
    for sd in result.prepared:
        bounds = list(zip(sd.starts.tolist(), sd.ends.tolist()))
        passages[sd.id] = bounds
        for start, end in bounds:
            assert 0 <= start < end <= len(sd.text)
        last_of = {number: i for i, number in enumerate(sd.paragraphs.tolist())}
        paragraph_ends[sd.id] = [bounds[last_of[number]][1] for number in sd.paragraphs.tolist()]
    for family in result.families:
        assert family.members
        first = family.members[0]
        assert family.text == by_id[first.doc][first.start : first.end]
        for m in family.members:
            bounds = passages[m.doc]
            assert 0 <= m.passage < len(bounds)
            assert 0 <= m.start < m.end <= len(by_id[m.doc])
            if family.level == "span":
                check_spans([(m.start, m.end)], *bounds[m.passage], f"{family.id} member in {m.doc}")
            else:  # whole passages or paragraphs, and spans that joined them: inside the member's paragraph
                check_spans([(m.start, m.end)], bounds[m.passage][0], paragraph_ends[m.doc][m.passage], family.id)
    for report in result.documents:
        for ranges in report.intervals.values():
            for start, end in ranges:
                assert 0 <= start < end <= report.chars
        assert all(0.0 <= share <= 1.0 for share in report.shares.values())
    check_audit_and_clean(result, by_id, paragraph_ends)


def check_audit_and_clean(result: ScanResult, by_id: dict[str, str], paragraph_ends: dict[str, list[int]]) -> None:
    """audit's fragments are whole paragraphs; clean removes exactly the text its manifest names, and undoes."""
    for report in audit(result).documents:
        ends = set(paragraph_ends[report.id])
        for start, end in report.fragments:
            assert 0 <= start < end <= len(by_id[report.id]) and end in ends
    planned = plan(result, {"boilerplate", "repeat", "reused", "formula"})
    for doc, removed in planned.items():
        text = by_id[doc]
        for r in removed:
            assert 0 <= r.start < r.end <= len(text) and r.text == text[r.start : r.end]
        assert restore(apply(text, removed), removed) == text


@example(["---\n", "---\n", "---\n"], Settings())
@example(["■\nXi met Putin.\n", "■\nXi met Putin.\n"], Settings())
@FAST
@given(documents(3), SETTINGS)
def test_scan_audit_and_clean_offsets_are_exact_on_any_text(texts: list[str], settings: Settings) -> None:
    check_scan(texts, settings)


def check_query(document: Document, stored: dict[str, str], found: list[VerifiedPassage]) -> None:
    for r in found:
        p = r.passage
        check_passage(document.text, p.start, p.end, p.text)
        check_spans(r.spans, p.start, p.end, f"passage {p.index}")
        for m in r.matches:
            check_passage(stored[m.doc], m.start, m.end, m.text)
            check_spans(m.spans, p.start, p.end, f"match {m.doc}#{m.index} of passage {p.index}")


@example(["---\n", "---\n"], Settings())
@example(["■\n\u200b\n", "\u200b\n■\n"], Settings())
@example(["", "記<br>憶體\n", "記<br>憶體\n"], Settings())
@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents(3), SETTINGS)
def test_index_query_offsets_are_exact_on_any_text(tmp_path: Path, texts: list[str], settings: Settings) -> None:
    docs = [from_text(text, f"d{n}") for n, text in enumerate(texts)]
    stored = {d.id: d.text for d in docs[1:]}
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = open_index(str(Path(folder) / "index.sqlite"), "create", settings)
        try:
            add_documents(store, docs[1:], jobs=1)
            # A readout the index has not seen, and one it holds (its own copy ignored).
            check_query(docs[0], stored, query(store, docs[0]).passages)
            if len(docs) > 1:
                check_query(docs[1], stored, query(store, docs[1]).passages)
        finally:
            store.close()


def check_cli_diff(folder: Path, old: str, new: str) -> None:
    paths = [folder / "old.txt", folder / "new.txt"]
    for path, text in zip(paths, (old, new)):
        path.write_text(text, encoding="utf-8", newline="")
    result = CliRunner().invoke(cli, ["diff", str(paths[0]), str(paths[1]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # The texts as the command read them (a leading BOM is an encoding mark, not text).
    old_text, new_text = (load_document(str(path)).text for path in paths)
    for key, mine, theirs in (("passages", new_text, old_text), ("dropped", old_text, new_text)):
        for p in data[key]:
            check_passage(mine, p["start"], p["end"], p["text"])
            check_spans(p["spans"], p["start"], p["end"], f"{key} {p['index']}")
            for m in p["matches"]:
                assert 0 <= m["start"] <= m["end"] <= len(theirs)
                check_spans(m["spans"], p["start"], p["end"], f"match {m['index']} of {key} {p['index']}")


@example(["---\n", "---\n"])
@example(["</p>\n</div>\n", "</p>\n</div>\n"])
# The last line of a page, closing tags only, was the issue's IndexError on two HTML pages.
@example(["<p>Xi met Putin.</p>\n</body></html>\n", "<p>Putin met Xi.</p>\n</body></html>\n"])
@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents(2).filter(lambda texts: not any("\x00" in t for t in texts)))
def test_cli_diff_json_offsets_are_exact_on_any_text(tmp_path: Path, texts: list[str]) -> None:
    """The serialized form too: what a pipeline reads from `reuse diff --format json`.

    NUL bytes are left out: a file holding one is refused as binary, by design (see the README)."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        check_cli_diff(Path(folder), texts[0], texts[1])


@pytest.mark.parametrize(
    "line",
    ["---", "■", "***", "\u0301", "\u200b", "\u200f", "\U0001f600", "</span>", "...", "。", "\u200d"],
)
def test_a_line_without_letters_or_digits_in_both_texts_is_reused_whole(line: str) -> None:
    """The issue's example (`---` in both files) and its class: the shape matches, the whole line is reused."""
    old, new = from_text(f"Xi met Putin.\n{line}\n", "old"), from_text(f"{line}\nPutin met Xi.\n", "new")
    result = diff(old, new)
    (reused,) = [r for r in result.passages if r.passage.text == line]
    assert reused.status == "reused"
    assert reused.spans == ((0, len(line)),)
    assert [m.spans for m in reused.matches] == [((0, len(line)),)]
    assert [(m.start, m.end) for m in reused.matches] == [(14, 14 + len(line))]


def test_the_issue_reproduction_diff_and_index_query_of_a_dash_line(tmp_path: Path) -> None:
    """`printf -- '---\\n'` in two files: diff and index query ended in an IndexError traceback."""
    a, b, index = tmp_path / "a.txt", tmp_path / "b.txt", str(tmp_path / "index.sqlite")
    a.write_text("---\n", encoding="utf-8")
    b.write_text("---\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", str(a), str(b), "--format", "json"])
    assert result.exit_code == 0, result.output
    (passage,) = json.loads(result.stdout)["passages"]
    assert (passage["text"], passage["status"], passage["spans"]) == ("---", "reused", [[0, 3]])
    assert [(m["start"], m["end"], m["spans"]) for m in passage["matches"]] == [(0, 3, [[0, 3]])]
    assert runner.invoke(cli, ["index", "build", str(a), "--index", index]).exit_code == 0
    result = runner.invoke(cli, ["index", "query", str(b), "--index", index, "--format", "json"])
    assert result.exit_code == 0, result.output
    (passage,) = json.loads(result.stdout)["documents"][0]["passages"]
    assert (passage["status"], passage["spans"]) == ("reused", [[0, 3]])
    assert [(m["text"], m["spans"]) for m in passage["matches"]] == [("---", [[0, 3]])]
