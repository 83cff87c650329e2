"""Chinese passages aligned with English ones: a monotone alignment by dynamic programming over links of
1–0, 0–1, 1–1, 1–2, 2–1 and 2–2 passages, as hunalign and bleualign make them, and 1–3 and 3–1.

A link gains by what the dictionary and the anchors find on both sides (a cosine of the English terms the
Chinese passages render and those the English passages hold) and pays for lengths that a translation would
not have (a Gale–Church length model: English characters about align_length_ratio per Chinese one). A
passage left out costs nothing, so that a link is made only where its evidence outweighs its cost: what
one version leaves out stays without counterpart.
"""

from __future__ import annotations

import numpy as np

from reuse.settings import Settings
from reuse.text.bilingual import Terms
from reuse.verify.growth import attach, between, english_left
from reuse.verify.links import Link

SHAPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
"""(Chinese passages, English passages) of the links that join; 1–0 and 0–1 leave a passage out. A long
Chinese paragraph the English renders in three sentences is one link (1–3)."""


def _matrix(rows: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), len(vocabulary)), dtype=np.float32)
    for r, terms in enumerate(rows):
        columns = [vocabulary[t] for t in terms if t in vocabulary]
        out[r, columns] = 1.0
    return out


def _runs(matrix: np.ndarray, size: int) -> np.ndarray:
    """Each row joined with the size - 1 after it (the terms of that many passages together)."""
    if len(matrix) < size:
        return matrix[:0]
    out = matrix[: len(matrix) - size + 1].copy()
    for k in range(1, size):
        np.maximum(out, matrix[k : len(matrix) - size + 1 + k], out=out)
    return out


def _sums(values: np.ndarray, size: int) -> np.ndarray:
    return np.convolve(values, np.ones(size), mode="valid") if len(values) >= size else values[:0]


def align(
    zh: list[Terms], zh_lengths: list[int], en: list[Terms], en_lengths: list[int], settings: Settings
) -> list[Link]:
    """The alignment of Chinese passages (their terms and lengths in characters) with English ones: the best
    monotone one, its one-to-one gaps filled, then the passages it left out aligned again among themselves
    and across it (_second_pass, _reordered), each link grown by the passages beside it that belong to it
    (reuse.verify.growth)."""
    n, m = len(zh), len(en)
    if n == 0 or m == 0:
        return []
    costs, scores = _costs(zh, zh_lengths, en, en_lengths, settings)
    path = _gaps(_best_path(n, m, costs, scores), zh, zh_lengths, en, en_lengths, scores, settings)
    links = attach(path, [], zh, zh_lengths, en, settings)
    links += attach(_second_pass(links, zh, zh_lengths, en, en_lengths, settings), links, zh, zh_lengths, en, settings)
    links += attach(_reordered(links, costs, scores, settings), links, zh, zh_lengths, en, settings)
    links = between(sorted(links, key=lambda k: (k.zh, k.en)), zh)
    return english_left(links, zh, zh_lengths, en, en_lengths, settings)


def _gaps(
    links: list[Link],
    zh: list[Terms],
    zh_lengths: list[int],
    en: list[Terms],
    en_lengths: list[int],
    scores: dict[tuple[int, int], np.ndarray],
    settings: Settings,
) -> list[Link]:
    """Links with a one-to-one gap between them filled, where the two passages' lengths agree within
    align_gap_deviation deviations of the length model: between a question and its answer, "What is
    your response?" and 中方对此有何评论？ share no word, but nothing else can render either. Both must
    end a sentence: the page's furniture (大 / 中 / 小 / 打印本页) has the length of a sentence too."""
    out: list[Link] = []
    for before, link in zip([None, *links], links):
        if before is not None and link.zh[0] - before.zh[-1] == 2 and link.en[0] - before.en[-1] == 2:
            i, j = before.zh[-1] + 1, before.en[-1] + 1
            deviation = abs(en_lengths[j] - settings.align_length_ratio * zh_lengths[i]) / np.sqrt(
                settings.align_length_variance * (zh_lengths[i] + 1.0)
            )
            if deviation <= settings.align_gap_deviation and zh[i].ends and en[j].ends:
                out.append(Link((i,), (j,), round(float(scores[(1, 1)][i, j]), 4)))
        out.append(link)
    return out


def _second_pass(
    links: list[Link],
    zh: list[Terms],
    zh_lengths: list[int],
    en: list[Terms],
    en_lengths: list[int],
    settings: Settings,
) -> list[Link]:
    """The passages the first alignment left out, aligned again among themselves: what one version gathers
    in another place keeps its order there (captions at the end of a story). A link is kept when its
    evidence is strong (align_reorder_score) and its passages are neighbours in their documents."""
    taken_zh = {i for link in links for i in link.zh}
    taken_en = {j for link in links for j in link.en}
    free_zh = [i for i in range(len(zh)) if i not in taken_zh]
    free_en = [j for j in range(len(en)) if j not in taken_en]
    if not free_zh or not free_en:
        return []
    costs, scores = _costs(
        [zh[i] for i in free_zh],
        [zh_lengths[i] for i in free_zh],
        [en[j] for j in free_en],
        [en_lengths[j] for j in free_en],
        settings,
    )
    out = []
    for link in _best_path(len(free_zh), len(free_en), costs, scores):
        zs, es = tuple(free_zh[i] for i in link.zh), tuple(free_en[j] for j in link.en)
        if link.score >= settings.align_reorder_score and zs[-1] - zs[0] < len(zs) and es[-1] - es[0] < len(es):
            out.append(Link(zs, es, link.score))
    return out


def _costs(
    zh: list[Terms], zh_lengths: list[int], en: list[Terms], en_lengths: list[int], settings: Settings
) -> tuple[dict[tuple[int, int], np.ndarray], dict[tuple[int, int], np.ndarray]]:
    """For each shape of link, its cost and its score at every (first Chinese, first English) passage."""
    vocabulary = {t: k for k, t in enumerate(sorted({t for e in en for t in e.terms}))}
    z1, e1 = _matrix([z.terms for z in zh], vocabulary), _matrix([e.terms for e in en], vocabulary)
    zw = np.array([z.words for z in zh], dtype=np.float64)
    zl, el = np.array(zh_lengths, dtype=np.float64), np.array(en_lengths, dtype=np.float64)
    sides = {}
    for size in {n for shape in SHAPES for n in shape}:
        em = _runs(e1, size)
        sides[size] = (
            _runs(z1, size),
            _sums(zw, size),
            _sums(zl, size),
            em,
            em.sum(axis=1, dtype=np.float64),
            _sums(el, size),
        )
    scores: dict[tuple[int, int], np.ndarray] = {}
    costs: dict[tuple[int, int], np.ndarray] = {}
    ratio, variance = settings.align_length_ratio, settings.align_length_variance
    base, merge = settings.align_link_cost, settings.align_merge_cost
    for a, b in SHAPES:
        penalty = base + (a + b - 2) * merge  # each passage beyond one a side
        zm, zwords, zlen = sides[a][:3]
        em, ewords, elen = sides[b][3:]
        shared = (zm @ em.T).astype(np.float64)
        score = shared / np.sqrt(np.maximum(zwords[:, None], 1.0) * np.maximum(ewords[None, :], 1.0))
        score = np.minimum(score, 1.0)
        delta = (elen[None, :] - ratio * zlen[:, None]) / np.sqrt(variance * (zlen[:, None] + 1.0))
        costs[(a, b)] = penalty + settings.align_length_weight * delta**2 / 2 - settings.align_score_weight * score
        scores[(a, b)] = score
    return costs, scores


def _reordered(
    links: list[Link],
    costs: dict[tuple[int, int], np.ndarray],
    scores: dict[tuple[int, int], np.ndarray],
    settings: Settings,
) -> list[Link]:
    """Links of any shape among the passages the monotone alignment left out, where the evidence is strong
    (align_reorder_score): a story whose English puts its lead, or its captions, elsewhere. The least cost
    first; each passage once."""
    free_zh = np.ones(costs[(1, 1)].shape[0], dtype=bool)
    free_en = np.ones(costs[(1, 1)].shape[1], dtype=bool)
    for link in links:
        free_zh[list(link.zh)] = False
        free_en[list(link.en)] = False
    candidates = []
    for a, b in SHAPES:
        cost, score = costs[(a, b)], scores[(a, b)]
        if cost.size == 0:
            continue
        zh_ok = np.logical_and.reduce([free_zh[k : len(free_zh) - a + 1 + k] for k in range(a)])
        en_ok = np.logical_and.reduce([free_en[k : len(free_en) - b + 1 + k] for k in range(b)])
        strong = (score >= settings.align_reorder_score) & (cost < 0) & zh_ok[:, None] & en_ok[None, :]
        for i, j in zip(*np.nonzero(strong)):
            candidates.append((float(cost[i, j]), int(i), int(j), a, b))
    out = []
    for _, i, j, a, b in sorted(candidates):  # least cost first; ties in passage order
        zs, es = range(i, i + a), range(j, j + b)
        if free_zh[list(zs)].all() and free_en[list(es)].all():
            free_zh[list(zs)] = False
            free_en[list(es)] = False
            out.append(Link(tuple(zs), tuple(es), round(float(scores[(a, b)][i, j]), 4)))
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
            if i < a or m < b:
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


def divide(
    pieces: list[Terms],
    piece_lengths: list[int],
    targets: list[Terms],
    target_lengths: list[int],
    settings: Settings,
    english_pieces: bool = False,
) -> list[range]:
    """The pieces of one side of a link (a sentence its page cut into lines: Chinese, or English when
    english_pieces) shared out among the link's passages on the other side in order, each a run of at
    least one, at least cost as links are costed: which pieces the first sentence renders, which the
    second."""
    k, m = len(pieces), len(targets)
    best = np.full((m + 1, k + 1), np.inf)
    start = np.zeros((m + 1, k + 1), dtype=np.int64)
    best[0, 0] = 0.0
    for j in range(1, m + 1):
        target, target_length = targets[j - 1], target_lengths[j - 1]
        for b in range(j, k - (m - j) + 1):
            terms: frozenset[str] = frozenset()
            words = length = 0
            for a in range(b - 1, j - 2, -1):  # the run pieces[a:b], grown backwards
                terms |= pieces[a].terms
                words += pieces[a].words
                length += piece_lengths[a]
                if best[j - 1, a] == np.inf:
                    continue
                score = min(len(terms & target.terms) / np.sqrt(max(words, 1) * max(target.words, 1)), 1.0)
                zh_length, en_length = (target_length, length) if english_pieces else (length, target_length)
                delta = (en_length - settings.align_length_ratio * zh_length) / np.sqrt(
                    settings.align_length_variance * (zh_length + 1.0)
                )
                cost = (
                    best[j - 1, a] + settings.align_length_weight * delta**2 / 2 - settings.align_score_weight * score
                )
                if cost < best[j, b]:
                    best[j, b], start[j, b] = cost, a
    runs, b = [], k
    for j in range(m, 0, -1):
        a = int(start[j, b])
        runs.append(range(a, b))
        b = a
    return runs[::-1]
