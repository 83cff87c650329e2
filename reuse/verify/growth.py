"""Links grown by the passages the alignment left out beside them that belong to them: the pieces a page cut
from a sentence, a label in front of a question, a third English sentence for one Chinese, a question's
tail. What is left out after all this stays without counterpart, on purpose: a sentence one version drops
is what an analyst looks for."""

from __future__ import annotations

from reuse.settings import Settings
from reuse.text.bilingual import Terms
from reuse.verify.links import Link, asks, opens_turn, speaker


def attach(
    links: list[Link],
    others: list[Link],
    zh: list[Terms],
    zh_lengths: list[int],
    en: list[Terms],
    settings: Settings,
) -> list[Link]:
    """`links` grown by the passages left out beside them, none taken by `others`: on each side, until
    neither grows, since what joins on one side brings evidence that may join more on the other."""
    taken_zh = {i for link in links + others for i in link.zh}
    taken_en = {j for link in links + others for j in link.en}
    grown = []
    for link in links:
        zs, es = list(link.zh), list(link.en)
        while True:
            size = len(zs) + len(es)
            _english_around(es, zs, zh, en, taken_en, settings)
            _chinese_around(zs, es, zh, zh_lengths, en, taken_zh, settings)
            if len(zs) + len(es) == size:
                break
        taken_zh.update(zs)
        taken_en.update(es)
        grown.append(Link(tuple(zs), tuple(es), link.score))
    return grown


def _english_around(
    es: list[int], zs: list[int], zh: list[Terms], en: list[Terms], taken: set[int], settings: Settings
) -> None:
    """English passages join a link when align_attach of their terms (two at least) are in its Chinese
    (three English sentences for one Chinese), or, in front of it, when they are a label (CCTV:)."""
    zh_terms = frozenset().union(*(zh[i].terms for i in zs))
    while (
        es[0] > 0
        and not opens_turn(en[es[0]])
        and es[0] - 1 not in taken
        and (en[es[0] - 1].label or _english_joins(en[es[0] - 1], zh_terms, settings))
    ):
        es.insert(0, es[0] - 1)
    while es[-1] + 1 < len(en) and es[-1] + 1 not in taken and _english_joins(en[es[-1] + 1], zh_terms, settings):
        es.append(es[-1] + 1)


def _chinese_around(
    zs: list[int],
    es: list[int],
    zh: list[Terms],
    zh_lengths: list[int],
    en: list[Terms],
    taken: set[int],
    settings: Settings,
) -> None:
    """Chinese passages join a link when they share its evidence (_chinese_joins). Before it, back to what
    opens the question: pieces of a few characters (align_fragment) and those that share, up to a label
    (问：, 中国日报记者：; of four times align_fragment at most, so that a metadata line ending in a colon
    does not), or up to a turn of the speaker the link's English opens with (答：我刚才已经发布了消息。
    before an "A:" whose Chinese the link holds after it); short pieces alone do not join. After it, what
    continues it: pieces of a few characters, not a label, which opens the next."""
    zh_terms = frozenset().union(*(zh[i].terms for i in zs))
    en_terms = frozenset().union(*(en[j].terms for j in es))
    before: list[int] = []
    i = zs[0] - 1
    while i >= 0 and i not in taken and not opens_turn(zh[zs[0]]):  # a turn (答：) starts afresh
        if zh[i].label:
            if zh_lengths[i] <= 4 * settings.align_fragment:
                before = list(range(i, zs[0]))
            break
        if opens_turn(zh[i]):
            if speaker(zh[i]) == speaker(en[es[0]]):
                before = list(range(i, zs[0]))
            break
        if zh_lengths[i] > settings.align_fragment:
            if not _chinese_joins(zh[i], zh_lengths[i], en_terms, zh_terms, settings):
                break
            before = list(range(i, zs[0]))
        i -= 1
    zs[:0] = before
    while zs[-1] + 1 < len(zh) and zs[-1] + 1 not in taken:
        i = zs[-1] + 1
        short = zh_lengths[i] <= settings.align_fragment and not zh[i].label
        if not (short or _chinese_joins(zh[i], zh_lengths[i], en_terms, zh_terms, settings)):
            break
        zs.append(i)


def _english_joins(passage: Terms, zh_terms: frozenset[str], settings: Settings) -> bool:
    shared = len(passage.terms & zh_terms)
    return shared >= 2 and shared >= settings.align_attach * len(passage.terms)


def _chinese_joins(
    passage: Terms, length: int, en_terms: frozenset[str], zh_terms: frozenset[str], settings: Settings
) -> bool:
    """A left-out Chinese passage shares a link's evidence: two terms and a quarter of its own more, or two
    for a passage of a few words; or it renders terms of the link's English that the link's Chinese does
    not, align_new_terms and a twelfth of its own at least (the part of a long question the page cut off
    and the programme left out; a paragraph of many words needs more)."""
    shared = len(passage.terms & en_terms)
    few_words = settings.align_fragment < length <= 3 * settings.align_fragment
    new = len((passage.terms & en_terms) - zh_terms)
    return (
        shared >= 2 + len(passage.terms) // 4
        or (shared >= 2 and few_words)
        or new >= max(settings.align_new_terms, len(passage.terms) // 12)
    )


def between(links: list[Link], zh: list[Terms]) -> list[Link]:
    """A question's link given the Chinese passages left out after it, up to the next link, when the English
    goes straight on to that link and none of them opens a turn (答：) or is a label: the English merged
    them into its question (a trailing 你如何理解他的言论？)."""
    taken = {i for link in links for i in link.zh}
    out = []
    for first, second in zip(links, [*links[1:], None]):
        if second is not None and second.en[0] == first.en[-1] + 1 and asks(zh[first.zh[0]]):
            gap = range(first.zh[-1] + 1, second.zh[0])
            turns = any(zh[i].label or opens_turn(zh[i]) for i in gap)
            if gap and not turns and not any(i in taken for i in gap):
                first = Link(first.zh + tuple(gap), first.en, first.score)
        out.append(first)
    return out


def english_left(
    links: list[Link],
    zh: list[Terms],
    zh_lengths: list[int],
    en: list[Terms],
    en_lengths: list[int],
    settings: Settings,
) -> list[Link]:
    """Links given the English passages left out beside them that their lengths ask for: one Chinese
    sentence the English renders in three or four ("…, according to reports." then "Do you have more
    details?"), which the alignment's links of two at most leave out. A passage joins the link before it,
    or the one after it, whose English is shorter than its Chinese asks (align_length_ratio), when it
    brings that link's length nearer: it is shorter than twice what is missing. Of the two, the one whose
    Chinese shares more of its terms, then the one missing more. A turn (Q:, A:) joins only the link it
    opens, a label none, a question only a link whose Chinese asks one too."""
    links = list(links)
    owner = {j: k for k, link in enumerate(links) for j in link.en}

    def choice(k: int, j: int) -> tuple[int, float, int]:
        link = links[k]
        missing = settings.align_length_ratio * sum(zh_lengths[i] for i in link.zh) - sum(
            en_lengths[e] for e in link.en
        )
        shared = len(en[j].terms & frozenset().union(*(zh[i].terms for i in link.zh)))
        return shared, missing, k

    for j in range(len(en)):
        if j in owner or en[j].label:
            continue
        choices = []
        if j - 1 in owner and not opens_turn(en[j]):
            choices.append(choice(owner[j - 1], j))
        if j + 1 in owner and links[owner[j + 1]].en[0] == j + 1 and not opens_turn(en[j + 1]):
            choices.append(choice(owner[j + 1], j))
        if en[j].question:  # "What is your response?" does not join the answer after it
            choices = [c for c in choices if any(zh[i].question for i in links[c[2]].zh)]
        if not choices:
            continue
        _, missing, k = max(choices)
        if en_lengths[j] < 2 * missing:
            links[k] = Link(links[k].zh, tuple(sorted(links[k].en + (j,))), links[k].score)
            owner[j] = k
    return links
