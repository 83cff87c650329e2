"""A big document without line breaks: passages stay sentence-sized, offsets exact, decisions local.

No timing here: what keeps the cost linear is that every decision about a place in the text looks
only at its neighbourhood, which these tests check by comparing a whole 2 MB paragraph with its
pieces, and by cleaning such a document end to end.
"""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest

from reuse.commands.clean import apply, plan, restore
from reuse.commands.scan import scan
from reuse.kinds import BOILERPLATE, REPEAT
from reuse.load.corpus import Corpus
from reuse.load.document import from_text
from reuse.text.segment import segment_bounds, sentence_ends

from .conftest import ROOT, SEED_FILES, SEEDS

SIZE = 2_000_000
LATIN = [
    "U.S. officials met Mr. Wang in Beijing. ",
    "The talks ended on Jan. 3. (Xinhua/Rao Aimin) ",
    "He said the U.N. would help. ",
]


def seed_sentences() -> list[str]:
    """The seeds' sentences (Chinese ending in 。, and Latin lines), without line breaks."""
    sentences: list[str] = []
    for name in SEED_FILES:
        text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
        sentences += re.findall(r"[^。\n]{8,}。", text)
    return sentences


@pytest.fixture(scope="module")
def big_text() -> str:
    rng = random.Random(11)
    pool = seed_sentences() + LATIN
    pieces, size = [], 0
    while size < SIZE:
        piece = rng.choice(pool)
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def test_a_paragraph_without_breaks_is_cut_into_sentences(big_text: str) -> None:
    assert "\n" not in big_text
    starts, ends, numbers = segment_bounds(big_text)
    longest = max(len(s) for s in seed_sentences() + LATIN)
    assert len(starts) > SIZE // longest  # sentences, not one passage
    assert int((ends - starts).max()) <= longest
    assert set(numbers.tolist()) == {0}  # one paragraph
    # offsets exact: in order, trimmed, and only whitespace between passages
    assert (starts[1:] >= ends[:-1]).all() and (ends > starts).all()
    bounds = [0, *(x for pair in zip(starts.tolist(), ends.tolist()) for x in pair), len(big_text)]
    gaps = [big_text[bounds[k] : bounds[k + 1]] for k in range(0, len(bounds), 2)]
    assert all(gap.strip() == "" for gap in gaps)
    assert all(big_text[s] == big_text[s:e].strip()[0] for s, e in zip(starts[:500].tolist(), ends[:500].tolist()))


def test_sentence_ends_are_decided_locally(big_text: str) -> None:
    """The ends found in the whole paragraph are the ends found in its pieces, wherever a piece starts."""
    whole = sentence_ends(big_text)
    step = 100_000
    pieces: list[int] = []
    start = 0
    while start < len(big_text):
        # a piece ends at a sentence end of the whole, so that no decision spans two pieces
        cut = next((e for e in whole if e >= start + step), len(big_text))
        pieces += [start + e for e in sentence_ends(big_text[start:cut])]
        start = cut
    assert whole == pieces


def test_clean_a_document_without_line_breaks(big_text: str) -> None:
    text = big_text[:300_000]
    result = scan(Corpus([from_text(text, "big.txt")]))
    removals = plan(result, {BOILERPLATE, REPEAT})["big.txt"]
    assert removals  # the seeds' sentences repeat
    for r in removals:
        assert text[r.start : r.end] == r.text
    assert all(a.end <= b.start for a, b in itertools.pairwise(removals))
    assert "\n" not in "".join(r.text for r in removals)  # one line: no removal reaches past its member
    assert restore(apply(text, removals), removals) == text


def test_bounded_caches_and_chunked_signatures_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The verifier's caches are emptied past a budget and a document is signed in chunks, to bound memory on
    big documents: with budgets and chunks tiny enough to act on the seeds, every answer is the same."""
    import json as json_module

    from reuse import diff, load_document
    from reuse.load.document import from_text
    from reuse.reports.diff import to_json
    from reuse.settings import Settings
    from reuse.sketch import prepared
    from reuse.verify import verifier

    old = load_document(str(SEEDS / "001_663fe8751431e96d.txt"))
    new = load_document(str(SEEDS / "003_b1f2f82659ca7572.txt"))
    settings = Settings()
    before = json_module.dumps(to_json(diff(old, new, settings)))
    whole = prepared.prepare(from_text(old.text + new.text), settings).document_signature()
    monkeypatch.setattr(verifier, "VERIFIED_BUDGET", 500)
    monkeypatch.setattr(verifier, "INDEX_BUDGET", 300)
    monkeypatch.setattr(prepared, "_SIGNATURE_VALUES", 128 * 7)  # chunks of 7 shingles
    assert json_module.dumps(to_json(diff(old, new, settings))) == before
    chunked = prepared.prepare(from_text(old.text + new.text), settings).document_signature()
    assert chunked.tolist() == whole.tolist()


def test_blocks_change_no_token_and_no_shingle(monkeypatch: pytest.MonkeyPatch, big_text: str) -> None:
    """Tokens, owners and shingles are computed a block at a time to bound a big document's memory: with
    blocks of a few characters (cut inside words, Han runs and passages alike), every array is the same."""
    from reuse.settings import Settings
    from reuse.sketch import shingle
    from reuse.sketch.prepared import passage_ranges
    from reuse.text.normalize import normalize

    settings = Settings()
    text = (
        big_text[:20_000] + "\n" + (ROOT / "seeds" / SEED_FILES[0]).read_text(encoding="utf-8") + " ".join(LATIN * 30)
    )
    starts, ends, _ = segment_bounds(text)
    normalized = normalize(text, settings)
    lo, hi = passage_ranges(normalized, starts, ends)

    def arrays() -> list[np.ndarray]:
        tokens, hashes, owners, firsts = shingle.passage_shingles(
            normalized.text, lo, hi, settings.k_han, settings.k_word
        )
        return [tokens.starts, tokens.ends, tokens.values, tokens.han, hashes, owners, firsts]

    whole = arrays()
    assert whole[4].size > 1000
    for block in (5, 97, 4096):
        monkeypatch.setattr(shingle, "_BLOCK", block)
        for a, b in zip(whole, arrays(), strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b), block


def test_json_report_in_pieces_is_json_dumps() -> None:
    """The diff and index reports are written in pieces, never held whole: the same bytes as json.dumps with indent=2."""
    import json as json_module

    from reuse import diff, load_document
    from reuse.reports.diff import render_pieces, to_json
    from reuse.reports.json_layout import Items, indented_pieces
    from reuse.reports.markup import json_inert

    old = load_document(str(SEEDS / "001_663fe8751431e96d.txt"))
    new = load_document(str(SEEDS / "003_b1f2f82659ca7572.txt"))
    result = diff(old, new)
    expected = json_inert(json_module.dumps(to_json(result), ensure_ascii=False, indent=2)) + "\n"
    pieces = list(render_pieces(result, "json"))
    assert len(pieces) > len(result.passages) and "".join(pieces) == expected
    odd = {
        "a": Items([]),
        "b": [1.5, float("inf"), None, True, '\u2028é"', (), {}],
        "c": Items([{"d": Items(iter([1, {}]))}]),
    }
    plain = {"a": [], "b": odd["b"], "c": [{"d": [1, {}]}]}
    assert "".join(indented_pieces(odd)) == json_module.dumps(plain, ensure_ascii=False, indent=2)
