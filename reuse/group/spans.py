"""Formula spans: runs of shingles shared with other documents inside sentences no family holds whole.

A chain of overlapping shingles found in two documents or more, heavy enough (`min_span`), is cut
back to the sentence it stands in and keyed by its normalized text; spans with equal keys across
documents become a family (see families.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from reuse.group.endings import LABEL
from reuse.load.structure import share_inside
from reuse.runtime.parallel import parallel_map, shared
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument
from reuse.sketch.shingle import Tokens

_COLON = re.compile(r"[:：]")

Span = tuple[int, int, int, str]
"""(passage, start, end, key): offsets in the original text, key the normalized text."""


def document_spans(
    docs: list[PreparedDocument],
    settings: Settings,
    in_family: list[np.ndarray],
    frequent_hashes: np.ndarray,
    known: set[str],
    jobs: int,
) -> Iterator[list[Span]]:
    """Per document, in order, the shared spans of its passages outside the families so far.

    in_family: per document, which passages a family already holds; frequent_hashes: the sorted shingle
    hashes found in two documents or more; known: the keys of the families so far (a span equal to one
    keeps its whole extent, to join that family).
    """
    state = (docs, in_family, frequent_hashes, known, settings)
    return parallel_map(_spans_of, range(len(docs)), jobs, state)


def opens_paragraph(doc: PreparedDocument, passage: int, start: int, end: int) -> bool:
    """Does the span [start, end) of `passage` open its paragraph as furniture fused into it would (a
    dateline): nothing but space before it in the paragraph, and not a label introducing the main
    content of a page whose structure is known (问：, Q: fused with the question they introduce)?"""
    paragraph = doc.paragraphs[passage]
    index = int(np.searchsorted(doc.paragraphs, paragraph, side="left"))
    if doc.text[int(doc.starts[index]) : start].strip():
        return False
    main = doc.document.main
    return main is None or LABEL.search(doc.text, start, end) is None or share_inside(main, start, end) * 2 <= 1


def _spans_of(d: int) -> list[Span]:
    docs, in_family, frequent_hashes, known, settings = shared()
    return spans_of_document(docs[d], in_family[d], frequent_hashes, known, settings)


def spans_of_document(
    doc: PreparedDocument, in_family: np.ndarray, frequent_hashes: np.ndarray, known: set[str], settings: Settings
) -> list[Span]:
    """(passage, start, end, key) of every shared span of a document outside the families so far
    (in_family: which of its passages a family holds)."""
    if frequent_hashes.size == 0:
        return []
    shingles = doc.shingles()  # a scan's documents are compact: computed here, not kept
    tokens, hashes, passages, firsts = shingles.tokens, shingles.hashes, shingles.passages, shingles.firsts
    # Look the document's distinct hashes up in sorted order: far fewer cache misses in a big table.
    distinct, inverse = np.unique(hashes, return_inverse=True)
    at = np.minimum(np.searchsorted(frequent_hashes, distinct), frequent_hashes.size - 1)
    mask = (frequent_hashes[at] == distinct)[inverse]
    out: list[Span] = []
    for passage, lo_tok, hi_tok in _chains(tokens, passages[mask], firsts[mask], settings):
        if in_family[passage]:
            continue
        start, end, key = _span(doc, tokens, passage, lo_tok, hi_tok, known)
        if key and end > start:
            out.append((passage, start, end, key))
    return out


def _chains(tokens: Tokens, passages: np.ndarray, firsts: np.ndarray, settings: Settings) -> list[tuple[int, int, int]]:
    """(passage, first token, last token) of each chain of overlapping shared shingles heavy enough to count."""
    if passages.size == 0:
        return []
    order = np.lexsort((firsts, passages))
    passages, firsts = passages[order], firsts[order]
    lasts = firsts + np.where(tokens.han[firsts], settings.k_han, settings.k_word) - 1
    starts = np.flatnonzero(np.concatenate(([True], (np.diff(passages) != 0) | (np.diff(firsts) != 1))))
    chain_last = np.maximum.reduceat(lasts, starts)
    chain_first = firsts[starts]
    weights = np.concatenate(([0], np.cumsum(tokens.weights)))
    heavy = weights[chain_last + 1] - weights[chain_first] >= settings.min_span
    return list(
        zip(passages[starts][heavy].tolist(), chain_first[heavy].tolist(), chain_last[heavy].tolist(), strict=True)
    )


def _span(
    doc: PreparedDocument, tokens: Tokens, passage: int, first_tok: int, last_tok: int, known: set[str]
) -> tuple[int, int, str]:
    """Original offsets and normalized key of the span covering tokens first..last of a passage."""
    lo, hi = int(tokens.starts[first_tok]), int(tokens.ends[last_tok])
    start, end = doc.normalized.to_original(lo, hi)
    p_start, p_end = int(doc.starts[passage]), int(doc.ends[passage])
    start, end = max(start, p_start), min(end, p_end)
    text = doc.text
    original = text[start:end]
    # Furniture fused into a sentence ends at its colon (央视网消息（新闻联播）：): cut there when the
    # span starts its paragraph, so that a slot after the colon (a date) stays content.
    colon = _COLON.search(original)
    key = doc.normalized.text[lo:hi].strip()
    if key in known:
        return start, end, key
    if colon and text[p_start:start].strip() == "" and colon.end() < len(original):
        end = start + colon.end()
        lo, hi = doc.normalized.to_normalized(start, end)
    return start, end, doc.normalized.text[lo:hi].strip()
