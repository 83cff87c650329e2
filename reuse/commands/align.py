"""`align`: the Chinese and English versions of a readout, passage by passage, and what one leaves out.

One document: its Chinese passages with its English ones (a bilingual readout). Two: the Chinese passages
of one with the English passages of the other, whichever order they come in. Passages are the ones every
command reports (sentences of lines); their language is detected as everywhere (charclass.languages). What
is aligned are units: a passage, or the pieces of a sentence a page's markup cut into lines (units); a
link's pieces are then shared out among the passages of its other side (_paired).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reuse.errors import InputError
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument, prepare
from reuse.text.bilingual import NAME, Terms, chinese, ends_sentence, english, is_label, opens_turn, pinyin_names
from reuse.text.lexicon import load_lexicon
from reuse.text.segment import Passage
from reuse.verify.alignment import align, divide
from reuse.verify.links import Link

MAX_PAIRS = 9_000_000
"""Pairs of passages (Chinese × English) aligned at most: the programme holds some ten numbers for each,
under a gigabyte at this bound (3,000 passages a side; a readout has tens)."""

MAX_DIVIDED = 400
"""Pieces of one side of a link shared out among the other side's passages at most (divide takes time in the
square of their number); a link of more, which no page has, pairs its passages as _counterparts does."""

TRANSLATED, PARTIAL, UNTRANSLATED = "translated", "partial", "untranslated"
STATUSES: tuple[str, ...] = (TRANSLATED, PARTIAL, UNTRANSLATED)


@dataclass
class Aligned:
    passage: Passage
    status: str = UNTRANSLATED
    counterparts: list[tuple[Passage, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """What a link rests on: pairs of a Chinese word and the English word the dictionary rendered it by,
    numbers both sides carry, and Latin tokens (names, acronyms) the Chinese carries as the English does."""

    dictionary: tuple[tuple[str, str], ...]
    numbers: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class AlignedLink:
    zh: tuple[Passage, ...]
    en: tuple[Passage, ...]
    score: float
    evidence: Evidence


@dataclass
class AlignResult:
    settings: Settings
    documents: list[str]
    passages: list[Aligned]
    """Every Chinese and English passage, in document order (the first file's, then the second's)."""
    links: list[AlignedLink]

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {"documents": self.documents}
        for lang in ("zh", "en"):
            mine = [a for a in self.passages if a.passage.lang == lang]
            chars = sum(a.passage.end - a.passage.start for a in mine)
            covered = sum(a.passage.end - a.passage.start for a in mine if a.counterparts)
            out[lang] = {
                "passages": len(mine),
                **{status: sum(a.status == status for a in mine) for status in STATUSES},
                "covered": round(covered / chars, 4) if chars else 0.0,
            }
        out["links"] = len(self.links)
        return out


PIECE_WORDS = 2
"""Words at most of a passage in another language, or in none, that a page cut from the text around it."""


def passages_of(doc: PreparedDocument, lang: str) -> list[Passage]:
    """A document's passages in `lang`, with the pieces a page's markup cut from them: passages between two
    of that language that have no language of their own (a number, a quotation mark, a full stop) or are a
    word or two of another (IMF, 5G inside Chinese) belong to the text around them."""
    out: list[Passage] = []
    pending: list[Passage] | None = []  # the pieces since the last passage in `lang`; None once broken
    for p in doc.passages():
        if p.lang == lang:
            if out and pending:
                out += [replace(q, lang=lang) for q in pending]
            out.append(p)
            pending = []
        elif pending is not None and _piece(p, lang):
            pending.append(p)
        else:
            pending = None  # a passage of its own in another language: the pieces beside it are not between two
    return out


def _piece(passage: Passage, lang: str) -> bool:
    """A passage with no language of its own, or, inside Chinese, a Latin word or two."""
    latin_inside_chinese = lang == "zh" and passage.lang != "zh" and len(passage.text.split()) <= PIECE_WORDS
    return passage.lang == "other" or latin_inside_chinese


def _zh_length(text: str) -> int:
    return sum(not c.isspace() for c in text)


def align_documents(first: Document, second: Document | None, settings: Settings) -> AlignResult:
    """The alignment of a bilingual document's two versions, or of two documents' (either order)."""
    lexicon = load_lexicon()
    docs = [prepare(first, settings)] + ([prepare(second, settings)] if second is not None else [])
    if len(docs) == 1:
        zh, en = passages_of(docs[0], "zh"), passages_of(docs[0], "en")
    else:
        a_zh, b_zh = passages_of(docs[0], "zh"), passages_of(docs[1], "zh")
        a_en, b_en = passages_of(docs[0], "en"), passages_of(docs[1], "en")
        chars = sum(len(p.text) for p in a_zh) - sum(len(p.text) for p in a_en)
        chars_b = sum(len(p.text) for p in b_zh) - sum(len(p.text) for p in b_en)
        zh, en = (a_zh, b_en) if chars >= chars_b else (b_zh, a_en)
    if len(zh) * len(en) > MAX_PAIRS:
        names = " and ".join(d.id for d in docs)
        raise InputError(
            f"{names}: {len(zh):,} Chinese and {len(en):,} English passages are too many to align at once "
            f"(at most {MAX_PAIRS:,} pairs of passages): align the readout's parts one by one"
        )
    zh_units = units(zh, _zh_length, settings)
    en_units = units(en, len, settings, settings.align_length_ratio)
    spelt = pinyin_names([p.text for p in en], lexicon)
    zh_terms = [chinese("".join(p.text for p in u), lexicon, settings.align_segmenter, spelt) for u in zh_units]
    found = frozenset(t[len(NAME) :] for z in zh_terms for t in z.terms if t.startswith(NAME))
    en_terms = [english(" ".join(p.text for p in u), found) for u in en_units]
    zh_lengths = [sum(_zh_length(p.text) for p in u) for u in zh_units]
    en_lengths = [sum(len(p.text) for p in u) for u in en_units]
    links = align(zh_terms, zh_lengths, en_terms, en_lengths, settings)
    zh_pieces = {
        p: chinese(p.text, lexicon, settings.align_segmenter, spelt) for u in zh_units if len(u) > 1 for p in u
    }
    en_pieces = {p: english(p.text, found) for u in en_units if len(u) > 1 for p in u}
    sides = _Sides(
        _Side(zh_units, zh_terms, zh_lengths, _zh_length, zh_pieces),
        _Side(en_units, en_terms, en_lengths, len, en_pieces),
    )
    return _result([d.id for d in docs], sides, links, settings)


def units(
    passages: list[Passage], length: Callable[[str], int], settings: Settings, scale: float = 1.0
) -> list[tuple[Passage, ...]]:
    """Passages as the units aligned: a sentence the page's markup cut into lines (关于 / 中美经贸第一阶段协议
    / 的问题。) is one unit. A passage joins the one before it in the document when that one ends no sentence
    and is no label (问：, Q:, which growth.attach joins), this one opens no turn (答：, A:), and either that
    one opens a sentence in a few characters (align_opening_piece) or this one continues it in a few
    (align_piece) or opens in lower case (an English sentence going on). Characters are Chinese ones, times `scale` for English (align_length_ratio
    English characters a Chinese one)."""
    out: list[tuple[Passage, ...]] = []
    for p in passages:
        if out:
            before = out[-1][-1]
            opening = length(before.text) <= settings.align_opening_piece * scale
            short = opening or length(p.text) <= settings.align_piece * scale or p.text[:1].islower()
            goes_on = not (ends_sentence(before.text) or is_label(before.text)) and not opens_turn(p.text)
            if before.index + 1 == p.index and short and goes_on:
                out[-1] += (p,)
                continue
        out.append((p,))
    return out


@dataclass(frozen=True)
class _Side:
    """What was aligned of one language: its units (passages a page cut from one sentence are one), their
    terms and lengths, how a passage's length is counted, and the terms of each piece of a unit of several."""

    units: list[tuple[Passage, ...]]
    terms: list[Terms]
    lengths: list[int]
    length: Callable[[str], int]
    pieces: dict[Passage, Terms]


@dataclass(frozen=True)
class _Sides:
    zh: _Side
    en: _Side


def _result(ids: list[str], sides: _Sides, links: list[Link], settings: Settings) -> AlignResult:
    every = [p for unit in sides.zh.units + sides.en.units for p in unit]
    aligned = {p: Aligned(p) for p in sorted(every, key=lambda p: (ids.index(p.doc), p.index))}
    out_links = []
    for link in links:
        zs = tuple(p for i in link.zh for p in sides.zh.units[i])
        es = tuple(p for j in link.en for p in sides.en.units[j])
        out_links.append(AlignedLink(zs, es, link.score, _evidence(link, sides.zh.terms, sides.en.terms)))
        expected = settings.align_length_ratio * sum(sides.zh.lengths[i] for i in link.zh)
        ratio = sum(sides.en.lengths[j] for j in link.en) / expected if expected else 1.0
        for z, e in _paired(link, sides, settings):
            aligned[z].counterparts.append((e, link.score))
            aligned[z].status = PARTIAL if ratio < settings.align_partial else TRANSLATED
            aligned[e].counterparts.append((z, link.score))
            aligned[e].status = PARTIAL if ratio * settings.align_partial > 1 else TRANSLATED
    for a in aligned.values():
        a.counterparts.sort(key=lambda c: (ids.index(c[0].doc), c[0].index))
    return AlignResult(settings, ids, list(aligned.values()), out_links)


def _paired(link: Link, sides: _Sides, settings: Settings) -> list[tuple[Passage, Passage]]:
    """The (Chinese, English) passages of a link that are each other's counterparts. When one side holds a
    sentence the page cut into pieces and the other several passages, the pieces are shared out among
    them in order (_shared_out): the Chinese pieces among English sentences, or else the English pieces
    among Chinese passages. Otherwise by _counterparts."""
    zh = _shared_out(link.zh, sides.zh, link.en, sides.en, settings, english_pieces=False)
    if zh is not None:
        return zh
    en = _shared_out(link.en, sides.en, link.zh, sides.zh, settings, english_pieces=True)
    if en is not None:
        return [(z, e) for e, z in en]
    return [
        (z, e)
        for i, js in _counterparts(link.zh, link.en, sides.zh.terms, sides.en.terms).items()
        for j in js
        for z in sides.zh.units[i]
        for e in sides.en.units[j]
    ]


def _shared_out(
    mine: tuple[int, ...], side: _Side, theirs: tuple[int, ...], other: _Side, settings: Settings, english_pieces: bool
) -> list[tuple[Passage, Passage]] | None:
    """(piece, passage) pairs when one of `mine` units holds several pieces and the other side's passages
    make several targets, no more than the pieces (divide); None otherwise. The targets are the other
    side's passages, so that when it too is cut into pieces each piece gets its own share; a piece of no
    word of its own (an apostrophe, a comma) goes with the piece before it."""
    if not any(len(side.units[k]) > 1 for k in mine):
        return None
    pieces = [p for k in mine for p in side.units[k]]
    targets = _targets(theirs, other)
    if not 1 < len(targets) <= len(pieces) <= MAX_DIVIDED:
        return None
    terms = [side.pieces.get(p) or side.terms[k] for k in mine for p in side.units[k]]
    runs = divide(
        terms,
        [side.length(p.text) for p in pieces],
        [target_terms for _, target_terms, _ in targets],
        [length for _, _, length in targets],
        settings,
        english_pieces=english_pieces,
    )
    # A piece where two runs meet renders, as often as not, a word of each sentence: it goes to both when
    # it shares a term with the other's.
    shares = [list(run) for run in runs]
    for t in range(len(runs) - 1):
        last, first = runs[t][-1], runs[t + 1][0]
        if terms[last].terms & targets[t + 1][1].terms:
            shares[t + 1].insert(0, last)
        if terms[first].terms & targets[t][1].terms:
            shares[t].append(first)
    return [(pieces[n], q) for run, (group, _, _) in zip(shares, targets) for n in run for q in group]


def _targets(theirs: tuple[int, ...], other: _Side) -> list[tuple[tuple[Passage, ...], Terms, int]]:
    """The passages of `theirs` units as divide's targets, with their terms and lengths: a unit's pieces one
    by one, those with no letter, digit or character of their own joined to the one before."""
    out: list[tuple[tuple[Passage, ...], Terms, int]] = []
    for t in theirs:
        unit = other.units[t]
        if len(unit) == 1:
            out.append((unit, other.terms[t], other.lengths[t]))
            continue
        start = len(out)
        for p in unit:
            terms, length = other.pieces[p], other.length(p.text)
            if len(out) > start and not any(c.isalnum() for c in p.text):
                group, before, before_length = out[-1]
                out[-1] = (group + (p,), _joined(before, terms), before_length + length)
            else:
                out.append(((p,), terms, length))
    return out


def _joined(a: Terms, b: Terms) -> Terms:
    return Terms(a.terms | b.terms, {**b.sources, **a.sources}, a.words + b.words, a.label or b.label)


def _counterparts(
    mine: tuple[int, ...], theirs: tuple[int, ...], my_terms: list[Terms], their_terms: list[Terms]
) -> dict[int, list[int]]:
    """Each passage of one side of a link, with its counterparts on the other. In a link of several passages
    on both sides (a caption and its photographer's line, rendered as two English sentences) they are
    those it shares evidence with, or all when it shares with none; otherwise all."""
    if len(mine) < 2 or len(theirs) < 2:
        return {k: list(theirs) for k in mine}
    out = {}
    for k in mine:
        sharing = [t for t in theirs if my_terms[k].terms & their_terms[t].terms]
        out[k] = sharing or list(theirs)
    return out


def _sources(units: tuple[int, ...], terms: list[Terms]) -> dict[str, str]:
    """Term → the word that gave it, over a link's units on one side (the first unit's word wins)."""
    out: dict[str, str] = {}
    for k in units:
        for term, word in terms[k].sources.items():
            out.setdefault(term, word)
    return out


def _evidence(link: Link, zh_terms: list[Terms], en_terms: list[Terms]) -> Evidence:
    zh_sources, en_sources = _sources(link.zh, zh_terms), _sources(link.en, en_terms)
    shared = sorted(set(zh_sources) & set(en_sources))
    numbers = tuple(sorted({en_sources[t] for t in shared if t.startswith("#")}))
    latin = {zh_sources[t] for t in shared if zh_sources[t].isascii() and not t.startswith("#")}
    spelt = {f"{zh_sources[t]} {en_sources[t]}" for t in shared if t.startswith(NAME)}
    names = tuple(sorted(latin | spelt))
    pairs = {
        (zh_sources[t], en_sources[t]) for t in shared if not t.startswith(("#", NAME)) and not zh_sources[t].isascii()
    }
    return Evidence(tuple(sorted(pairs)), numbers, names)
