"""`align`: the Chinese and English versions of a readout, passage by passage, and what one leaves out.

One document: its Chinese passages with its English ones (a bilingual readout). Two: the Chinese passages
of one with the English passages of the other, whichever order they come in. Passages are the ones every
command reports (sentences of lines); their language is detected as everywhere (charclass.languages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reuse.errors import InputError
from reuse.load.document import Document
from reuse.settings import Settings
from reuse.sketch.prepared import PreparedDocument, prepare
from reuse.text.bilingual import Terms, chinese, english
from reuse.text.lexicon import load_lexicon
from reuse.text.segment import Passage
from reuse.verify.alignment import Link, align

MAX_PAIRS = 9_000_000
"""Pairs of passages (Chinese × English) aligned at most: the programme holds some ten numbers for each,
under a gigabyte at this bound (3,000 passages a side; a readout has tens)."""

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


def passages_of(doc: PreparedDocument, lang: str) -> list[Passage]:
    return [p for p in doc.passages() if p.lang == lang]


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
    zh_terms = [chinese(p.text, lexicon, settings.align_segmenter) for p in zh]
    en_terms = [english(p.text) for p in en]
    links = align(zh_terms, [_zh_length(p.text) for p in zh], en_terms, [len(p.text) for p in en], settings)
    return _result([d.id for d in docs], zh, en, zh_terms, en_terms, links, settings)


def _result(
    ids: list[str],
    zh: list[Passage],
    en: list[Passage],
    zh_terms: list[Terms],
    en_terms: list[Terms],
    links: list[Link],
    settings: Settings,
) -> AlignResult:
    aligned = {p: Aligned(p) for p in sorted(zh + en, key=lambda p: (ids.index(p.doc), p.index))}
    out_links = []
    for link in links:
        zs, es = tuple(zh[i] for i in link.zh), tuple(en[j] for j in link.en)
        out_links.append(AlignedLink(zs, es, link.score, _evidence(link, zh_terms, en_terms)))
        expected = settings.align_length_ratio * sum(_zh_length(p.text) for p in zs)
        ratio = sum(len(p.text) for p in es) / expected if expected else 1.0
        for mine, theirs, short in (
            (zs, es, ratio < settings.align_partial),
            (es, zs, ratio * settings.align_partial > 1),
        ):
            for p in mine:
                a = aligned[p]
                a.counterparts += [(q, link.score) for q in theirs]
                a.status = PARTIAL if short else TRANSLATED
    return AlignResult(settings, ids, list(aligned.values()), out_links)


def _evidence(link: Link, zh_terms: list[Terms], en_terms: list[Terms]) -> Evidence:
    zh_sources: dict[str, str] = {}
    for i in link.zh:
        for term, word in zh_terms[i].sources.items():
            zh_sources.setdefault(term, word)
    en_sources: dict[str, str] = {}
    for j in link.en:
        for term, word in en_terms[j].sources.items():
            en_sources.setdefault(term, word)
    shared = sorted(set(zh_sources) & set(en_sources))
    numbers = tuple(sorted({en_sources[t] for t in shared if t.startswith("#")}))
    names = tuple(sorted({zh_sources[t] for t in shared if zh_sources[t].isascii() and not t.startswith("#")}))
    pairs = {(zh_sources[t], en_sources[t]) for t in shared if not t.startswith("#") and not zh_sources[t].isascii()}
    return Evidence(tuple(sorted(pairs)), numbers, names)
