"""`reuse align`: the JSON contract (every passage of both languages, exact offsets, statuses that agree with
counterparts), the command's input handling, and the alignment's own invariants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reuse.cli import cli
from reuse.commands.align import align_documents
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.text.bilingual import chinese, english, pinyin_names
from reuse.text.lexicon import load_lexicon, stem
from reuse.verify.alignment import align, divide

from .align_pairs import aligned, counterparts_of
from .conftest import SEEDS, Opened

SEED = SEEDS / "004_1be1cfc6bdf062d7.txt"


def _json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["align", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_passage_of_both_languages_is_reported_with_exact_offsets() -> None:
    report = _json(str(SEED))
    text = SEED.read_text(encoding="utf-8")
    passages = report["passages"]
    assert {p["lang"] for p in passages} == {"zh", "en"}
    assert len({(p["doc"], p["index"]) for p in passages}) == len(passages)  # each once, in one language
    for p in passages:
        assert text[p["start"] : p["end"]] == p["text"]
        assert p["status"] in ("translated", "partial", "untranslated")
        assert (p["status"] == "untranslated") == (not p["counterparts"])
        for c in p["counterparts"]:
            other = next(q for q in passages if q["index"] == c["index"] and q["doc"] == c["doc"])
            assert other["lang"] != p["lang"] and (other["start"], other["end"]) == (c["start"], c["end"])
            assert any(back["index"] == p["index"] for back in other["counterparts"])
    summary = report["summary"]
    for lang in ("zh", "en"):
        mine = [p for p in passages if p["lang"] == lang]
        assert summary[lang]["passages"] == len(mine)
        assert summary[lang]["untranslated"] == sum(p["status"] == "untranslated" for p in mine)
    assert summary["en"]["translated"] + summary["en"]["partial"] >= 10  # the seed's English renders its Chinese


def test_links_carry_their_evidence() -> None:
    report = _json(str(SEED))
    assert report["links"]
    for link in report["links"]:
        assert link["zh"] and link["en"] and 0.0 < link["score"] <= 1.0
        evidence = link["evidence"]
        assert evidence["dictionary"] or evidence["numbers"] or evidence["names"]
    pairs = {tuple(p) for link in report["links"] for p in link["evidence"]["dictionary"]}
    assert ("普京", "Putin") in pairs


def test_two_files_align_in_either_order(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    zh_lines = [line for line in text.splitlines() if line and not line.isascii()]
    en_lines = [line for line in text.splitlines() if line and line.isascii()]
    (tmp_path / "zh.txt").write_text("\n".join(zh_lines) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    one = _json(str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"))
    other = _json(str(tmp_path / "en.txt"), str(tmp_path / "zh.txt"))
    links = [[(p["doc"], p["index"]) for p in link["zh"] + link["en"]] for link in one["links"]]
    assert links == [[(p["doc"], p["index"]) for p in link["zh"] + link["en"]] for link in other["links"]]
    assert all(p["doc"].endswith("zh.txt") for p in one["passages"] if p["lang"] == "zh")


def test_an_english_version_with_a_passage_cut_leaves_its_chinese_untranslated() -> None:
    text = SEED.read_text(encoding="utf-8")
    full = align_documents(Document("s", text, "utf-8"), None, Settings())
    cut_line = next(line for line in text.splitlines() if line.startswith("Lavrov conveyed"))
    cut = align_documents(Document("s", text.replace(cut_line + "\n", ""), "utf-8"), None, Settings())

    def status(result: object, needle: str) -> str:
        return next(a.status for a in result.passages if needle in a.passage.text)  # type: ignore[attr-defined]

    assert status(full, "拉伕羅夫轉達普京總統") != "untranslated"
    assert status(cut, "拉伕羅夫轉達普京總統") == "untranslated"


def test_bad_input_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["align", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_html_keeps_document_text_inert(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("习近平会见外长。\n<script>alert(1)</script> Xi meets the foreign minister.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", str(page), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "<script>alert(1)</script>" not in result.output and "&lt;script&gt;" in result.output


def test_the_dynamic_programme_finds_a_crossing_free_alignment_of_evident_pairs() -> None:
    """Passages that translate each other, in order, with one left out on each side, align one to one."""
    lexicon = load_lexicon()
    zh = ["中国同俄罗斯发展双边关系。", "双方同意加强经济合作。", "天气很好。", "两国元首通电话。"]
    en = [
        "China develops bilateral relations with Russia.",
        "Totally unrelated text here about football.",
        "The two sides agreed to strengthen economic cooperation.",
        "The two heads of state spoke on the phone.",
    ]
    links = align(
        [chinese(t, lexicon) for t in zh],
        [len(t) for t in zh],
        [english(t) for t in en],
        [len(t) for t in en],
        Settings(),
    )
    assert [(link.zh, link.en) for link in links] == [((0,), (0,)), ((1,), (2,)), ((3,), (3,))]


def test_stems_meet_across_inflections() -> None:
    assert stem("cooperation") == stem("cooperative") == stem("cooperate")
    assert stem("developing") == stem("developed") == stem("develops")


def test_the_page_in_a_real_browser_shows_every_passage_once_and_asks_nothing(browser: Any, tmp_path: Path) -> None:
    from reuse.reports.align import render_html

    result = align_documents(
        Document("000", (SEEDS / "000_72809ab1e56e2c9e.txt").read_text(encoding="utf-8"), "utf-8"), None, Settings()
    )
    path = tmp_path / "align.html"
    path.write_text(render_html(result), encoding="utf-8")
    opened = Opened(browser, path)
    page = opened.page
    left_out = sum(a.status == "untranslated" for a in result.passages)
    assert page.locator("table.align tbody tr").count() == len(result.links) + left_out
    shown = page.eval_on_selector_all("td p", "els => els.map(e => [e.id, e.lastChild.textContent])")
    assert sorted(shown) == sorted([f"{a.passage.lang}{a.passage.index}", a.passage.text] for a in result.passages)
    assert page.locator("tr.untranslated").count() == left_out
    opened.screenshot("align.png")
    opened.clean()


def test_too_many_passages_to_align_is_one_line_naming_the_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    zh = "".join(f"第{n}段会谈取得成果。\n" for n in range(3001))
    en = "".join(f"Talk number {n} went well.\n" for n in range(3001))
    big.write_text(zh + en, encoding="utf-8")
    result = CliRunner().invoke(cli, ["align", str(big)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "big.txt" in result.output and "too many to align" in result.output


def test_a_name_the_dictionary_lacks_meets_its_pinyin() -> None:
    lexicon = load_lexicon()
    names = pinyin_names(["Chinese President Xi Jinping arrives. (Xinhua/Liu Bin)"], lexicon)
    assert {"liu", "bin", "xinhua"} <= names and "chinese" not in names and "president" not in names
    assert "~bin" in chinese("新华社记者 刘彬 摄", lexicon, names=names).terms
    assert "~bin" not in chinese("新华社记者 刘彬 摄", lexicon).terms
    assert "~bin" in english("(Xinhua/Liu Bin)", names).terms and "~bin" not in english("(Xinhua/Liu Bin)").terms


def test_captions_gathered_at_the_end_of_a_seed_find_their_photographers() -> None:
    """Seed 000's English gathers three photos' captions at its end (and one at its head), alike but for the photographer; its
    Chinese has them among the story, each with its photographer's line. The names, in characters on one
    side and in pinyin on the other, tell them apart."""
    text = (SEEDS / "000_72809ab1e56e2c9e.txt").read_text(encoding="utf-8")
    result = align_documents(Document("s", text, "utf-8"), None, Settings())
    captions = [a for a in result.passages if a.passage.lang == "en" and a.passage.text.endswith("/Liu Bin)")]
    captions += [a for a in result.passages if a.passage.lang == "en" and a.passage.text.endswith("/Rao Aimin)")]
    assert len(captions) == 4  # one at the head of the story too
    for caption in captions:
        photographer = "劉彬" if caption.passage.text.endswith("/Liu Bin)") else "饒愛民"
        other = "饒愛民" if photographer == "劉彬" else "劉彬"
        lines = [q.text for q, _ in caption.counterparts]
        assert any(photographer in line for line in lines) and not any(other in line for line in lines)


def test_a_question_alone_between_two_links_is_linked_by_its_length() -> None:
    zh = "问：据报道，美国商务部宣布将对中国钢铁产品加征关税。\n中方对此有何评论？\n答：中方坚决反对美方的单边主义做法。\n"
    en = (
        "Q: According to reports, the US Department of Commerce announced tariffs on Chinese steel products.\n"
        "What is your response?\n"
        "A: China firmly opposes the unilateral practice of the US side.\n"
    )
    result = aligned(zh, en)
    assert counterparts_of(result, "What is your response?") == {"中方对此有何评论？"}
    longer = "Then the reporter repeated this several times over, with some emphasis, so that everybody could hear it."
    result = aligned(zh, en.replace("What is your response?", longer))
    assert counterparts_of(result, longer) == set()  # lengths a translation would not have


def test_pieces_a_page_cut_from_a_chinese_sentence_align_with_it() -> None:
    zh = "问：\n中美经贸第一阶段协议\n的问题。\n据\nIMF\n预计，\n2019\n年全球经济增速为3.3％。\n"
    en = (
        "Q: A question on the phase-one trade deal between China and the US.\n"
        "According to the IMF, global growth in 2019 is forecast at 3.3%.\n"
    )
    result = aligned(zh, en)
    langs = {a.passage.text: a.passage.lang for a in result.passages}
    assert langs["2019"] == langs["IMF"] == "zh"
    first = counterparts_of(result, en.splitlines()[0])
    assert {"中美经贸第一阶段协议", "的问题。"} <= first
    assert {"IMF", "预计，", "2019", "年全球经济增速为3.3％。"} <= counterparts_of(result, en.splitlines()[1])


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("00[0134]_*.txt")))
def test_each_passage_of_a_bilingual_seed_is_reported_once_in_its_own_language(seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    result = align_documents(Document(seed, text, "utf-8"), None, Settings())
    keys = [(a.passage.doc, a.passage.index) for a in result.passages]
    assert len(keys) == len(set(keys))
    for a in result.passages:
        has_han = any("\u4e00" <= c <= "\u9fff" for c in a.passage.text)
        assert a.passage.lang == "zh" or not has_han, a.passage.text  # no Chinese line taken for English


def test_a_chinese_version_between_two_english_passages_stays_chinese() -> None:
    """Pieces (a number, a word of Latin letters) between two passages of a language belong to it; whole
    Chinese sentences between two English ones do not become English."""
    text = (
        "Xi talks with Putin by phone.\n习近平同俄罗斯总统普京通电话。\n两国元首互致新年祝福。\n2025\n"
        "普京表示，俄方愿同中方加强合作。\nThe two heads of state exchanged New Year greetings.\n"
    )
    result = align_documents(Document("s", text, "utf-8"), None, Settings())
    langs = {a.passage.text: a.passage.lang for a in result.passages}
    assert len(langs) == len(result.passages)
    assert langs["两国元首互致新年祝福。"] == langs["2025"] == "zh"
    assert langs["The two heads of state exchanged New Year greetings."] == "en"


def test_pieces_of_a_cut_sentence_are_shared_out_among_the_english_sentences_in_order() -> None:
    """divide against a slow reference: every way to cut the pieces into runs, costed the same way."""
    lexicon, settings = load_lexicon(), Settings()
    pieces_text = [
        "昨天",
        "克什米尔地区",
        "的恐怖",
        "袭击事件造成",
        "死亡，",
        "这",
        "是该地区",
        "有史以来",
        "最严重的",
        "恐怖袭击之一。",
    ]
    targets_text = [
        "Q: Yesterday a terror attack in Kashmir caused the death of security personnel.",
        "This is one of the worst terror attacks in the region ever.",
    ]
    pieces = [chinese(t, lexicon) for t in pieces_text]
    lengths = [len(t) for t in pieces_text]
    targets = [english(t) for t in targets_text]
    runs = divide(pieces, lengths, targets, [len(t) for t in targets_text], settings)
    assert 1 in runs[0] and 8 in runs[1]  # Kashmir in the first sentence, the worst in the second

    best = _best_cut(pieces, lengths, targets, [len(t) for t in targets_text], settings, english_pieces=False)
    assert runs == [range(best), range(best, len(pieces))]


def test_a_question_the_english_merged_keeps_its_trailing_chinese_sentence() -> None:
    zh = (
        "问：据报道，美国海军陆战队中将麦肯齐昨天在回答南海相关问题时发表了言论。\n你如何理解他的言论？\n"
        "答：中方坚决反对美方的挑衅言论。\n"
    )
    en = (
        "Q: What does China make of yesterday's comments by Marine Corps Lieutenant General McKenzie on the "
        "South China Sea?\nA: China firmly opposes the provocative remarks of the US side.\n"
    )
    result = aligned(zh, en)
    question = en.splitlines()[0]
    assert "你如何理解他的言论？" in counterparts_of(result, question)
    # the whole exchange's question cut from the English: its Chinese stays without counterpart
    cut = aligned(zh, en.splitlines()[1] + "\n")
    statuses = {a.passage.text: a.status for a in cut.passages}
    assert statuses["你如何理解他的言论？"] == "untranslated"


def test_pieces_of_a_cut_english_sentence_are_shared_out_among_the_chinese_in_order() -> None:
    """The page cut the English sentence that renders two Chinese ones into lines; each line goes with the
    Chinese its words render, the run before the break with the first."""
    zh = "答：最近有个别西方人士提到所谓中国政治宣传。\n我想问问那些说风凉话的人，他们到底想要干什么？\n"
    en = (
        "A: Recently some people in the West\nraised\nChinese political propaganda, and I would\n"
        "like to ask those people what on earth they want?\n"
    )
    result = aligned(zh, en)
    first, second = zh.splitlines()
    lines = en.splitlines()
    for line in lines[:3]:
        assert counterparts_of(result, line) == {first}
    assert counterparts_of(result, lines[3]) == {second}


def test_divide_shares_english_pieces_as_the_slow_reference_does() -> None:
    settings = Settings()
    lexicon = load_lexicon()
    pieces_text = [
        "A: Recently some people",
        "in the West raised",
        "Chinese political propaganda,",
        "and I ask what they want?",
    ]
    targets_text = ["答：最近有个别西方人士提到所谓中国政治宣传。", "我想问问他们到底想要干什么？"]
    pieces, targets = [english(t) for t in pieces_text], [chinese(t, lexicon) for t in targets_text]
    lengths, target_lengths = [len(t) for t in pieces_text], [len(t) for t in targets_text]
    runs = divide(pieces, lengths, targets, target_lengths, settings, english_pieces=True)

    best = _best_cut(pieces, lengths, targets, target_lengths, settings, english_pieces=True)
    assert runs == [range(best), range(best, len(pieces))]
    assert best == 3  # the question goes with the question


def test_units_join_the_pieces_of_a_sentence_and_no_more() -> None:
    from reuse.commands.align import _zh_length, units
    from reuse.text.segment import Passage

    lines = ["关于", "中美经贸第一阶段协议", "的问题。", "打印本页", "中方会及时发布有关", "情况", "问：", "据报道，"]
    passages, at = [], 0
    for k, line in enumerate(lines):
        passages.append(Passage("d", k, at, at + len(line), line, "zh", k))
        at += len(line) + 1
    got = [[p.text for p in unit] for unit in units(passages, _zh_length, Settings())]
    assert got == [
        ["关于", "中美经贸第一阶段协议", "的问题。"],  # opened in two characters, continued in four
        ["打印本页"],  # four characters without a full stop: a line of its own
        ["中方会及时发布有关", "情况"],
        ["问："],  # a turn opens afresh, and a label joins nothing after it here (_attach does)
        ["据报道，"],
    ]


def test_the_head_of_a_long_question_the_page_cut_off_joins_its_link() -> None:
    """The programme links the English question with the last two of its Chinese units; the head, which
    renders terms of the English that those two do not (reports, Norwegian, software), joins them, with
    its label."""
    zh = (
        "问：\n近期有报道称，一些为中国国家安全部门工作的黑客入侵了挪威软件公司，称这是中方发起的\n“\n云端跳跃\n”(Cloudhopper)\n"
        "全球黑客行动的一部分，目的是窃取知识产权和商业机密。\n中方对上述报道有何回应？\n"
        "答：这些报道无非是个别国家抹黑中国的系列行动之一。\n"
    )
    en = (
        "Q: According to recent reports, hackers working for China's Ministry of State Security broke into a "
        "Norwegian software firm as part of a global hacking campaign called Cloudhopper to steal intellectual "
        "property and business secrets.\nWhat is China's comment?\n"
        "A: These reports are merely part of a series of actions by certain countries to smear China.\n"
    )
    question = en.splitlines()[0]
    result = aligned(zh, en)
    assert {"问：", "云端跳跃", "全球黑客行动的一部分，目的是窃取知识产权和商业机密。"} <= counterparts_of(
        result, question
    )
    without = aligned(zh, en, Settings(align_new_terms=100))
    assert "问：" not in counterparts_of(without, question)  # the rule is what joins it


def test_a_reporters_label_in_front_of_a_question_joins_its_link() -> None:
    """The Chinese page gives the reporter's label a line of its own; the English opens its question with it."""
    zh = "中国日报记者：\n近日，美国国际宗教自由委员会发表年度报告，指责中国宗教自由状况。\n答：我们坚决反对。\n"
    en = (
        "China Daily: The United States Commission on International Religious Freedom released its annual "
        "report accusing China on religious freedom.\nA: We firmly oppose it.\n"
    )
    result = aligned(zh, en)
    assert counterparts_of(result, en.splitlines()[0]) == set(zh.splitlines()[:2])


def _best_cut(
    pieces: list[Any],
    lengths: list[int],
    targets: list[Any],
    target_lengths: list[int],
    settings: Settings,
    english_pieces: bool,
) -> int:
    """The slow reference for divide with two targets: every cut of the pieces in two runs, costed as links
    are (score: the cosine of terms; length: the Gale–Church deviation), the least cost's."""

    def cost(run: range, j: int) -> float:
        terms = frozenset().union(*(pieces[k].terms for k in run))
        words, length = sum(pieces[k].words for k in run), sum(lengths[k] for k in run)
        score = min(len(terms & targets[j].terms) / (max(words, 1) * max(targets[j].words, 1)) ** 0.5, 1.0)
        zh_length, en_length = (target_lengths[j], length) if english_pieces else (length, target_lengths[j])
        delta = (en_length - settings.align_length_ratio * zh_length) / (
            settings.align_length_variance * (zh_length + 1.0)
        ) ** 0.5
        return settings.align_length_weight * delta**2 / 2 - settings.align_score_weight * score

    return min(range(1, len(pieces)), key=lambda c: cost(range(c), 0) + cost(range(c, len(pieces)), 1))


def test_the_parsed_dictionary_is_cached_whole_and_a_cache_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reuse.text import lexicon as module

    monkeypatch.setattr(module, "_LOADED", {})
    parsed = module.load_lexicon(str(tmp_path))
    caches = list((tmp_path / "readout-reuse").iterdir())
    assert [p.suffix for p in caches] == [".pickle"]  # the cache alone, no temporary file left beside it
    monkeypatch.setattr(module, "_LOADED", {})
    monkeypatch.setattr(module, "parse_cedict", lambda text: pytest.fail("parsed again, not read from the cache"))
    assert module.load_lexicon(str(tmp_path)) == parsed
    monkeypatch.undo()
    monkeypatch.setattr(module, "_LOADED", {})
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    assert module.load_lexicon(str(blocked)) == parsed  # parsed, and the cache left unwritten
