"""Families: passages and spans reused across a corpus, grouped and classified.

Three levels, so that every character is explained once: whole paragraphs (lines), then sentences
not already in a family, then spans inside the remaining sentences. Kinds:

- boilerplate: site or scraper furniture recurring across documents (whole lines);
- repeat: the same passage more than once inside one document;
- reused: a whole content passage that appears in another document;
- formula: a span reused inside otherwise different sentences across documents.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reuse.charclass import HAN_CHAR
from reuse.runtime.parallel import parallel_map, shared
from reuse.runtime.stopwatch import Stopwatch
from reuse.settings import Settings
from reuse.sketch.candidates import UnionFind, pairs_within_groups
from reuse.sketch.scanned import ScannedDocument
from reuse.sketch.shingle import Tokens, passage_shingles
from reuse.sketch.signature import fmix, signatures
from reuse.text.normalize import converter

KINDS: tuple[str, ...] = ("boilerplate", "repeat", "reused", "formula")
NEAR_SIMILARITY = 80.0
"""Token-level rapidfuzz ratio (0–100) above which two lines are one template with different slots."""
EDGE_TOP, EDGE_BOTTOM = 1, 1
"""Lines counted as a page's edge: a line repeated exactly there in every page it is on is furniture
(a slogan, a breadcrumb, a footer). Titles sit just below and are content, even when two pages share one."""
FREQUENT_SHARE, FREQUENT_CAP, SAME_PLACE = 0.3, 50, 0.8
"""A recurring open line counts as site furniture in 30% of the corpus's documents (at least 3), or in
50 documents when 80% of its copies stand on the same line of their pages."""
MAX_LSH_BUCKET = 200
MAX_SLOTS, SLOT_TOKENS, MIN_FRAME = 2, 3, 8

_TOKENS = re.compile(f"{HAN_CHAR}|[^\\s{HAN_CHAR[1:-1]}]+")
_TERMINAL = re.compile(r"[。！？!?….;；]['\"”’」』)）\]】》]*\s*$")
_COLON = re.compile(r"[:：]")
_LIST_NUMBER = re.compile(r"^0 ?")
_HAN_ONE = re.compile(HAN_CHAR)


class Member(NamedTuple):
    """Where a family occurs. A tuple: a corpus has millions, made, hashed and sorted at C speed."""

    doc: str
    passage: int
    """Index of the (first) passage (`index` in JSON)."""
    start: int
    end: int


@dataclass
class Family:
    kind: str
    level: str
    members: list[Member]
    text: str = ""
    template: str | None = None
    id: str = ""
    keys: set[str] = field(default_factory=set)

    @property
    def documents(self) -> int:
        return len({m.doc for m in self.members})

    @property
    def occurrences(self) -> int:
        return len(self.members)


@dataclass(slots=True)
class _Unit:
    doc: int
    first: int
    last: int
    start: int
    end: int
    key: str
    paragraph: int
    whole_line: bool
    headline: bool = False
    """Its page carries the same words in other dress too (see _headline)."""


def _tokens(key: str) -> list[str]:
    return _TOKENS.findall(key)


def same_template(a: str, b: str) -> bool:
    """Two lines are one template when they differ only in slots: at most MAX_SLOTS differing runs of
    at most SLOT_TOKENS tokens each (an editor's name, a place), in a frame of at least MIN_FRAME tokens."""
    ta, tb = _tokens(a), _tokens(b)
    if fuzz.ratio(ta, tb) < NEAR_SIMILARITY:
        return False
    runs = [op for op in Indel.opcodes(ta, tb) if op.tag != "equal"]
    # Indel reports a replacement as a deletion next to an insertion: merge touching edits.
    merged: list[list[int]] = []
    for op in runs:
        if merged and merged[-1][1] == op.src_start and merged[-1][3] == op.dest_start:
            merged[-1][1], merged[-1][3] = op.src_end, op.dest_end
        else:
            merged.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    frame = len(ta) - sum(e - s for s, e, _, _ in merged)
    return (
        len(merged) <= MAX_SLOTS
        and all(max(e - s, de - ds) <= SLOT_TOKENS for s, e, ds, de in merged)
        and frame >= MIN_FRAME
    )


_CHUNK = 4_000


def _unit_shingles(
    units: list[_Unit], docs: list[ScannedDocument], settings: Settings
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


def _band_keys(units: list[_Unit], docs: list[ScannedDocument], settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """One 64-bit key per LSH band of every unit (all shingles of its passages), signed chunk by chunk,
    so that no full signature matrix is held; and whether the unit has shingles at all."""
    bands, rows = settings.bands, settings.rows
    keys = np.zeros((len(units), bands), dtype=np.uint64)
    usable = np.zeros(len(units), dtype=bool)
    mix = np.uint64(0x9E3779B97F4A7C15)
    for start in range(0, len(units), _CHUNK):
        chunk = units[start : start + _CHUNK]
        hashes, owner = _unit_shingles(chunk, docs, settings)
        sig = signatures(hashes, owner, len(chunk), settings.num_perm, settings.seed)
        usable[start : start + len(chunk)] = np.bincount(owner, minlength=len(chunk)) > 0
        with np.errstate(over="ignore"):
            for band in range(bands):
                acc = np.full(len(chunk), band + 1, dtype=np.uint64)
                for row in range(band * rows, (band + 1) * rows):
                    acc = fmix(acc * mix + sig[:, row].astype(np.uint64), 64)
                keys[start : start + len(chunk), band] = acc
    return keys, usable


def _near_candidates(units: list[_Unit], docs: list[ScannedDocument], settings: Settings) -> np.ndarray:
    """Pairs of units (indexes into units) colliding in some LSH band, collected band by band."""
    keys, usable = _band_keys(units, docs, settings)
    ids = np.flatnonzero(usable)
    found = [pairs_within_groups(keys[ids, band].view(np.int64), ids, MAX_LSH_BUCKET) for band in range(settings.bands)]
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0) if pairs.size else pairs


def _groups(units: list[_Unit], docs: list[ScannedDocument], settings: Settings) -> list[list[int]]:
    """Units grouped by equal keys and by near-duplicate keys (LSH, then token-level similarity)."""
    uf = UnionFind(len(units))
    first_of_key: dict[str, int] = {}
    for i, unit in enumerate(units):
        if unit.key in first_of_key:
            uf.union(first_of_key[unit.key], i)
        else:
            first_of_key[unit.key] = i
    # Near duplicates among distinct keys only: identical lines were joined above, and a bucket of
    # thousands of copies of one line would otherwise make millions of pairs.
    reps = np.array(sorted(first_of_key.values()), dtype=np.int64)
    if reps.size > 1:
        for a, b in _near_candidates([units[i] for i in reps], docs, settings).tolist():
            i, j = int(reps[a]), int(reps[b])
            if same_template(units[i].key, units[j].key):
                uf.union(i, j)
    return uf.groups()


def _paragraph_units(doc: ScannedDocument, d: int) -> list[_Unit]:
    text = doc.normalized.text
    lows, highs = doc.range_starts.tolist(), doc.range_ends.tolist()
    starts, ends, numbers = doc.starts.tolist(), doc.ends.tolist(), doc.paragraphs.tolist()
    return [
        _Unit(
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


def _classify(
    units: list[_Unit],
    group: list[int],
    docs: list[ScannedDocument],
    paragraphs: list[int],
) -> str:
    in_docs = {units[i].doc for i in group}
    if len(in_docs) == 1:
        return "repeat"
    members = [units[i] for i in group]
    if not all(u.whole_line for u in members):
        return "reused"
    keys_by_doc: dict[int, set[str]] = defaultdict(set)
    for u in members:
        keys_by_doc[u.doc].add(u.key)
    if any(len(keys) > 1 for keys in keys_by_doc.values()):
        return "reused"  # dressed differently twice in one page: a headline (contents list and heading)
    if sum(u.headline for u in members) * 2 >= len(members):
        return "reused"
    n_docs = len(docs)
    # In most of the corpus, a recurring open line is furniture; in fewer documents (a minor site of
    # a mixed corpus) it must also stand at the same place on its pages, as headers and footers do
    # and syndicated paragraphs do not.
    common = len(in_docs) >= max(3, math.ceil(FREQUENT_SHARE * n_docs))
    frequent = len(in_docs) >= frequent_threshold(n_docs) and _same_place(members, paragraphs)
    if (common or frequent) and not any(_TERMINAL.search(docs[u.doc].text, u.start, u.end) for u in members):
        return "boilerplate"  # open-ended: no member ends a sentence
    at_edge = all(u.paragraph < EDGE_TOP or u.paragraph >= paragraphs[u.doc] - EDGE_BOTTOM for u in members)
    if at_edge and len({u.key for u in members}) == 1:
        return "boilerplate"
    return "reused"


def _same_place(members: list[_Unit], paragraphs: list[int]) -> bool:
    """Do most members stand on the same line counted from the top, or from the bottom, of their page?"""
    from_top = Counter(u.paragraph for u in members).most_common(1)[0][1]
    from_bottom = Counter(paragraphs[u.doc] - 1 - u.paragraph for u in members).most_common(1)[0][1]
    return max(from_top, from_bottom) >= SAME_PLACE * len(members)


def frequent_threshold(n_docs: int) -> int:
    """Documents a recurring line must be in to count as furniture: 30% of the corpus, at least 3, at most 50."""
    return max(3, min(math.ceil(FREQUENT_SHARE * n_docs), FREQUENT_CAP))


def _core(key: str) -> str:
    """A line's words without a leading list number: 11.国内联播快讯： and ### 国内联播快讯 share one."""
    return _LIST_NUMBER.sub("", key)


def _headline(unit: _Unit, lines: dict[int, dict[str, set[str]]]) -> bool:
    """True when the unit's page has another line with the same words in other dress (a contents entry)."""
    core = _core(unit.key)
    dresses = lines[unit.doc].get(core)
    return bool(core) and dresses is not None and (len(dresses) > 1 or unit.key not in dresses)


def _family(units: list[_Unit], group: list[int], kind: str, level: str, docs: list[ScannedDocument]) -> Family:
    members = sorted([Member(docs[u.doc].document.id, u.first, u.start, u.end) for u in map(units.__getitem__, group)])
    return Family(kind, level, members, keys={units[i].key for i in group})


def _whole_unit_families(
    units: list[_Unit],
    docs: list[ScannedDocument],
    settings: Settings,
    level: str,
) -> list[Family]:
    if not units:
        return []
    paragraphs = [doc.paragraph_count for doc in docs]
    return [
        _family(units, group, _classify(units, group, docs, paragraphs), level, docs)
        for group in _groups(units, docs, settings)
    ]


class FamilyFinder:
    """Families of a corpus, fed document by document (in id order) so that the first level's units
    are built while later documents are still being read and analysed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.docs: list[ScannedDocument] = []
        self.paragraph_units: list[_Unit] = []
        self.lines: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        """Per document, the keys of its lines by their core (a headline's dresses)."""

    def add(self, doc: ScannedDocument) -> None:
        d = len(self.docs)
        self.docs.append(doc)
        units = _paragraph_units(doc, d)
        self.paragraph_units += units
        lines = self.lines[d]
        for u in units:
            lines[_core(u.key)].add(u.key)
        for u in units:
            u.headline = _headline(u, self.lines)

    def finish(self, frequent_hashes: np.ndarray, jobs: int = 1, stopwatch: Stopwatch | None = None) -> list[Family]:
        """All the families, with ids, texts and templates.

        frequent_hashes: the sorted shingle hashes found in two documents or more.
        """
        return _find(self, frequent_hashes, jobs, stopwatch or Stopwatch())


def find_families(
    docs: list[ScannedDocument],
    settings: Settings,
    frequent_hashes: np.ndarray,
    jobs: int = 1,
    stopwatch: Stopwatch | None = None,
) -> list[Family]:
    """All families of a corpus (documents sorted by id), with ids, texts and templates."""
    finder = FamilyFinder(settings)
    for doc in docs:
        finder.add(doc)
    return finder.finish(frequent_hashes, jobs, stopwatch)


def _find(finder: FamilyFinder, frequent_hashes: np.ndarray, jobs: int, stopwatch: Stopwatch) -> list[Family]:
    docs, settings, lines, paragraph_units = finder.docs, finder.settings, finder.lines, finder.paragraph_units
    finder.paragraph_units = []
    # Level 1: whole paragraphs.
    families = _whole_unit_families(paragraph_units, docs, settings, "paragraph")
    in_family = [np.zeros(len(doc), dtype=bool) for doc in docs]
    doc_index = {doc.id: d for d, doc in enumerate(docs)}
    unit_of_member = {(docs[u.doc].id, u.start): u for u in paragraph_units}
    for family in families:
        for m in family.members:
            u = unit_of_member[(m.doc, m.start)]
            in_family[u.doc][u.first : u.last + 1] = True
    del unit_of_member, paragraph_units
    # Level 2: sentences not in a paragraph family.
    sentence_units = []
    for d, doc in enumerate(docs):
        if not len(doc):
            continue
        sizes = np.bincount(doc.paragraphs)
        alone = (sizes[doc.paragraphs] == 1).tolist()
        starts, ends, paragraphs = doc.starts.tolist(), doc.ends.tolist(), doc.paragraphs.tolist()
        for i in np.flatnonzero(~in_family[d]).tolist():
            unit = _Unit(d, i, i, starts[i], ends[i], doc.key(i), paragraphs[i], alone[i])
            unit.headline = _headline(unit, lines)
            sentence_units.append(unit)
    level2 = _whole_unit_families(sentence_units, docs, settings, "passage")
    del sentence_units, lines
    for family in level2:
        for m in family.members:
            in_family[doc_index[m.doc]][m.passage] = True
    families += level2
    stopwatch.lap("families of lines and sentences")
    # Level 3: spans inside the remaining sentences.
    families += _span_families(docs, settings, in_family, families, doc_index, frequent_hashes, jobs)
    stopwatch.lap("families of spans")
    _describe(families, docs, doc_index, settings.script)
    stopwatch.lap("family texts and templates")
    return families


def _span_families(
    docs: list[ScannedDocument],
    settings: Settings,
    in_family: list[np.ndarray],
    families: list[Family],
    doc_index: dict[str, int],
    frequent_hashes: np.ndarray,
    jobs: int,
) -> list[Family]:
    """Spans inside sentences made of shingles found in other documents, grouped by their text."""
    if frequent_hashes.size == 0:
        return []
    family_of_key = {key: f for f in families for key in f.keys}
    known = set(family_of_key)
    by_key: dict[str, list[Member]] = defaultdict(list)
    state = (docs, in_family, frequent_hashes, known, settings)
    for d, found in enumerate(parallel_map(_document_spans, range(len(docs)), jobs, state)):
        for passage, start, end, key in found:
            by_key[key].append(Member(docs[d].id, passage, start, end))
    # A span whose text is a whole-line family's key joins it (a metadata line fused with a sentence).
    out = []
    for key in sorted(by_key):
        members = sorted(set(by_key[key]))
        if key in family_of_key:
            family_of_key[key].members = sorted(family_of_key[key].members + members)
            continue
        if len({m.doc for m in members}) < 2:
            continue
        at_start = all(_starts_paragraph(docs[doc_index[m.doc]], m) for m in members)
        frequent = len({m.doc for m in members}) >= frequent_threshold(len(docs))
        out.append(Family("boilerplate" if at_start and frequent else "formula", "span", members, keys={key}))
    return out


def _document_spans(d: int) -> list[tuple[int, int, int, str]]:
    """(passage, start, end, key) of every shared span of document d outside the families so far."""
    docs, in_family, frequent_hashes, known, settings = shared()
    doc: ScannedDocument = docs[d]
    tokens, hashes, passages, firsts = doc.shingles(settings)
    # Look the document's distinct hashes up in sorted order: far fewer cache misses in a big table.
    distinct, inverse = np.unique(hashes, return_inverse=True)
    at = np.minimum(np.searchsorted(frequent_hashes, distinct), frequent_hashes.size - 1)
    mask = (frequent_hashes[at] == distinct)[inverse]
    out = []
    for passage, lo_tok, hi_tok in _chains(tokens, passages[mask], firsts[mask], settings):
        if in_family[d][passage]:
            continue
        start, end, key = _span(doc, tokens, passage, lo_tok, hi_tok, known)
        if key and end > start:
            out.append((passage, start, end, key))
    return out


def _starts_paragraph(doc: ScannedDocument, member: Member) -> bool:
    paragraph = doc.paragraphs[member.passage]
    index = int(np.searchsorted(doc.paragraphs, paragraph, side="left"))
    return doc.text[int(doc.starts[index]) : member.start].strip() == ""


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
    doc: ScannedDocument, tokens: Tokens, passage: int, first_tok: int, last_tok: int, known: set[str]
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


def _describe(families: list[Family], docs: list[ScannedDocument], doc_index: dict[str, int], script: str) -> None:
    """Representative text, template with slots, and ids in a stable order."""
    for f in families:
        texts = [docs[doc_index[m.doc]].text[m.start : m.end] for m in f.members]
        f.text = texts[0]
        f.template = _template(texts, script)
    order = {kind: i for i, kind in enumerate(KINDS)}
    families.sort(key=lambda f: (order[f.kind], -f.documents, -f.occurrences, f.text, f.members[0]))
    for number, f in enumerate(families, 1):
        f.id = f"F{number}"


def _template(texts: list[str], script: str, limit: int = 20) -> str | None:
    """The first text with the parts that differ in any other member shown as {…}; None when all agree.

    Texts are compared after script conversion, so that Traditional against Simplified is no slot.
    """
    first = texts[0]
    others = [t for t in texts[1 : limit + 1] if t != first]
    if not others:
        return None
    convert = (lambda t: t) if script == "none" else converter(script).convert
    light = convert(first)
    if len(light) != len(first):
        light = first
    slot = [False] * len(first)
    for other in others:
        for op in Indel.opcodes(light, convert(other)):
            if op.tag != "equal":
                for i in range(op.src_start, max(op.src_end, op.src_start + 1)):
                    if i < len(first):
                        slot[i] = True
    if not any(slot):
        return None
    word = [c.isalnum() and not _HAN_ONE.match(c) for c in first]
    # A slot covers whole numbers and words, and slots separated only by punctuation are one slot.
    for i in range(len(first)):
        if slot[i] and word[i]:
            j = i
            while j > 0 and word[j - 1]:
                j -= 1
                slot[j] = True
            j = i
            while j + 1 < len(first) and word[j + 1]:
                j += 1
                slot[j] = True
    filler = [not c.isalnum() for c in first]
    i = 0
    while i < len(first):
        if slot[i]:
            j = i + 1
            while j < len(first) and filler[j] and not slot[j]:
                j += 1
            if j < len(first) and slot[j]:
                for x in range(i + 1, j):
                    slot[x] = True
            i = j
        else:
            i += 1
    out, i = [], 0
    while i < len(first):
        if slot[i]:
            while i < len(first) and slot[i]:
                i += 1
            out.append("{…}")
        else:
            out.append(first[i])
            i += 1
    return "".join(out)
