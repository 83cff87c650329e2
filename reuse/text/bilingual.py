"""What a Chinese or an English passage offers for alignment: its words' English terms (the dictionary's,
for Chinese), and anchors that need no dictionary: numbers, months, Latin tokens (names, acronyms) that a
Chinese text carries as they are, and names the dictionary does not hold, which English spells in pinyin
(新华社记者 刘彬 → Xinhua/Liu Bin)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reuse.charclass import HAN_CHAR
from reuse.text.lexicon import STOP_WORDS, Lexicon, english_terms, stem

_HAN_RUN = re.compile(f"{HAN_CHAR}+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_ZH_SPEAKER = re.compile(r"\s*([问問答])[：:]")
_EN_SPEAKER = re.compile(r"\s*([QA])[：:]")
_SENTENCE_END = re.compile(r"[。！？!?；;….][\"”’」』)）]*\s*$")
_QUESTION_END = re.compile(r"[？?][\"”’」』)）]*\s*$")
SPEAKER = "@"
"""Prefix of the term of a speaker's label that opens a passage, the same in both languages (问： and Q:
are "@q", 答： and A: "@a"): an exchange's turns meet even where their words do not."""


def opens_turn(text: str) -> bool:
    """Whether a passage opens a speaker's turn: 问：, 答：, Q: or A:."""
    return bool(_ZH_SPEAKER.match(text) or _EN_SPEAKER.match(text))


NAME = "~"
"""Prefix of a name's term ("~aimin"): kept apart from the stems of words, which it may spell alike."""
_MONTH_WORD = re.compile(r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r")\b")
_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_ZH_MONTH_DAY = re.compile(r"(\d{1,2})月(?:(\d{1,2})[日号])?")
_ZH_NUMERALS = {c: str(i) for i, c in enumerate("零一二三四五六七八九十", 0)} | {"两": "2"}
_ZH_COUNTED = re.compile("([一二三四五六七八九十两])(?=[个次位国年天项条点名届])")

ZH_FUNCTION_WORDS = frozenset("的了是在和与及对为把被将就也都而并等之其以于从向这那有个中上下来去说到着过")
"""Single characters whose dictionary senses are everywhere: as words of one character they are no evidence."""


@dataclass(frozen=True)
class Terms:
    """A passage's evidence: English terms (stems; numbers as "#n"), and for Chinese the word each term came from."""

    terms: frozenset[str]
    sources: dict[str, str]
    """Term → the word that gave it (a Chinese word, an English word, a number as written)."""
    words: int
    """Words that could match at all: Chinese words the dictionary knows and anchors, or English terms."""
    label: bool = False
    """It ends as a label that introduces what follows (问：)."""
    ends: bool = False
    """It ends a sentence (。, ？, "?" …): not a piece a page cut off, nor a line of its furniture."""
    question: bool = False
    """It ends in a question mark."""


def _number(text: str) -> str:
    value = text.replace(",", "").rstrip("0").rstrip(".") if "." in text else text.replace(",", "").lstrip("0")
    return "#" + (value or "0")


def pinyin_names(texts: list[str], lexicon: Lexicon) -> frozenset[str]:
    """The capitalised words of English texts that pinyin of one or two syllables spells ("Aimin", "Liu"),
    lowercased: the names a Chinese version may write in characters."""
    syllables = {r for readings in lexicon.readings.values() for r in readings}
    out = set()
    for text in texts:
        for word in _TITLE_WORD.findall(text):
            lower = word.lower()
            if lower in STOP_WORDS or lower in out:
                continue
            if lower in syllables or any(
                lower[:k] in syllables and lower[k:] in syllables for k in range(1, len(lower))
            ):
                out.add(lower)
    return frozenset(out)


def english(text: str, names: frozenset[str] = frozenset()) -> Terms:
    """The terms of an English passage: its content words' stems, its numbers (months and number words
    as numbers, so that "June 1" meets 6月1日), and those of its capitalised words that are among `names`
    (the pinyin names its Chinese counterpart may write in characters)."""
    sources: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z'-]*", text):
        for term in english_terms(word):
            sources.setdefault(term, word)
    for word in _TITLE_WORD.findall(text):
        if word.lower() in names:
            sources.setdefault(NAME + word.lower(), word)
    speaker = _EN_SPEAKER.match(text)
    if speaker:
        sources.setdefault(SPEAKER + speaker.group(1).lower(), speaker.group(0).strip())
    for number in _NUMBER.findall(text):
        sources.setdefault(_number(number), number)
    for month in _MONTH_WORD.findall(text):
        sources.setdefault(f"#{_MONTHS.index(month.lower()) + 1}", month)
    for word in _NUMBER_WORD.findall(text):
        sources.setdefault(f"#{_NUMBER_WORDS.index(word.lower()) + 1}", word)
    return _terms(sources, len(sources), text)


def segment(run: str, lexicon: Lexicon) -> list[str]:
    """A run of Chinese characters as words, by longest match on the dictionary (one character where no
    word starts)."""
    words, i, n, known, longest = [], 0, len(run), lexicon.words, lexicon.longest
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            if size == 1 or run[i : i + size] in known:
                words.append(run[i : i + size])
                i += size
                break
    return words


def chinese(text: str, lexicon: Lexicon, segmenter: str = "longest", names: frozenset[str] = frozenset()) -> Terms:
    """The terms of a Chinese passage: the English terms of its words (segmenter: "longest", longest match
    on the dictionary, or "jieba"), its numbers, the Latin tokens it carries, and `names` (pinyin, see
    pinyin_names) that one or two of its characters read as."""
    sources: dict[str, str] = {}
    known = 0
    for run in _HAN_RUN.findall(text):
        known += _names(run, lexicon, names, sources)
        for word in _jieba(run, lexicon) if segmenter == "jieba" else segment(run, lexicon):
            if len(word) == 1 and word in ZH_FUNCTION_WORDS:
                continue
            stems = lexicon.words.get(word)
            if stems:
                known += 1
                for term in stems.split(" "):
                    sources.setdefault(term, word)
    for match in _ZH_MONTH_DAY.finditer(text):
        sources.setdefault(f"#{int(match.group(1))}", match.group(0))
    for number in _NUMBER.findall(text):
        sources.setdefault(_number(number), number)
    for numeral in _ZH_COUNTED.findall(text):
        sources.setdefault(f"#{_ZH_NUMERALS[numeral]}", numeral)
    anchors = len([t for t in sources if t.startswith("#")])
    latin = 0
    for token in _LATIN.findall(text):
        for term in english_terms(token) or [stem(token.lower())]:
            sources.setdefault(term, token)
            latin += 1
    speaker = _ZH_SPEAKER.match(text)
    if speaker:
        sources.setdefault(SPEAKER + ("a" if speaker.group(1) == "答" else "q"), speaker.group(0).strip())
        anchors += 1
    return _terms(sources, known + anchors + latin, text)


def _terms(sources: dict[str, str], words: int, text: str) -> Terms:
    question = _QUESTION_END.search(text) is not None
    return Terms(frozenset(sources), sources, words, is_label(text), ends_sentence(text), question)


def ends_sentence(text: str) -> bool:
    """It ends in a full stop, a question or exclamation mark, a semicolon or an ellipsis (and closing
    quotes)."""
    return bool(_SENTENCE_END.search(text))


def is_label(text: str) -> bool:
    """It ends in a colon: it introduces what follows (问：, 中国日报记者：, CCTV:)."""
    return text.rstrip().endswith(("：", ":"))


def _names(run: str, lexicon: Lexicon, names: frozenset[str], sources: dict[str, str]) -> int:
    """Adds to sources the names among `names` that one character of the run, or two, read as; how many."""
    if not names:
        return 0
    found = 0
    readings = lexicon.readings
    for i, char in enumerate(run):
        for first in readings.get(char, ()):
            if first in names:
                found += NAME + first not in sources
                sources.setdefault(NAME + first, char)
            if i + 1 < len(run):
                for second in readings.get(run[i + 1], ()):
                    if first + second in names:
                        found += NAME + first + second not in sources
                        sources.setdefault(NAME + first + second, run[i : i + 2])
    return found


def _jieba(run: str, lexicon: Lexicon) -> list[str]:
    """jieba's words, each the dictionary does not know split again by longest match."""
    import jieba

    jieba.setLogLevel(60)  # its "Building prefix dict" notes on standard error are not ours to print
    words: list[str] = []
    for word in jieba.lcut(run, HMM=False):
        words += [word] if word in lexicon.words else segment(word, lexicon)
    return words
