"""Evidence from a page's structure: where the extractor's main content is in our text, and what scan
decides with it."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.commands.scan import scan
from reuse.load.corpus import load_corpus
from reuse.load.html import html_to_text
from reuse.load.structure import main_ranges, placed_lines, share_inside


@hsettings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80), st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=6), st.text(max_size=8)
)
def test_placed_lines_are_the_lines_in_order_with_white_space_ignored(
    text: str, cuts: list[tuple[int, int]], stray: str
) -> None:
    """Over all of Unicode: each placed range holds its line's characters (white space aside), the ranges
    stand in order without overlapping, and a line that is not in the text is not placed."""
    lines = [text[min(a, b) : max(a, b)] for a, b in cuts] + [stray]
    placed = placed_lines(text, lines)
    assert all(0 <= s < e <= len(text) for s, e in placed)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(placed))
    compact_lines = {"".join(line.split()) for line in lines} - {""}
    for s, e in placed:
        assert "".join(text[s:e].split()) in compact_lines
        assert not text[s].isspace() and not text[e - 1].isspace()


def test_the_first_line_of_many_alike_is_placed_first() -> None:
    text = "问：\n甲\n问：\n乙\n"
    assert placed_lines(text, ["问：", "乙"]) == ((0, 2), (8, 9))


def _page(body: str, nav: str = "首页 > 外交动态 > 发言人表态") -> str:
    links = "".join(f'<li><a href="/n/{i}.html">相关新闻标题第{i}条</a></li>' for i in range(12))
    return (
        "<html><head><title>例行记者会</title></head><body>"
        f'<div class="nav"><a href="/">{nav}</a></div><ul class="menu">{links}</ul>'
        f"<article><h1>外交部发言人主持例行记者会</h1>{body}</article>"
        '<div class="footer"><a href="/about">关于我们</a> <a href="/contact">联系我们</a></div></body></html>'
    )


PARAGRAPHS = [
    "问：据报道，有关国家近日宣布将举行联合军事演习。中方对此有何评论？",
    "答：我们注意到有关报道。中方一贯主张通过对话协商和平解决争端，希望有关各方多做有利于地区和平稳定的事。",
    "问：双方能否介绍一下此次会谈的主要成果？",
    "答：双方就共同关心的国际和地区问题深入交换了意见，达成广泛共识，同意进一步深化各领域务实合作。",
]


def test_main_content_is_inside_and_the_menu_outside() -> None:
    markup = _page("".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    text = html_to_text(markup, "page.html")
    main = main_ranges(markup, text)
    assert main is not None
    for paragraph in PARAGRAPHS:
        start = text.index(paragraph)
        assert share_inside(main, start, start + len(paragraph)) == 1.0
    for furniture in ("相关新闻标题第3条", "关于我们 联系我们"):
        start = text.index(furniture)
        assert share_inside(main, start, start + len(furniture)) == 0.0


def test_furniture_of_one_page_is_boilerplate_by_structure_and_content_stays(tmp_path: Path) -> None:
    """On HTML input a line outside the main content is furniture even on one page, with evidence
    `structure`; the content lines of the pages are no family's boilerplate."""
    navs = ["首页 > 国际新闻", "返回上一级", "网站地图与帮助中心", "English Français Español"]
    for n, nav in enumerate(navs):
        body = "".join(f"<p>{p.replace('有关', f'第{n}批有关')}</p>" for p in PARAGRAPHS)
        (tmp_path / f"p{n}.html").write_text(_page(body, nav=nav), encoding="utf-8")
    result = scan(load_corpus([str(tmp_path)]), jobs=1)
    texts = {p.id: p.text for p in result.prepared}
    boiler = [f for f in result.families if f.kind == "boilerplate"]
    one_page = [f for f in boiler if f.documents == 1 and f.text in navs]
    assert len(one_page) == 4 and all([e.kind for e in f.evidence] == ["structure"] for f in one_page)
    for family in boiler:
        for m in family.members:
            assert not any(p[4:20] in texts[m.doc][m.start : m.end] for p in PARAGRAPHS)
