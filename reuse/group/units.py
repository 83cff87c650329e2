"""The units a family is made of — whole lines, then sentences — and their sketches (MinHash, LSH buckets).

A unit is one line (paragraph) or one sentence of a document; units with equal keys, or whose LSH
bands collide and whose texts verify as one template, become a family.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from reuse.group.endings import SENTENCE, line_ending
from reuse.load.structure import mostly_covered
from reuse.settings import Settings
from reuse.sketch.candidates import pairs_within_groups, stable_band_keys
from reuse.sketch.prepared import PreparedDocument
from reuse.sketch.shingle import passage_shingles
from reuse.sketch.signature import signatures

_CHUNK = 4_000
"""Units signed at once: bounds the signature matrix held in memory (each unit's signature is the
same whatever the chunk, so this changes memory, never output)."""

Lines = dict[int, dict[str, set[str]]]
"""Per document (its index), the keys of its lines by their core: a headline's dresses."""


@dataclass(slots=True)
class Unit:
    doc: int
    """Index of the document in the corpus (sorted by id)."""
    first: int
    last: int
    """First and last passage of the unit (equal for a sentence)."""
    start: int
    end: int
    key: str
    paragraph: int
    whole_line: bool
    headline: bool = False
    """Its page carries the same words in other dress too (see is_headline)."""
    inside: bool = False
    outside: bool = False
    """Its page's structure puts the line inside, or outside, the main content (neither: nothing known)."""
    amid: bool = False
    """The lines before and after it on its page are content: long, and each ends a sentence."""


def new_lines() -> Lines:
    return defaultdict(lambda: defaultdict(set))


def line_core(key: str) -> str:
    """A line's words without a leading list number: 11.国内联播快讯： and ### 国内联播快讯 share one."""
    if key[:1] != "0":  # a string test, not a regular expression: this runs for every line of a corpus
        return key
    return key[2:] if key[1:2] == " " else key[1:]


def is_headline(unit: Unit, lines: Lines) -> bool:
    """True when the unit's page has another line with the same words in other dress (a contents entry)."""
    core = line_core(unit.key)
    dresses = lines[unit.doc].get(core)
    return bool(core) and dresses is not None and (len(dresses) > 1 or unit.key not in dresses)


def paragraph_units(doc: PreparedDocument, d: int) -> list[Unit]:
    """The whole lines of document d, one unit each, placed by its page's structure when it is known."""
    text = doc.normalized.text
    lows, highs = doc.range_starts.tolist(), doc.range_ends.tolist()
    starts, ends, numbers = doc.starts.tolist(), doc.ends.tolist(), doc.paragraphs.tolist()
    units = [
        Unit(
            d,
            first,
            last,
            starts[first],
            ends[last],
            text[lows[first] : highs[last]] or doc.key(first),
            numbers[first],
            True,
        )
        for first, last in doc.paragraph_bounds()
    ]
    main = doc.document.main
    if main is not None:
        for u, inside in zip(units, mostly_covered([(u.start, u.end) for u in units], main)):
            u.inside, u.outside = inside, not inside
    longest, source = doc.settings.context_max_chars, doc.text
    # How a line ends is in its last characters: a window, not a search through the whole line.
    content = [
        u.end - u.start > longest and line_ending(source, max(u.start, u.end - _TAIL), u.end) == SENTENCE for u in units
    ]
    for k in range(1, len(units) - 1):
        units[k].amid = content[k - 1] and content[k + 1]
    return units


_TAIL = 16
"""Characters at a line's end that say how it ends (the mark, closing quotes and brackets, spaces)."""


def sentence_units(docs: list[PreparedDocument], in_family: list[np.ndarray], lines: Lines) -> list[Unit]:
    """The sentences not yet in a family, one unit each; a sentence alone on its line counts as a whole line."""
    units = []
    for d, doc in enumerate(docs):
        if not len(doc):
            continue
        sizes = np.bincount(doc.paragraphs)
        alone = (sizes[doc.paragraphs] == 1).tolist()
        starts, ends, paragraphs = doc.starts.tolist(), doc.ends.tolist(), doc.paragraphs.tolist()
        for i in np.flatnonzero(~in_family[d]).tolist():
            unit = Unit(d, i, i, starts[i], ends[i], doc.key(i), paragraphs[i], alone[i])
            unit.headline = is_headline(unit, lines)
            units.append(unit)
    return units


def _unit_shingles(
    units: list[Unit], docs: list[PreparedDocument], settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of each unit's passages and the unit (index into units) each belongs to.

    The passages' normalized texts are joined with spaces and tokenized at once; a shingle never spans
    two passages, so this gives exactly the shingles each passage has in its document.
    """
    pieces: list[str] = []
    owners: list[int] = []
    for n, u in enumerate(units):
        doc = docs[u.doc]
        for i in range(u.first, u.last + 1):
            lo, hi = int(doc.range_starts[i]), int(doc.range_ends[i])
            if hi > lo:
                pieces.append(doc.normalized.text[lo:hi])
                owners.append(n)
    if not pieces:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    _, hashes, segments, _ = passage_shingles(
        " ".join(pieces), starts, starts + lengths, settings.k_han, settings.k_word
    )
    return hashes, np.asarray(owners, dtype=np.int64)[segments]


def unit_band_keys(
    units: list[Unit], docs: list[PreparedDocument], settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """One 64-bit key per LSH band of every unit (all shingles of its passages), signed chunk by chunk,
    so that no full signature matrix is held; and whether the unit has shingles at all."""
    keys = np.zeros((len(units), settings.bands), dtype=np.int64)
    usable = np.zeros(len(units), dtype=bool)
    for start in range(0, len(units), _CHUNK):
        chunk = units[start : start + _CHUNK]
        hashes, owner = _unit_shingles(chunk, docs, settings)
        sig = signatures(hashes, owner, len(chunk), settings.num_perm, settings.seed)
        usable[start : start + len(chunk)] = np.bincount(owner, minlength=len(chunk)) > 0
        keys[start : start + len(chunk)] = stable_band_keys(sig, settings.bands, settings.rows)
    return keys, usable


def near_candidates(units: list[Unit], docs: list[PreparedDocument], settings: Settings) -> np.ndarray:
    """Pairs of units (indexes into units) colliding in some LSH band, collected band by band."""
    keys, usable = unit_band_keys(units, docs, settings)
    ids = np.flatnonzero(usable)
    found = [pairs_within_groups(keys[ids, band], ids, settings.max_lsh_bucket) for band in range(settings.bands)]
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0) if pairs.size else pairs
