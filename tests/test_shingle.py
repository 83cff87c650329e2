from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reuse.sketch.shingle import kgram_hashes, tokenize


def token_texts(normalized: str) -> list[str]:
    t = tokenize(normalized)
    return [normalized[s:e] for s, e in zip(t.starts.tolist(), t.ends.tolist())]


def test_han_characters_are_tokens_and_words_are_tokens() -> None:
    assert token_texts("习近平同 chinese president xi 0 0普京") == [
        "习",
        "近",
        "平",
        "同",
        "chinese",
        "president",
        "xi",
        "0",
        "0",
        "普",
        "京",
    ]
    assert tokenize("ab 习c").han.tolist() == [False, True, False]


def test_kgram_count_and_equality() -> None:
    values = tokenize("中俄关系中俄关系").values
    hashes = kgram_hashes(values, 4)
    assert hashes.size == 5
    assert hashes[0] == hashes[4] and hashes[0] != hashes[1]
    assert kgram_hashes(values[:3], 4).size == 0


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["中", "俄", "关", "系", "ab", "cd", "0"]), max_size=20), st.integers(1, 5))
def test_equal_windows_hash_equal(tokens: list[str], k: int) -> None:
    text = " ".join(tokens)
    toks = token_texts(text)
    hashes = kgram_hashes(tokenize(text).values, k)
    windows = [tuple(toks[i : i + k]) for i in range(len(toks) - k + 1)]
    assert hashes.size == len(windows)
    for i in range(len(windows)):
        for j in range(len(windows)):
            if windows[i] == windows[j]:
                assert hashes[i] == hashes[j]
    # Distinct windows collide only by (rare) chance: none in these small cases.
    assert len(set(hashes.tolist())) == len(set(windows))
    assert hashes.dtype == np.uint32


def test_han_code_ranges_agree_with_the_regex() -> None:
    from reuse.charclass import HAN, han_mask
    from reuse.text.normalize import to_codes

    sample = (
        "".join(chr(c) for c in range(0x2F00, 0xFB00, 7) if not 0xD800 <= c <= 0xDFFF)
        + "\U00020000\U0003134f\U00031350abcй"
    )
    np.testing.assert_array_equal(han_mask(to_codes(sample)), [HAN.match(c) is not None for c in sample])
