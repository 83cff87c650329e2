"""`reuse align` on the shapes press-conference pages give it: a sentence cut into pieces on both sides, a
question's head of a label and a lead, an answer's opening sentence, a question the English renders in
three sentences. Each test names the rule that makes it pass (reuse.verify.growth, _shared_out)."""

from __future__ import annotations

from .align_pairs import aligned, counterparts_of


def test_a_sentence_cut_into_pieces_on_both_sides_pairs_piece_with_piece() -> None:
    """Both pages cut the question into lines (the English at its apostrophes), the Chinese into lines of a
    few characters, so that each side is one unit and the link holds the whole sentence. Each English
    piece gets the Chinese pieces its words render, not every piece of the sentence."""
    zh = (
        "问：\n荷兰\n某\n财经媒体\n报道称\n，荷兰\n半导体\n业\nASML\n公司的中方\n高管窃取\n该\n公司商业机密，\n造成公司\n"
        "巨额\n损失\n，\n并\n称\n这些技术\n被\n泄露给了中国政府\n。\n答：我不了解具体情况。\n"
    )
    en = (
        "Q: According to Dutch financial news reports, a semi-conductor producer ASML\n'\n"
        "s Chinese executives have stolen the company\n'\ns business secrets and that caused huge losses.\n"
        "It is also said that those technologies were leaked to the Chinese government.\n"
        "A: I am not aware of the specifics.\n"
    )
    result = aligned(zh, en)
    head = counterparts_of(result, en.splitlines()[0])
    assert {"荷兰", "财经媒体", "ASML"} <= head
    assert not head & {"巨额", "损失", "泄露给了中国政府"}
    losses = counterparts_of(result, en.splitlines()[4])
    assert {"公司商业机密，", "巨额"} <= losses and not losses & {"荷兰", "财经媒体", "泄露给了中国政府"}


def test_a_label_and_a_lead_in_front_of_a_question_join_its_link() -> None:
    """问： and 据报道， on lines of their own before the question: the label joins across the lead, which is
    too short to carry evidence of its own."""
    zh = (
        "问：\n据报道，\n5月3日，东盟卫生部长会议在雅加达东盟秘书处召开\n。\n会议发表声明，高度赞赏并支持中国抗击疫情努力。\n"
        "中方对此有何回应？\n答：中方对东盟各国的支持表示感谢。\n"
    )
    en = (
        "Q: According to reports, the ASEAN health ministers' meeting convened at the ASEAN Secretariat in "
        "Jakarta on May 3 issued a statement expressing appreciation and support for China's fight against the "
        "epidemic.\nI wonder if you have a response?\nA: China thanks ASEAN countries for their support.\n"
    )
    assert {"问：", "据报道，"} <= counterparts_of(aligned(zh, en), en.splitlines()[0])


def test_an_answers_opening_sentence_joins_the_answer_the_english_opens_with_a() -> None:
    """答：我刚才已经发布了消息。 is a sentence of its own; the English folds it into its first ("A: I just
    announced that ..."), whose link holds the Chinese after it."""
    zh = (
        "问：除了出席外长会，王毅国务委员是否还将举行双边会见？\n你能否提供更多细节？\n答：我刚才已经发布了消息。\n"
        "此次王毅国务委员兼外长前往曼谷，除了出席第三次东亚合作外长会，还将访问泰国。\n中泰两国是全面战略合作伙伴。\n"
    )
    en = (
        "Q: Besides the meeting of foreign ministers, will State Councilor Wang Yi hold bilateral meetings?\n"
        "Could you give some details?\n"
        "A: I just announced that State Councilor and Foreign Minister Wang Yi will visit Thailand besides "
        "attending the third East Asia "
        "cooperation foreign ministers' meeting in Bangkok.\n"
        "China and Thailand are comprehensive strategic cooperative partners.\n"
    )
    answer = en.splitlines()[2]
    assert counterparts_of(aligned(zh, en), answer) == set(zh.splitlines()[2:4])
    unmarked = answer.removeprefix("A: ")  # an English that marks no turns: the rule has nothing to go by
    assert "答：我刚才已经发布了消息。" not in counterparts_of(aligned(zh, en.replace(answer, unmarked)), unmarked)


def test_a_third_english_sentence_of_a_question_joins_it_by_length() -> None:
    """The English renders one Chinese question in three sentences; links of two at most leave the third
    out, and it shares no word with the Chinese. Its length joins it; an English sentence the Chinese is
    too short for stays out."""
    zh = (
        "问：据报道，美国商务部长将于下周访问中国并同中方举行贸易磋商，你能否介绍此访的具体安排和中方的期待？\n"
        "答：中方欢迎美方来华磋商。\n"
    )
    question = "Q: According to reports, the US Commerce Secretary will visit China next week for trade consultations."
    third = "Can you give us more details?"
    en = f"{question}\nWhat does China expect from the visit?\n{third}\nA: China welcomes the US side to consult.\n"
    assert counterparts_of(aligned(zh, en), third) == {zh.splitlines()[0]}
    longer = (
        "Can you give us more details about who will travel with him, on which days, in which cities, and what "
        "the two delegations hope to sign by the end of the visit, and whether the tariffs will be on the table?"
    )
    assert counterparts_of(aligned(zh, en.replace(third, longer)), longer) == set()


def test_a_piece_where_two_english_pieces_meet_goes_to_both_when_it_renders_words_of_both() -> None:
    """发表声明批评中国 renders "issued a statement" of the first English piece and "criticizing … China" of
    the second: shared out in runs, it would go to one only."""
    zh = "问：\n昨天，美国国务院\n发表声明批评中国\n的人权状况。\n答：我们坚决反对。\n"
    en = (
        "Q: Yesterday the US State Department issued a statement\n"
        "criticizing the human rights situation in China.\nA: We firmly oppose it.\n"
    )
    result = aligned(zh, en)
    first, second = en.splitlines()[:2]
    assert "发表声明批评中国" in counterparts_of(result, first) & counterparts_of(result, second)
    assert "昨天，美国国务院" not in counterparts_of(result, second)


def test_a_long_chinese_paragraph_the_english_renders_in_three_sentences_is_one_link() -> None:
    """Three loose English sentences, each with too little evidence to join a link of its own, render one
    Chinese paragraph together: a 1–3 link, which links of two passages a side at most cannot make."""
    zh = (
        "答：关于你的问题，我愿介绍一下情况。\n"
        "针对上述问题，中方本次政策调整坚持保护优先、规范利用、严格监管的原则，充分考虑了可能对全球野生动物保护"
        "正反两方面的影响，严格规定了特殊情况下的审批条件，将进一步加大执法力度，提高公众保护意识。\n"
        "我们愿意同国际社会充分沟通交流。\n"
    )
    en = (
        "A: I would like to brief you on your question.\n"
        "To address these problems, the new rules keep to three principles: protection first, regulated use and "
        "tight oversight.\n"
        "Both the benefits and the risks for wildlife around the world were weighed.\n"
        "Exceptions are narrowly defined, enforcement will be stepped up and the public made more aware.\n"
        "We would like to have adequate communication with the international community.\n"
    )
    result = aligned(zh, en)
    paragraph = zh.splitlines()[1]
    for sentence in en.splitlines()[1:4]:
        assert counterparts_of(result, sentence) == {paragraph}, sentence


def test_the_pages_furniture_between_two_links_is_not_linked_by_its_length() -> None:
    """大 / 中 / 小 / 打印本页 (the page's font-size and print links) sit where a one-to-one gap would be
    filled by length, across from a greeting only the English has; a line of furniture ends no sentence,
    so the gap stays open."""
    zh = (
        "外交部发言人赵立坚今天主持例行记者会。\n大\n中\n小\n]\n打印本页\n"
        "根据国家卫生健康委今天上午发布的统计数字，3月1日全国新增治愈出院病例2837例。\n"
    )
    greeting = "Good afternoon, everyone, and welcome."
    en = (
        f"Foreign Ministry Spokesperson Zhao Lijian held a regular press conference today.\n{greeting}\n"
        "According to the statistics released by the National Health Commission this morning, March 1 saw 2,837 "
        "more patients across the country cured and discharged from hospital.\n"
    )
    assert counterparts_of(aligned(zh, en), greeting) == set()


def test_a_question_left_out_does_not_join_the_answer_after_it() -> None:
    """The Chinese folds "Do you have any comment?" into its question; the English answer is shorter than
    its Chinese, which would make room for it by length. A question joins only a link that asks one."""
    zh = (
        "问：据报道，美国政府宣布将对更多中国企业实施出口管制，中方对此有何回应？\n"
        "赵立坚：美方会采取什么措施，你应该去问美方，我们敦促美方立即纠正错误做法，停止无理打压中国企业，"
        "中方将采取一切必要措施，坚决维护中国企业的正当合法权益。\n"
    )
    question = "Do you have any comment?"
    en = (
        "Q: According to reports, the US government announced export controls on more Chinese companies, "
        "adding them to a list of entities that US firms may not supply without a licence.\n"
        f"{question}\nZhao Lijian: You need to ask the US side what actions they will take. We urge the US to "
        "correct its wrong practice and stop suppressing Chinese companies.\n"
    )
    assert not counterparts_of(aligned(zh, en), question) & {zh.splitlines()[1]}
