from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import reuse.text.normalize as normalize_module
from reuse.settings import Settings
from reuse.text.normalize import _block_cuts, _clauses, _hard_breaks, _Stage, converter, normalize, to_codes

GOLDEN = json.loads((Path(__file__).parent / "data" / "normalize_golden.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLDEN, ids=[c["input"][:20] or "empty" for c in GOLDEN])
def test_golden(case: dict) -> None:
    assert normalize(case["input"], Settings(**case["settings"])).text == case["output"]


# Text drawn from what readouts contain: Han in both scripts, Latin, Cyrillic, digits,
# full-width forms, punctuation, spaces, markup and characters that expand under NFKC.
ALPHABET = st.sampled_from(
    list(
        "習近平中俄關係发展支援人工智慧記憶體軟體abcXYZ ., \n\t0123456789ＡＢ１２，。：！「」…ﬁß㈱①й\u0306e\u0301<>/p&;-|"
    )
)
TEXT = st.lists(ALPHABET, max_size=80).map("".join)
ANY_SETTINGS = st.builds(
    Settings,
    script=st.sampled_from(["tw2sp", "t2s", "none"]),
    mask_digits=st.booleans(),
    casefold=st.booleans(),
    strip_markup=st.booleans(),
)


@hsettings(max_examples=300, deadline=None)
@given(TEXT, ANY_SETTINGS)
def test_offset_map_is_monotone_and_in_range(text: str, settings: Settings) -> None:
    norm = normalize(text, settings)
    n = len(norm.text)
    assert len(norm.starts) == len(norm.ends) == n
    for i in range(n):
        assert 0 <= norm.starts[i] < norm.ends[i] <= len(text)
    for i in range(1, n):
        assert norm.starts[i - 1] <= norm.starts[i]
        assert norm.ends[i - 1] <= norm.ends[i]


@hsettings(max_examples=300, deadline=None)
@given(TEXT, ANY_SETTINGS, st.data())
def test_offset_map_round_trips(text: str, settings: Settings, data: st.DataObject) -> None:
    norm = normalize(text, settings)
    n = len(norm.text)
    assert norm.to_normalized(0, len(text)) == (0, n)
    if n == 0:
        return
    a = data.draw(st.integers(0, n - 1))
    b = data.draw(st.integers(a + 1, n))
    start, end = norm.to_original(a, b)
    assert 0 <= start < end <= len(text)
    lo, hi = norm.to_normalized(start, end)
    assert lo <= a and hi >= b


@hsettings(max_examples=200, deadline=None)
@given(TEXT)
def test_normalizing_is_idempotent_on_its_output(text: str) -> None:
    settings = Settings()
    once = normalize(text, settings).text
    assert normalize(once, settings).text == once


def _identity(text: str) -> tuple[np.ndarray, np.ndarray]:
    index = np.arange(len(text), dtype=np.int64)
    return index, index + 1


@hsettings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["記憶體", "軟體", "人工智慧", "計程車", "支援", "發展", "，", " ", "。", "ab", "中國", "的"])
    )
)
def test_clauses_converted_in_one_call_as_one_by_one(words: list[str]) -> None:
    """Joining the clauses with line breaks for one OpenCC call converts each exactly as alone."""
    text = "".join(words)
    stage_text = normalize(text, Settings(script="none", mask_digits=False)).text
    assume(stage_text)
    stage = _Stage(to_codes(stage_text), *_identity(stage_text))
    bounds = _clauses(stage, _hard_breaks(to_codes(stage_text)), Settings().max_clause)
    separated = "\n".join(stage_text[lo:hi] for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    one_call = converter("tw2sp").convert(separated).split("\n")
    alone = [converter("tw2sp").convert(stage_text[lo:hi]) for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
    assert one_call == alone


@pytest.mark.parametrize(("text", "start", "end"), [("---", 0, 0), ("a---b", 1, 1), ("ab", 1, 3), ("ab", 2, 2)])
def test_to_original_refuses_an_empty_or_outside_range(text: str, start: int, end: int) -> None:
    """An empty range stands for no original characters: mapping it gave an IndexError (nothing
    normalized) or a range with start > end; the caller (a passage) decides what it stands for."""
    norm = normalize(text, Settings())
    with pytest.raises(ValueError, match=rf"normalized range {start}:{end} is empty or outside 0:{len(norm.text)}"):
        norm.to_original(start, end)


def test_to_original_maps_a_range_to_the_characters_it_stands_for() -> None:
    norm = normalize("“Xi”  met ■ Putin", Settings())
    assert norm.text == "xi met putin"
    assert norm.to_original(0, 2) == (1, 3)
    assert norm.to_original(3, 12) == (6, 17)


@hsettings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, st.text()), ANY_SETTINGS)
def test_a_pickled_normalization_is_the_same(text: str, settings: Settings) -> None:
    """Pickled as byte-sized steps and lengths where they fit, and exactly the same maps read back."""
    import pickle

    norm = normalize(text, settings)
    again = pickle.loads(pickle.dumps(norm, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.text == norm.text
    assert again.starts.dtype == norm.starts.dtype and again.ends.dtype == norm.ends.dtype
    assert np.array_equal(again.starts, norm.starts) and np.array_equal(again.ends, norm.ends)


@pytest.mark.parametrize(
    "starts, ends",
    [([], []), ([0, 1, 2], [1, 2, 3]), ([300, 301, 900], [301, 600, 1000]), ([5, 3], [6, 4])],
)
def test_pickled_maps_keep_steps_that_do_not_fit_a_byte(starts: list[int], ends: list[int]) -> None:
    import pickle

    from reuse.text.normalized import Normalized

    norm = Normalized.from_ranges("x" * len(starts), np.array(starts, dtype=np.int32), np.array(ends, dtype=np.int32))
    again = pickle.loads(pickle.dumps(norm))
    assert again.starts.tolist() == starts and again.ends.tolist() == ends
    assert again.starts.dtype == np.int32 and again.ends.dtype == np.int32


@contextmanager
def _convert_block(size: int) -> Iterator[None]:
    """Script conversion in blocks of `size` characters (a big document's path) for the duration."""
    saved = normalize_module._CONVERT_BLOCK
    normalize_module._CONVERT_BLOCK = size
    try:
        yield
    finally:
        normalize_module._CONVERT_BLOCK = saved


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text()), ANY_SETTINGS, st.integers(1, 12))
def test_offset_map_holds_when_converted_in_blocks(text: str, settings: Settings, block: int) -> None:
    """A text longer than the conversion block is converted a block at a time: its map is still monotone,
    in range, and stands for the whole text."""
    with _convert_block(block):
        norm = normalize(text, settings)
    n = len(norm.text)
    assert len(norm.starts) == len(norm.ends) == n
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts.tolist(), norm.ends.tolist()))
    assert np.all(np.diff(norm.starts) >= 0) and np.all(np.diff(norm.ends) >= 0)
    assert norm.to_normalized(0, len(text)) == (0, n)


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text()), st.integers(1, 12))
def test_conversion_blocks_cut_at_clause_breaks(text: str, block: int) -> None:
    """Blocks cover the stage in order, each at most twice the block, and an inner cut falls at the first
    clause break (a space, or punctuation or a line break in the original) past a multiple of the block,
    or right at it when the next block's worth of characters has none."""
    stage_text = normalize(text, Settings(script="none", mask_digits=False))
    assume(stage_text.text)  # an empty stage is not converted at all
    stage = _Stage(to_codes(stage_text.text), stage_text.starts, stage_text.ends)
    original = to_codes(text)
    cuts = _block_cuts(stage, original, block)
    n = len(stage_text.text)
    assert cuts[0] == 0 and cuts[-1] == n and all(a < b for a, b in itertools.pairwise(cuts))
    assert all(b - a <= 2 * block for a, b in itertools.pairwise(cuts))
    breaks = _hard_breaks(original)

    def is_break(i: int) -> bool:
        return stage_text.text[i] == " " or breaks[stage.starts[i]] > breaks[stage.ends[i - 1]]

    for a, b in itertools.pairwise(cuts[:-1]):
        target = a + block
        window = range(target, min(target + block, n))
        first = next((i for i in window if is_break(i)), target)
        assert b == first


def test_a_text_converted_in_blocks_is_converted_like_one_block() -> None:
    """Clauses whose phrases change the length, in every block: blocks give the same text and map."""
    text = "".join(f"第{i}條：記憶體與軟體，人工智慧 {i}。" for i in range(40))
    whole = normalize(text, Settings())
    with _convert_block(37):
        blocked = normalize(text, Settings())
    assert "内存" in whole.text
    assert blocked.text == whole.text
    assert np.array_equal(blocked.starts, whole.starts) and np.array_equal(blocked.ends, whole.ends)


@hsettings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=st.sampled_from(list("ab 中文0 。é"))), st.text()))
def test_collapse_spaces_against_a_loop(text: str) -> None:
    """A space is kept only as the first of its run, with a word character on each side of the run."""
    from reuse.charclass import han_mask
    from reuse.text.normalize import SPACE, _collapse_spaces

    codes = to_codes(text)
    index = np.arange(codes.size, dtype=np.int32)
    out = _collapse_spaces(_Stage(codes, index, index + 1))

    def word(i: int) -> bool:
        return codes[i] != SPACE and not han_mask(codes[i : i + 1])[0]

    kept = []
    for i in range(len(text)):
        if codes[i] != SPACE:
            kept.append(i)
        elif i == 0 or codes[i - 1] != SPACE:
            after = next((j for j in range(i, len(text)) if codes[j] != SPACE), None)
            if i > 0 and after is not None and word(i - 1) and word(after):
                kept.append(i)
    assert out.codes.tolist() == [int(codes[i]) for i in kept]
    assert out.starts.tolist() == kept and out.ends.tolist() == [i + 1 for i in kept]
