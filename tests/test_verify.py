"""Reused spans against a slow, obviously correct reference: every long common substring is found;
the range merge and the status counts that the diff and the index query share."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.kinds import BOILERPLATE, NEW, PARTIAL, REUSED
from reuse.settings import Settings
from reuse.text.segment import Passage
from reuse.verify.spans import aligned_spans, could_reuse, reused_spans, shortest_span, weight
from reuse.verify.verifier import ReportedStatus, VerifiedPassage, count_statuses, merge_ranges


def common_substrings(a: str, b: str, min_weight: int) -> list[tuple[int, int]]:
    """All maximal substrings of a that occur in b, with whole tokens at both ends, of enough weight."""
    found = []
    for i in range(len(a)):
        for j in range(len(a), i, -1):
            piece = a[i:j]
            if piece in b and weight(piece.strip()) >= min_weight:
                found.append((i, j))
                break
    return found


def is_boundary(text: str, i: int) -> bool:
    return (
        i in (0, len(text))
        or text[i - 1] == " "
        or text[i] == " "
        or "\u4e00" <= text[i] <= "\u9fff"
        or "\u4e00" <= text[i - 1] <= "\u9fff"
    )


MIN_BLOCK, SEED = Settings().min_block, Settings().max_seed
"""The alignment's defaults, as a diff uses them."""

HAN = st.lists(st.sampled_from(list("中俄关系发展合作共赢国际公平正义")), min_size=1, max_size=40).map("".join)


@hsettings(max_examples=300, deadline=None)
@given(HAN, HAN, st.integers(3, 8))
def test_every_long_common_han_substring_is_covered(a: str, b: str, min_span: int) -> None:
    spans = reused_spans(a, b, Settings(min_span=min_span, min_whole=10**6, max_gap=0))
    covered: set[int] = set()
    for s in spans:
        covered.update(range(s.start, s.end))
        assert a[s.start : s.end] == b[s.ref_start : s.ref_end]  # with no gap allowed, spans are exact
        assert weight(a[s.start : s.end]) >= min_span
    for i, j in common_substrings(a, b, min_span):
        assert set(range(i, j)) <= covered, (a, b, a[i:j])


WORDS = st.lists(
    st.sampled_from(["the", "two", "heads", "of", "state", "in", "world", "war", "0"]), min_size=1, max_size=25
).map(" ".join)


@hsettings(max_examples=300, deadline=None)
@given(WORDS, WORDS)
def test_word_spans_are_whole_words_found_in_reference(a: str, b: str) -> None:
    for s in aligned_spans(a, b, max_gap=0, min_block=MIN_BLOCK, seed=SEED):
        piece = a[s.start : s.end]
        assert piece == piece.strip() and piece
        assert is_boundary(a, s.start) and is_boundary(a, s.end)
        assert f" {piece} " in f" {b} "


def test_bridges_a_variant_character_but_not_a_different_word() -> None:
    assert [
        (s.start, s.end)
        for s in aligned_spans("外长拉伕罗夫会见", "外长拉夫罗夫会见", max_gap=2, min_block=MIN_BLOCK, seed=SEED)
    ] == [(0, 8)]
    target = "defend the victory of world war ii"
    pieces = [
        target[s.start : s.end]
        for s in aligned_spans(target, "the victory in world war ii", max_gap=2, min_block=MIN_BLOCK, seed=SEED)
    ]
    assert pieces == ["the victory", "world war ii"]  # both sides of "of"/"in", which is not bridged


def test_span_stops_where_the_reference_word_stops() -> None:
    target = "the two countries and the close"
    pieces = [
        target[s.start : s.end]
        for s in aligned_spans(
            target, "benefited the two countries and their peoples", max_gap=2, min_block=MIN_BLOCK, seed=SEED
        )
    ]
    assert "the two countries and" in pieces
    assert not any("and the" in piece for piece in pieces)  # "the" must not match the start of "their"


def test_whole_short_passage_inside_a_longer_one() -> None:
    assert reused_spans(
        "两国元首还共同会见了记者", "会谈后两国元首还共同会见了记者并", Settings(min_span=20, min_whole=6, max_gap=2)
    )
    assert not reused_spans("王毅", "王毅参加活动", Settings(min_span=20, min_whole=6, max_gap=2))


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=12))
def test_merged_ranges_cover_the_same_positions_disjoint_and_in_order(ranges: list[tuple[int, int]]) -> None:
    merged = merge_ranges(ranges)
    covered = {x for start, end in ranges for x in range(start, end)}
    assert {x for start, end in merged for x in range(start, end)} == covered
    assert all(a_end < b_start for (_, a_end), (b_start, _) in pairwise(merged))
    assert merge_ranges([(5, 8), (0, 2), (2, 3)]) == [(0, 3), (5, 8)]  # touching ranges are one run


def verified(start: int, end: int, status: ReportedStatus, spans: tuple[tuple[int, int], ...]) -> VerifiedPassage:
    passage = Passage("d", 0, start, end, "x" * (end - start), "en", 0)
    return VerifiedPassage(passage, status, 0.0, 0.0, 0, (), spans)


def test_counts_count_the_verification_statuses_and_the_reused_share() -> None:
    counts = count_statuses(
        [
            verified(0, 10, REUSED, ((0, 10),)),
            verified(10, 20, PARTIAL, ((12, 15),)),
            verified(20, 30, NEW, ()),
            verified(30, 40, BOILERPLATE, ((30, 40),)),  # raised by --against: counted in no status
        ]
    )
    assert (counts.passages, counts.new, counts.reused, counts.partial) == (4, 1, 1, 1)
    assert counts.reused_share == round(23 / 40, 4)
    assert counts.by_status() == {NEW: 1, REUSED: 1, PARTIAL: 1}
    assert count_statuses([]).reused_share == 0.0


# Texts that pack the most weight into the fewest characters (one-letter words between Han characters),
# with stretches shared between target and reference.
DENSE = st.lists(st.sampled_from(list("中国ab c0 ") + ["中a国b", "a中b", "关系"]), max_size=12).map("".join)


@hsettings(max_examples=500, deadline=None)
@given(DENSE, DENSE, DENSE, st.one_of(DENSE, st.text(max_size=20)), st.integers(1, 14), st.integers(1, 10))
def test_a_pair_that_could_reuse_nothing_has_no_span(
    shared: str, a: str, b: str, c: str, min_span: int, min_whole: int
) -> None:
    """could_reuse is a necessary condition: whenever reused_spans finds a span, it says True."""
    settings = Settings(min_span=min_span, min_whole=min_whole, max_gap=0)
    for target, reference in ((a + shared + b, c + shared + a), (shared, b + shared + c), (a + shared, c)):
        if reused_spans(target, reference, settings):
            assert could_reuse(target, reference, settings), (target, reference)


@hsettings(deadline=None)
@given(st.integers(1, 13))
def test_shortest_span_is_the_fewest_characters_of_that_weight(min_weight: int) -> None:
    """Against every text of one-letter words, Han characters and spaces up to that length."""
    import itertools

    def fewest() -> int:
        for n in itertools.count(1):
            if any(weight("".join(t)) >= min_weight for t in itertools.product("a中 ", repeat=n)):
                return n
        raise AssertionError

    assert shortest_span(min_weight) == fewest()
