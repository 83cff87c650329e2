"""Chinese passages aligned with English ones: a monotone alignment by dynamic programming over links of
1–0, 0–1, 1–1, 1–2, 2–1 and 2–2 passages, as hunalign and bleualign make them.

A link gains by what the dictionary and the anchors find on both sides (a cosine of the English terms the
Chinese passages render and those the English passages hold) and pays for lengths that a translation would
not have (a Gale–Church length model: English characters about align_length_ratio per Chinese one). A
passage left out costs nothing, so that a link is made only where its evidence outweighs its cost: what
one version leaves out stays without counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reuse.settings import Settings
from reuse.text.bilingual import Terms

SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2))
"""(Chinese passages, English passages) of the links that join; 1–0 and 0–1 leave a passage out."""


@dataclass(frozen=True)
class Link:
    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float
    """The cosine of their terms (0 to 1): how much of each side the other renders, as the dictionary sees it."""


def _matrix(rows: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), len(vocabulary)), dtype=np.float32)
    for r, terms in enumerate(rows):
        columns = [vocabulary[t] for t in terms if t in vocabulary]
        out[r, columns] = 1.0
    return out


def _pairs(matrix: np.ndarray) -> np.ndarray:
    """Each row joined with the next (the terms of two passages together)."""
    return np.maximum(matrix[:-1], matrix[1:]) if len(matrix) > 1 else matrix[:0]


def align(
    zh: list[Terms], zh_lengths: list[int], en: list[Terms], en_lengths: list[int], settings: Settings
) -> list[Link]:
    """The best monotone alignment of Chinese passages (their terms and lengths in characters) with English ones."""
    n, m = len(zh), len(en)
    if n == 0 or m == 0:
        return []
    vocabulary = {t: k for k, t in enumerate(sorted({t for e in en for t in e.terms}))}
    z1, e1 = _matrix([z.terms for z in zh], vocabulary), _matrix([e.terms for e in en], vocabulary)
    z2, e2 = _pairs(z1), _pairs(e1)
    zw = np.array([z.words for z in zh], dtype=np.float64)
    ew = e1.sum(axis=1, dtype=np.float64)
    zl, el = np.array(zh_lengths, dtype=np.float64), np.array(en_lengths, dtype=np.float64)
    sides = {
        1: (z1, zw, zl, e1, ew, el),
        2: (z2, zw[:-1] + zw[1:], zl[:-1] + zl[1:], e2, e2.sum(axis=1, dtype=np.float64), el[:-1] + el[1:]),
    }
    scores: dict[tuple[int, int], np.ndarray] = {}
    costs: dict[tuple[int, int], np.ndarray] = {}
    ratio, variance = settings.align_length_ratio, settings.align_length_variance
    base, merge = settings.align_link_cost, settings.align_merge_cost
    penalty = {(1, 1): base, (1, 2): base + merge, (2, 1): base + merge, (2, 2): base + 2 * merge}
    for a, b in SHAPES:
        zm, zwords, zlen = sides[a][:3]
        em, ewords, elen = sides[b][3:]
        shared = (zm @ em.T).astype(np.float64)
        score = shared / np.sqrt(np.maximum(zwords[:, None], 1.0) * np.maximum(ewords[None, :], 1.0))
        score = np.minimum(score, 1.0)
        delta = (elen[None, :] - ratio * zlen[:, None]) / np.sqrt(variance * (zlen[:, None] + 1.0))
        costs[(a, b)] = (
            penalty[(a, b)] + settings.align_length_weight * delta**2 / 2 - settings.align_score_weight * score
        )
        scores[(a, b)] = score
    links = _attach(_best_path(n, m, costs, scores), zh, zh_lengths, en, settings)
    return sorted(links + _reordered(links, costs[(1, 1)], scores[(1, 1)], settings), key=lambda k: (k.zh, k.en))


def _reordered(links: list[Link], cost: np.ndarray, score: np.ndarray, settings: Settings) -> list[Link]:
    """1–1 links among the passages the monotone alignment left out, where the evidence is strong
    (align_reorder_score): a story whose English puts its lead, or its captions, elsewhere. The best
    first; each passage once."""
    free_zh = np.ones(cost.shape[0], dtype=bool)
    free_en = np.ones(cost.shape[1], dtype=bool)
    for link in links:
        free_zh[list(link.zh)] = False
        free_en[list(link.en)] = False
    strong = (score >= settings.align_reorder_score) & (cost < 0) & free_zh[:, None] & free_en[None, :]
    rows, cols = np.nonzero(strong)
    order = np.lexsort((cols, rows, cost[rows, cols]))  # least cost first; ties in passage order
    out = []
    for i, j in zip(rows[order].tolist(), cols[order].tolist()):
        if free_zh[i] and free_en[j]:
            free_zh[i] = free_en[j] = False
            out.append(Link((i,), (j,), round(float(score[i, j]), 4)))
    return out


def _best_path(
    n: int, m: int, costs: dict[tuple[int, int], np.ndarray], scores: dict[tuple[int, int], np.ndarray]
) -> list[Link]:
    """The alignment of least total cost, row by row: a row's moves from earlier rows at once, then its
    0–1 moves (English passages left out) as a running minimum."""
    total = np.zeros((n + 1, m + 1), dtype=np.float64)
    move = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0: 1–0 (or the start), 1+k: SHAPES[k], -1: 0–1
    total[0] = 0.0
    move[0, 1:] = -1
    for i in range(1, n + 1):
        base = total[i - 1].copy()  # 1–0: Chinese passage i-1 left out
        choice = np.zeros(m + 1, dtype=np.int8)
        for k, (a, b) in enumerate(SHAPES):
            if i < a:
                continue
            cost = costs[(a, b)][i - a]  # over English starts j - b
            candidate = np.full(m + 1, np.inf)
            candidate[b:] = total[i - a, : m + 1 - b] + cost[: m + 1 - b]
            better = candidate < base
            base[better] = candidate[better]
            choice[better] = 1 + k
        running = np.minimum.accumulate(base)  # 0–1: English passage j-1 left out, once left of j is cheaper
        left = running < base
        total[i], move[i] = running, np.where(left, -1, choice)
    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        step = int(move[i, j]) if i > 0 else -1
        if step == -1:
            j -= 1
        elif step == 0:
            i -= 1
        else:
            a, b = SHAPES[step - 1]
            links.append(
                Link(tuple(range(i - a, i)), tuple(range(j - b, j)), round(float(scores[(a, b)][i - a, j - b]), 4))
            )
            i, j = i - a, j - b
    links.reverse()
    return links


def _attach(
    links: list[Link], zh: list[Terms], zh_lengths: list[int], en: list[Terms], settings: Settings
) -> list[Link]:
    """Links grown by the passages left out beside them that belong to them: a link of more than two passages
    on a side (three English sentences for one Chinese), a Chinese label or fragment of a few characters
    (问：, a question cut in pieces by the page's markup). An English passage joins when align_attach of its
    terms (two at least) are in the link's Chinese; a Chinese one when it shares the link's evidence
    (_chinese_joins), or, after the link, when it is a fragment of align_fragment characters; before it, a
    label joins only in front of the link or of a piece that shares its evidence."""
    taken_zh = {i for link in links for i in link.zh}
    taken_en = {j for link in links for j in link.en}
    grown = []
    for k, link in enumerate(links):
        zs, es = list(link.zh), list(link.en)
        zh_terms = frozenset().union(*(zh[i].terms for i in zs))
        en_terms = frozenset().union(*(en[j].terms for j in es))
        lo_zh = links[k - 1].zh[-1] + 1 if k else 0
        hi_zh = links[k + 1].zh[0] if k + 1 < len(links) else len(zh)
        lo_en = links[k - 1].en[-1] + 1 if k else 0
        hi_en = links[k + 1].en[0] if k + 1 < len(links) else len(en)
        while es[0] - 1 >= lo_en and es[0] - 1 not in taken_en and _english_joins(en[es[0] - 1], zh_terms, settings):
            es.insert(0, es[0] - 1)
        while es[-1] + 1 < hi_en and es[-1] + 1 not in taken_en and _english_joins(en[es[-1] + 1], zh_terms, settings):
            es.append(es[-1] + 1)
        # Before a link, what the page cut from its first passage: pieces that share its evidence or are a
        # few characters long, back to the label (问：) that opens it; short pieces alone do not join.
        before: list[int] = []
        i, sharing = zs[0] - 1, zs[0]
        while i >= lo_zh and i not in taken_zh:
            if zh[i].label:  # it opens what follows it: the link, or a piece that shares its evidence
                if zh_lengths[i] <= settings.align_fragment and sharing == i + 1:
                    before = list(range(i, zs[0]))
                break
            if zh_lengths[i] > settings.align_fragment and _chinese_joins(zh[i], zh_lengths[i], en_terms, settings):
                before, sharing = list(range(i, zs[0])), i
            elif zh_lengths[i] > settings.align_fragment:
                break
            i -= 1
        zs[:0] = before
        # After it, what continues it (not a label, which opens the next).
        while zs[-1] + 1 < hi_zh and zs[-1] + 1 not in taken_zh:
            i = zs[-1] + 1
            short = zh_lengths[i] <= settings.align_fragment and not zh[i].label
            if not (short or _chinese_joins(zh[i], zh_lengths[i], en_terms, settings)):
                break
            zs.append(i)
        taken_zh.update(zs)
        taken_en.update(es)
        grown.append(Link(tuple(zs), tuple(es), link.score))
    return grown


def _english_joins(passage: Terms, zh_terms: frozenset[str], settings: Settings) -> bool:
    shared = len(passage.terms & zh_terms)
    return shared >= 2 and shared >= settings.align_attach * len(passage.terms)


def _chinese_joins(passage: Terms, length: int, en_terms: frozenset[str], settings: Settings) -> bool:
    """A left-out Chinese passage shares a link's evidence: two terms and a quarter of its own more, or two
    for a passage of a few words."""
    shared = len(passage.terms & en_terms)
    few_words = settings.align_fragment < length <= 3 * settings.align_fragment
    return shared >= 2 + len(passage.terms) // 4 or (shared >= 2 and few_words)
