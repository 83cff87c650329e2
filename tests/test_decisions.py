"""Boilerplate decided member by member: the classes of mistakes the real pages showed, each on a small
corpus made for it (the mfa gate measures them on real pages)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.commands.scan import ScanResult, scan
from reuse.load.corpus import Corpus
from reuse.load.document import Document

CONTENT = [
    "两国元首就共同关心的国际和地区问题深入交换了意见，同意进一步深化经贸、能源、科技等各领域务实合作。",
    "双方表示，愿共同维护地区和平稳定，推动构建人类命运共同体，为动荡变革的世界注入更多稳定性和正能量。",
    "会谈后，两国元首共同签署并发表联合声明，见证了经贸、科技、人文、地方等领域多项合作文件的交换。",
    "中方高度评价双方关系取得的历史性成就，愿同对方一道，推动双边关系沿着正确方向持续健康稳定向前发展。",
]
TITLES = [
    "习近平会见来访外长",
    "王毅同美国国务卿通电话",
    "外交部举行中外媒体吹风会",
    "李强出席经贸论坛开幕式",
    "丁薛祥会见代表团",
    "赵乐际同议长会谈",
    "韩正出席国庆招待会",
    "蔡奇会见政党代表团",
    "王沪宁会见宗教领袖",
    "李希出席纪念大会",
]


def _scan(pages: dict[str, str]) -> ScanResult:
    return scan(Corpus([Document(name, text, name) for name, text in sorted(pages.items())]), jobs=1)


def _kinds_of(result: ScanResult, doc: str, text: str) -> set[str]:
    """The kinds and evidence of the families holding the line `text` of doc."""
    body = next(p.text for p in result.prepared if p.id == doc)
    found = set()
    for family in result.families:
        for m in family.members:
            if m.doc == doc and body[m.start : m.end] == text:
                found.add(family.kind + "".join(f"+{e.kind}" for e in family.evidence))
    return found


_POOL = (
    "的一是在不了有和人这大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其"
)


def _story(n: int) -> str:
    """A sentence that only page n has, so that no two pages of a test are near-duplicates."""
    digest = hashlib.sha256(str(n).encode()).digest() * 2
    return "".join(_POOL[b % len(_POOL)] for b in digest[:60]) + "。"


def _page(
    n: int,
    middle: list[str],
    top: str = "首页 > 新闻 > 外交动态",
    bottom: str = "版权所有 本网站",
    story: int | None = None,
) -> str:
    return "\n".join([top, TITLES[n % len(TITLES)], _story(n if story is None else story), *middle, bottom]) + "\n"


def test_a_line_amid_content_is_content_though_the_same_text_is_furniture_elsewhere() -> None:
    """The font-size widget's `中` is furniture on the pages that have the widget; a `中` standing between two
    sentences of text on another page is content (a family of its own), since the widget is on fewer
    than half the pages."""
    pages = {f"p{n}.txt": _page(n, ["大", "中", "小", CONTENT[n % 4], CONTENT[(n + 1) % 4]]) for n in range(4)}
    pages |= {f"q{n}.txt": _page(n + 4, [CONTENT[n % 4], CONTENT[(n + 2) % 4]]) for n in range(7)}
    pages["r.txt"] = _page(9, [CONTENT[0], "中", CONTENT[1]], story=40)
    result = _scan(pages)
    assert _kinds_of(result, "p0.txt", "中") == {"boilerplate+repetition"}
    assert _kinds_of(result, "r.txt", "中") == {"reused"}


def test_a_member_that_ends_a_sentence_is_content_among_furniture_that_never_does() -> None:
    pages = {f"p{n}.txt": _page(n, ["活动", CONTENT[n % 4], CONTENT[(n + 1) % 4]]) for n in range(20)}
    pages["r.txt"] = _page(30, [CONTENT[2], "活动。", CONTENT[3]], story=40)
    result = _scan(pages)
    assert _kinds_of(result, "p3.txt", "活动") == {"boilerplate+repetition"}
    assert _kinds_of(result, "r.txt", "活动。") == {"reused"}


def test_speaker_labels_recurring_within_pages_are_content_and_a_source_label_is_furniture() -> None:
    pages = {
        f"p{n}.txt": _page(n, ["来源：", "问：", CONTENT[n % 4], "答：", CONTENT[(n + 1) % 4], "问：", CONTENT[2]])
        for n in range(6)
    }
    result = _scan(pages)
    assert _kinds_of(result, "p1.txt", "问：") == {"reused"}
    assert _kinds_of(result, "p1.txt", "来源：") == {"boilerplate+repetition"}


def test_a_short_line_between_furniture_lines_is_furniture_by_context_but_not_the_title() -> None:
    """A related-links entry on two pages of ten (too few to count by repetition), between furniture lines,
    is furniture with evidence `context`; the page's title, under the breadcrumb, stays content."""
    links = "相关新闻"
    pages = {}
    for n in range(10):
        entry = ["外交部发言人就某国局势答记者问"] if n < 2 else []
        middle = [CONTENT[n % 4], CONTENT[(n + 1) % 4], links, *entry, "打印本页"]
        pages[f"p{n}.txt"] = _page(n, middle)
    result = _scan(pages)
    assert _kinds_of(result, "p0.txt", "外交部发言人就某国局势答记者问") >= {"boilerplate+context"}
    assert not any(k.startswith("boilerplate") for k in _kinds_of(result, "p0.txt", TITLES[0]))


@hsettings(max_examples=500, deadline=None)
@given(st.text(max_size=12), st.integers(0, 14), st.integers(0, 14))
def test_line_ending_reads_the_last_character_as_the_patterns_would(text: str, start: int, end: int) -> None:
    """Over all of Unicode: the quick path agrees with the anchored patterns it stands for."""
    from reuse.group.endings import INTRODUCES, LABEL, SENTENCE, TERMINAL, line_ending

    expected = SENTENCE if TERMINAL.search(text, start, end) else INTRODUCES if LABEL.search(text, start, end) else ""
    assert line_ending(text, start, min(end, len(text))) == expected or end > len(text)


def test_a_dateline_fused_into_its_sentence_says_it_opens_its_paragraph() -> None:
    """Furniture fused into the sentence it opens is a boilerplate span whose evidence is its repetition and
    its place: the start of its paragraph."""
    news = [
        "国家统计局今天发布数据，前三季度国内生产总值同比增长百分之五，就业形势总体稳定。",
        "长江流域今年汛期降雨偏多，水利部门提前调度水库群，保障了沿岸城市的防洪安全。",
        "第十五届全国运动会在广州开幕，来自各地的运动员将在三十四个大项中展开角逐。",
        "科学家在南海发现一处新的深海冷泉生态系统，为研究海洋生命起源提供了新线索。",
        "铁路部门开通多条跨境货运班列，连接中亚和欧洲，运输时间比海运缩短一半以上。",
        "教育部印发通知，要求各地加强中小学生体育锻炼，保证每天一小时校园体育活动。",
        "我国自主研制的大型客机完成高原试飞，验证了飞机在复杂气象条件下的各项性能。",
        "冬小麦播种进入高峰期，农业农村部组织专家指导农民科学施肥，确保苗齐苗壮。",
    ]
    pages = {f"p{n}.txt": _page(n, [f"新华社北京六月一日电 {news[n]}", CONTENT[n % 4]]) for n in range(8)}
    result = _scan(pages)
    spans = [f for f in result.families if f.level == "span" and f.kind == "boilerplate"]
    assert [f.text for f in spans] == ["新华社北京六月一日电"]
    assert [(e.kind, e.documents, e.place) for e in spans[0].evidence] == [
        ("repetition", 8, ""),
        ("position", 0, "paragraph start"),
    ]
