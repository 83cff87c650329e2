from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.charclass import lang_of, languages
from reuse.text.segment import _BREAK, paragraphs, segment

from .conftest import SEEDS


def texts(text: str, unit: str = "sentence") -> list[str]:
    return [p.text for p in segment("d", text, unit)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("兩國元首互致新年祝福。習近平指出,再過幾天。", ["兩國元首互致新年祝福。", "習近平指出,再過幾天。"]),
        ("萬事如意!王毅參加活動;好嗎?", ["萬事如意!", "王毅參加活動;", "好嗎?"]),
        ("他說:“好。”然後走了。", ["他說:“好。”", "然後走了。"]),
        (
            "The U.S. side agreed. Mr. Lavrov came on Jan. 21. Growth was 3.5 percent.",
            ["The U.S. side agreed.", "Mr. Lavrov came on Jan. 21.", "Growth was 3.5 percent."],
        ),
        (
            "In Beijing, capital of China, Jan. 21, 2025. (Xinhua/Rao Aimin)",
            ["In Beijing, capital of China, Jan. 21, 2025. (Xinhua/Rao Aimin)"],
        ),
        (
            "Putin held a ceremony. (Xinhua/Huang Jingwen) He left.",
            ["Putin held a ceremony. (Xinhua/Huang Jingwen)", "He left."],
        ),
        (
            "Tariffs, he said; more talks follow. Really? Yes!",
            ["Tariffs, he said; more talks follow.", "Really?", "Yes!"],
        ),
        (
            "ВСТРЕЧА И ПРЕЗИДЕНТА РФ В. В. ПУТИНА. Вторая фраза.",
            ["ВСТРЕЧА И ПРЕЗИДЕНТА РФ В. В. ПУТИНА.", "Вторая фраза."],
        ),
        ("line one\nline two\n\n  line three  ", ["line one", "line two", "line three"]),
        ("<p>第一段。</p><p>第二段<br>第三段</p>", ["第一段。", "第二段", "第三段"]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_paragraph_unit_keeps_lines_whole() -> None:
    assert texts("一句。二句。\nThree. Four.", "paragraph") == ["一句。二句。", "Three. Four."]


def test_languages_of_a_bilingual_seed() -> None:
    text = (SEEDS / "000_72809ab1e56e2c9e.txt").read_text(encoding="utf-8")
    langs = {p.lang for p in segment("d", text)}
    assert langs == {"zh", "en"}
    russian = (SEEDS / "002_cbc67faf9157e332.txt").read_text(encoding="utf-8")
    assert [p.lang for p in segment("d", russian)][1:3] == ["ru", "ru"]


ALPHABET = st.sampled_from(
    list('中俄。！？；!?;.,“”"()\n\n \tAbc U.S. Jan. Mr. 3.5 В. <p></p><br>') + ["U.S.", "Jan.", " (Xinhua) "]
)
TEXT = st.lists(ALPHABET, max_size=60).map("".join)


@hsettings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from(["sentence", "paragraph"]))
def test_passages_are_exact_ordered_and_cover_the_text(text: str, unit: str) -> None:
    passages = segment("d", text, unit)
    covered = [False] * len(text)
    previous_end = 0
    for number, p in enumerate(passages):
        assert p.index == number
        assert p.text == text[p.start : p.end]
        assert p.text and not p.text[0].isspace() and not p.text[-1].isspace()
        assert p.start >= previous_end
        previous_end = p.end
        for i in range(p.start, p.end):
            covered[i] = True
    # Everything not in a passage is whitespace or a paragraph break (line break, block tag).
    breaks = [False] * len(text)
    for m in _BREAK.finditer(text):
        for i in range(m.start(), m.end()):
            breaks[i] = True
    for i, char in enumerate(text):
        assert covered[i] or breaks[i] or char.isspace(), (i, char)


def test_paragraphs_trim_whitespace() -> None:
    assert paragraphs("  a \n\n b") == [(2, 3), (7, 8)]
    assert re.fullmatch(r"\s*", "\n \t") and paragraphs("\n \t") == []


@hsettings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab Zé@[`{中文。Жжё1 .,\nÀɏȀ\u3042가𠀀"), max_size=40),
    st.lists(st.integers(0, 40), max_size=10),
    st.sampled_from([1, 3, 8, 1 << 22]),
)
def test_languages_of_a_whole_document_agree_with_lang_of(text: str, cuts: list[int], block: int) -> None:
    """The array version counts script runs exactly as the per-passage regular expressions do, also a
    few characters of text at a time (a big document's blocks)."""
    from reuse import charclass

    bounds = sorted({min(c, len(text)) for c in cuts})
    spans = list(pairwise(bounds)) + [(b, b) for b in bounds[:1]]
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    saved, charclass._LANGUAGE_BLOCK = charclass._LANGUAGE_BLOCK, block
    try:
        found = languages(text, starts, ends)
    finally:
        charclass._LANGUAGE_BLOCK = saved
    assert found == [lang_of(text[s:e]) for s, e in spans]
