"""One document through the first stages — normalize, segment, shingle — into the one form every command uses.

`prepare` turns a document into a `PreparedDocument`: its text, the normalized text with its offset
map, and one small array per passage attribute. `diff`, `scan`, `audit`, `clean`, the index and
`--against` all consume it, and results keep it, so that no document is prepared twice.

What costs memory per passage — Passage objects, key hashes, tokens, shingles, signatures — is computed
when first asked for. A diff or an index query keeps it once computed (it asks again and again); a
corpus scan cannot (about 210 KB a document, 10,000 readouts at once), so it holds its documents
`compact()`: they keep only their arrays, and compute the rest afresh in the one stage that needs it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from reuse.charclass import HAN, languages
from reuse.load.document import Document
from reuse.runtime.memory import SetAside
from reuse.settings import Settings
from reuse.sketch.candidates import sorted_unique, stable_band_keys
from reuse.sketch.keys import key_hash, passage_key
from reuse.sketch.shingle import Tokens, passage_shingles, passage_weights
from reuse.sketch.signature import signatures
from reuse.text.normalize import SPACE, converter, normalize
from reuse.text.normalized import Normalized
from reuse.text.segment import Passage, segment_bounds

T = TypeVar("T")

_BAND_PASSAGES = 1 << 14
"""Passages signed together when only their band keys are wanted (their signatures: 8 MB)."""

_SIGNATURE_VALUES = 1 << 20
"""Values of the (num_perm × shingles) array a document's signature is computed in at a time (4 MB)."""


@dataclass(frozen=True)
class Shingles:
    """A document's tokens (without their hash values, which only shingling needs) and the shingles
    of its passages: hash, passage and first token of each, grouped by passage in order."""

    tokens: Tokens
    hashes: np.ndarray
    passages: np.ndarray
    firsts: np.ndarray

    def distinct_hashes(self) -> np.ndarray:
        """The document's different shingle hashes, sorted (a corpus scan's document frequencies)."""
        return sorted_unique(self.hashes)


@dataclass(frozen=True)
class DocumentFacts:
    """What `audit` asks of every document, small enough to keep for a whole corpus."""

    text_sha256: str
    """Of the normalized text: equal for exact duplicates."""
    languages: tuple[str, ...]
    """Languages of the passages, sorted, without 'other'."""
    scripts: dict[str, int]
    """Han characters only Traditional, and only Simplified, script has."""
    signature: np.ndarray
    """MinHash of all the document's shingles (near-duplicate documents)."""


_NO_MAP = np.zeros(0, dtype=np.int32)
"""In place of an offset map that waits on disk."""


@dataclass(frozen=True, eq=False)
class PreparedDocument:
    """A document normalized, segmented and shingled; see the module's docstring for what it keeps."""

    document: Document
    settings: Settings
    normalized: Normalized
    starts: np.ndarray
    """Original start of each passage (int32); ends, paragraphs, ranges and weights alike."""
    ends: np.ndarray
    paragraphs: np.ndarray
    range_starts: np.ndarray
    """Each passage's range in the normalized text, spaces at the edges trimmed."""
    range_ends: np.ndarray
    weights: np.ndarray
    """Weight of each passage: a Han character counts 1, a word 2."""
    has_shingles: bool
    """Whether any passage has a shingle."""
    is_compact: bool = False
    """Keeps nothing computed per passage beyond the arrays above (see `compact()`)."""

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def text(self) -> str:
        return self.document.text

    def __len__(self) -> int:
        return int(self.starts.size)

    @property
    def paragraph_count(self) -> int:
        return int(self.paragraphs[-1]) + 1 if self.paragraphs.size else 0

    def size_estimate(self) -> int:
        """Bytes this preparation holds, about (its text, normalized text and arrays): what a scheduler weighs."""
        arrays = (self.starts, self.ends, self.paragraphs, self.range_starts, self.range_ends, self.weights)
        normalized = self.normalized
        return (
            sys.getsizeof(self.document.text)
            + sys.getsizeof(normalized.text)
            + normalized.starts.nbytes
            + normalized.lengths.nbytes
            + sum(a.nbytes for a in arrays)
        )

    def paragraph_bounds(self) -> list[tuple[int, int]]:
        """(first, last) passage of every paragraph, in order."""
        if not len(self):
            return []
        bounds = np.flatnonzero(np.diff(self.paragraphs)) + 1
        return list(zip(np.concatenate(([0], bounds)).tolist(), (np.append(bounds, len(self)) - 1).tolist()))

    def norm_text(self, index: int) -> str:
        return self.normalized.text[self.range_starts.item(index) : self.range_ends.item(index)]

    def key(self, index: int) -> str:
        """Exact-match key of one passage (see `passage_key`)."""
        return passage_key(
            self.normalized.text,
            self.range_starts.item(index),
            self.range_ends.item(index),
            self.document.text,
            self.starts.item(index),
            self.ends.item(index),
        )

    def key_hashes(self) -> np.ndarray:
        """key_hash of every passage's key (int64): what finds equal passages without a string for each."""
        return self._derived("_key_hashes", lambda: np.fromiter(map(key_hash, self._key_iter()), np.int64, len(self)))

    def passage(self, index: int) -> Passage:
        """One passage as an object, made afresh (a big document's verification asks for them one by one)."""
        start, end = self.starts.item(index), self.ends.item(index)
        return Passage(
            self.document.id,
            index,
            start,
            end,
            self.document.text[start:end],
            self._languages()[index],
            self.paragraphs.item(index),
        )

    def passages(self) -> list[Passage]:
        """Every passage as an object, with its language (what verification and the index report)."""
        return self._derived("_passages", self._passages)

    def shingles(self) -> Shingles:
        """Tokens and shingles of the passages, exactly as `prepare` found them."""
        return self._derived(
            "_shingles", lambda: shingle(self.normalized, self.range_starts, self.range_ends, self.settings)
        )

    def signatures(self) -> np.ndarray:
        """MinHash signature of every passage, (passages, num_perm) uint32 (a corpus scan signs only the
        distinct lines it compares instead, see group/units.py)."""
        return self._derived("_signatures", self._signatures)

    def band_keys(self) -> np.ndarray:
        """stable_band_keys of every passage's signature, (passages, bands) int64, signed a block of passages
        at a time: the whole signature matrix (512 bytes a passage) is never held, only the keys."""
        shingles, settings, n = self.shingles(), self.settings, len(self)
        out = np.empty((n, settings.bands), dtype=np.int64)
        cuts = np.searchsorted(shingles.passages, np.arange(0, n + _BAND_PASSAGES, _BAND_PASSAGES)).tolist()
        for block, lo in enumerate(range(0, n, _BAND_PASSAGES)):
            hi = min(n, lo + _BAND_PASSAGES)
            first, last = cuts[block], cuts[block + 1]
            owners = shingles.passages[first:last] - lo
            signed = signatures(shingles.hashes[first:last], owners, hi - lo, settings.num_perm, settings.seed)
            out[lo:hi] = stable_band_keys(signed, settings.bands, settings.rows)
        return out

    def passages_with_shingles(self) -> np.ndarray:
        """Whether each passage has a shingle: only they have a meaningful signature."""
        found = np.zeros(len(self), dtype=bool)
        found[self.shingles().passages] = True  # not bincount, which copies the passages as int64
        return found

    @contextmanager
    def offset_map_on_disk(self) -> Iterator[None]:
        """While inside, the normalized text's offset map (5 bytes a character: a big document's biggest
        array) waits in a temporary file, and nothing that maps offsets may be asked of this document: a
        diff prepares NEW while OLD waits."""
        held = self.normalized
        aside = SetAside([held.starts, held.lengths])
        object.__setattr__(self, "normalized", dataclasses.replace(held, starts=_NO_MAP, lengths=_NO_MAP))
        del held
        try:
            yield
        finally:
            starts, lengths = aside.back()
            object.__setattr__(self, "normalized", dataclasses.replace(self.normalized, starts=starts, lengths=lengths))

    def shed(self, *names: str) -> None:
        """Forget what was computed under these names ("_shingles", "_signatures", ...): asked for again,
        it is computed again. What holds a big document's arrays lets them go once done with them."""
        for name in names:
            self.__dict__.pop(name, None)

    def document_signature(self, prefix: int | None = None) -> np.ndarray:
        """MinHash of all the document's shingles (its facts' when computed, compact or not). prefix: its
        first values only, at that share of the cost (what finds candidate near-duplicate documents)."""
        if prefix is None and "_facts" in self.__dict__:
            return self.__dict__["_facts"].signature  # type: ignore[no-any-return]
        hashes = self.shingles().hashes
        num_perm, seed = self.settings.num_perm, self.settings.seed
        # In chunks, the minimum of their minima: signing all at once as one group would hold a
        # (num_perm × shingles) array, 512 bytes a character of a big document.
        chunk = max(1, _SIGNATURE_VALUES // num_perm)
        one_group = np.zeros(min(hashes.size, chunk), dtype=np.int64)
        signature = signatures(hashes[:chunk], one_group, 1, num_perm, seed, prefix)[0]
        for start in range(chunk, hashes.size, chunk):
            part = hashes[start : start + chunk]
            np.minimum(signature, signatures(part, one_group[: part.size], 1, num_perm, seed, prefix)[0], out=signature)
        return signature

    def facts(self) -> DocumentFacts:
        """What `audit` asks of the document; computed once and kept, compact or not (a few hundred bytes)."""
        facts = self.__dict__.get("_facts")
        if facts is None:
            found = languages(self.document.text, self.starts, self.ends)
            facts = DocumentFacts(
                text_sha256=hashlib.sha256(self.normalized.text.encode("utf-8")).hexdigest(),
                languages=tuple(sorted(set(found) - {"other"})),
                scripts=script_counts(self.document.text),
                signature=self.document_signature(),
            )
            self.__dict__["_facts"] = facts
        return facts

    def original_range(self, index: int, start: int, end: int) -> tuple[int, int]:
        """The range of the original text, inside passage `index`, that its normalized text [start:end] stands for.

        A passage with no normalized text (---, ■, a lone combining mark) matches on its shape
        (fallback_key) only, and so whole. A normalized character can stand for more than its passage:
        script conversion rewrites a phrase cut by a block tag as one (記憶<br>體 → 内存, whose two
        characters both stand for all of 記憶<br>體), so the range is cut to the passage.
        """
        lo, hi = self.range_starts.item(index), self.range_ends.item(index)
        p_start, p_end = self.starts.item(index), self.ends.item(index)
        if lo == hi:
            return p_start, p_end
        first, last = self.normalized.to_original(lo + start, lo + end)
        return max(first, p_start), min(last, p_end)

    def compact(self, document: Document | None = None) -> PreparedDocument:
        """The same preparation holding only its arrays (and its facts, when computed): what a corpus scan
        keeps of each document. What it computes later per passage is computed afresh, not kept.

        document: another copy of the document to stand for (a worker sends a placeholder back in place
        of a text the parent has).
        """
        kept = {name: value for name, value in self._cached().items() if name == "_facts"}
        return self._copy(kept, document=self.document if document is None else document, is_compact=True)

    def expanded(self) -> PreparedDocument:
        """The same preparation keeping what it computes (an index query of a scanned document asks for
        its passages, keys and signatures more than once); a document that keeps them already is itself."""
        return self._copy(self._cached(), is_compact=False) if self.is_compact else self

    def with_document(self, document: Document) -> PreparedDocument:
        """The same preparation, and all it has computed, standing for another copy of its document."""
        return self._copy(self._cached(), document=document)

    def _cached(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name.startswith("_")}

    def _copy(self, cached: dict[str, Any], **fields: Any) -> PreparedDocument:
        # dataclasses.replace alone would drop what was computed and kept, which lives beside the fields.
        other = dataclasses.replace(self, **fields)
        other.__dict__.update(cached)
        return other

    def _derived(self, name: str, compute: Callable[[], T]) -> T:
        value: T | None = self.__dict__.get(name)
        if value is None:
            value = compute()
            if not self.is_compact:
                self.__dict__[name] = value  # frozen fields stay frozen; this is a cache beside them
        return value

    def _key_iter(self) -> Iterator[str]:
        normalized, text = self.normalized.text, self.document.text
        for lo, hi, start, end in zip(
            self.range_starts.tolist(), self.range_ends.tolist(), self.starts.tolist(), self.ends.tolist()
        ):
            yield passage_key(normalized, lo, hi, text, start, end)

    def _languages(self) -> list[str]:
        """Language of every passage (a list of shared strings: a pointer a passage)."""
        return self._derived("_langs", lambda: languages(self.document.text, self.starts, self.ends))

    def _passages(self) -> list[Passage]:
        doc_id, text = self.document.id, self.document.text
        return [
            Passage(doc_id, i, start, end, text[start:end], lang, number)
            for i, (start, end, number, lang) in enumerate(
                zip(self.starts.tolist(), self.ends.tolist(), self.paragraphs.tolist(), self._languages())
            )
        ]

    def _signatures(self) -> np.ndarray:
        shingles = self.shingles()
        return signatures(shingles.hashes, shingles.passages, len(self), self.settings.num_perm, self.settings.seed)


def passage_ranges(normalized: Normalized, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each passage's range in the normalized text (int32), spaces at the edges trimmed."""
    lo = np.searchsorted(normalized.starts, starts, side="left").astype(np.int32)
    hi = np.searchsorted(normalized.starts, ends, side="left").astype(np.int32)
    if lo.size == 0 or not normalized.text:
        return lo, hi
    space = np.frombuffer(normalized.text.encode("utf-32-le"), dtype="<u4") == SPACE
    space = np.append(space, False)  # a sentinel, so that lo == len(text) can be looked up
    while True:
        move = (lo < hi) & space[lo]
        if not move.any():
            break
        lo += move
    while True:
        move = (hi > lo) & space[np.maximum(hi - 1, 0)]
        if not move.any():
            break
        hi -= move
    return lo, hi


def shingle(normalized: Normalized, range_starts: np.ndarray, range_ends: np.ndarray, settings: Settings) -> Shingles:
    tokens, hashes, owners, firsts = passage_shingles(
        normalized.text, range_starts, range_ends, settings.k_han, settings.k_word
    )
    return Shingles(tokens.without_values(), hashes, owners, firsts)


def script_counts(text: str) -> dict[str, int]:
    """Han characters that exist only in Traditional, and only in Simplified script."""
    # Counted per distinct character: a list of every Han character would cost ~80 bytes a character.
    found = {c: n for c, n in Counter(text).items() if HAN.match(c)}
    chars = sorted(found)
    counts = {"traditional": 0, "simplified": 0}
    if not chars:
        return counts
    joined = "".join(chars)
    to_simplified = converter("t2s").convert(joined)
    to_traditional = converter("s2t").convert(joined)
    trad = {c for c, s in zip(chars, to_simplified) if s != c} if len(to_simplified) == len(chars) else set()
    simp = {c for c, t in zip(chars, to_traditional) if t != c} if len(to_traditional) == len(chars) else set()
    for c, n in found.items():
        if c in trad:
            counts["traditional"] += n
        elif c in simp:
            counts["simplified"] += n
    return counts


def prepare(document: Document, settings: Settings) -> PreparedDocument:
    """The document normalized, segmented and shingled with these settings. Its shingles (computed to
    weigh its passages) are kept; `compact()` sheds them."""
    starts, ends, paragraphs = segment_bounds(document.text, settings.unit)
    normalized = normalize(document.text, settings)
    range_starts, range_ends = passage_ranges(normalized, starts, ends)
    shingles = shingle(normalized, range_starts, range_ends, settings)
    prepared = PreparedDocument(
        document=document,
        settings=settings,
        normalized=normalized,
        starts=starts.astype(np.int32),
        ends=ends.astype(np.int32),
        paragraphs=paragraphs.astype(np.int32),
        range_starts=range_starts,
        range_ends=range_ends,
        weights=passage_weights(shingles.tokens, range_starts, range_ends).astype(np.int32),
        has_shingles=shingles.hashes.size > 0,
    )
    prepared.__dict__["_shingles"] = shingles
    return prepared
