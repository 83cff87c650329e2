"""Loading: a document is an id, its text as the user gave it, and where it came from."""

from __future__ import annotations

import codecs
import functools
import itertools
import os
import re
import stat
import sys
import time
import unicodedata
from dataclasses import dataclass, replace

from reuse.charclass import HAN
from reuse.errors import InputError
from reuse.runtime.output import shown
from reuse.runtime.urls import is_url


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    source: str
    encoding: str = "utf-8"
    relpath: str = ""
    """Path relative to the input it was named by (inside a directory, or the file's name): where a cleaned copy goes."""
    path: str = ""
    """The file it was read from ('' for standard input or text given directly)."""
    bom: bytes = b""
    """The byte order mark the file began with, which decoding left out of text (b'' when none)."""
    extracted: bool = False
    """text was extracted from an HTML page (markup dropped, entities decoded): it is not the file's text."""
    main: tuple[tuple[int, int], ...] | None = None
    """Of a page's text, the ranges its structure shows to be main content (load.structure); None when
    nothing is known of it (plain text)."""


# Encodings tried on bytes that are not UTF-8, besides those charset-normalizer proposes, in order of
# preference: when two read the bytes as the same text, the first is reported. Readouts come in these.
CANDIDATES = (
    "gb18030",
    "big5",
    "cp1252",
    "cp1251",
    "koi8_r",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "latin_1",
    "cp1250",
    "utf_16_le",
    "utf_16_be",
    "utf_32_le",
    "utf_32_be",
)
# Relatives of CANDIDATES that charset-normalizer may propose; anything else it proposes is more likely a
# misdetection (and widens the chance of random bytes passing for text).
RELATIVES = ("big5hkscs", "cp950", "cp949", "iso8859_5", "koi8_u", "cp866", "mac_cyrillic", "iso8859_2", "iso8859_15")
# The reading chosen must score at least this (see plausibility): binary and random bytes score far below.
PLAUSIBLE = 0.9
# Detection scores a prefix of the text: enough to judge, cheap on big files.
_SAMPLE_BYTES = 1 << 16

# Labels pages declare that name a subset of what is really used: read them as the superset (as browsers do).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "iso8859-1": "cp1252", "ascii": "cp1252"}
_LABEL_ALIASES = {"x-gbk": "gbk", "x-sjis": "shift_jis", "windows-31j": "cp932", "x-cp1251": "cp1251"}
_DECLARED = (
    re.compile(rb"\A\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE),
    re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE),
)


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: the given encoding, else a BOM, else UTF-8, else the charset a page declares,
    else the most plausible of the detected encodings. Returns the text and the encoding used."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        return _decode_as(data, name, encoding, hint=False), codecs.lookup(encoding).name
    for bom, bom_encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_as(data, name, bom_encoding, hint=True), bom_encoding.removesuffix("-sig")
    if b"\x00" in data:  # binary, unless it is UTF-16 or UTF-32 written without a BOM
        detected = _detect(data)
        if detected is None or "\x00" in detected[0]:
            raise InputError(f"{name}: binary file (NUL byte at byte {data.index(0)}), not text")
        return detected
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        detected = _declared(data) or _detect(data)
        if detected is None:
            raise InputError(
                f"{name}: cannot decode byte {err.start} as utf-8 ({err.reason}) and no other encoding fits; "
                "pass --encoding"
            ) from None
        return detected
    return text, "utf-8"


def _decode_as(data: bytes, name: str, encoding: str, hint: bool) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        suffix = "; pass --encoding if the file is not UTF-8" if hint else ""
        raise InputError(f"{name}: cannot decode byte {err.start} as {encoding} ({err.reason}){suffix}") from None
    return text.removeprefix("\ufeff")


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML or XML page declares in its first bytes (<?xml encoding>, <meta charset>), if any."""
    head = data[:4096]
    if not head.lstrip().startswith(b"<"):
        return None
    for pattern in _DECLARED:
        found = pattern.search(head)
        if found:
            return found.group(1).decode("ascii").lower()
    return None


def _declared(data: bytes) -> tuple[str, str] | None:
    """The page read in the charset it declares (or that charset's superset), when that reading is plausible.

    Only asked of bytes that are not UTF-8: a page that is valid UTF-8 is UTF-8 whatever it says, since
    pages converted to UTF-8 often keep their old declaration.
    """
    label = declared_encoding(data)
    if label is None:
        return None
    try:
        declared = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    if declared.startswith(("utf-16", "utf-32")):  # a declaration in ASCII bytes cannot be true (WHATWG)
        return None
    for candidate in dict.fromkeys([_SUPERSETS.get(declared, declared), declared]):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if plausibility(text[:_SAMPLE_BYTES]) >= PLAUSIBLE:
            return text, codecs.lookup(candidate).name
    return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """The most plausible reading among charset-normalizer's proposals and CANDIDATES, if plausible enough."""
    from charset_normalizer import from_bytes

    proposed = {codecs.lookup(e).name for match in from_bytes(data) for e in match.could_be_from_charset}
    relatives = [e for e in RELATIVES if codecs.lookup(e).name in proposed]
    names = list(dict.fromkeys(codecs.lookup(e).name for e in [*CANDIDATES, *relatives]))
    sample = data[:_SAMPLE_BYTES]
    readings: dict[str, str] = {}  # sample text -> first encoding (in preference order) that reads it so
    for encoding in names:
        try:
            text = codecs.getincrementaldecoder(encoding)(errors="strict").decode(
                sample, final=len(sample) == len(data)
            )
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            readings.setdefault(text, encoding)
    scores = {encoding: round(plausibility(text), 9) for text, encoding in readings.items()}
    for encoding in sorted(scores, key=lambda e: (-scores[e], names.index(e))):
        if scores[encoding] < PLAUSIBLE:
            break
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue  # the sample read well but a later byte does not
    return None


# Russian letter frequencies (%), for telling Cyrillic code pages apart: a wrong one scrambles the letters.
_RUSSIAN = {
    letter: float(share)
    for letter, share in re.findall(
        r"(\w)([\d.]+)",
        "о10.97 е8.45 а8.01 и7.35 н6.70 т6.26 с5.47 р4.73 в4.54 л4.40 к3.49 м3.21 д2.98 п2.81 у2.62 я2.01 ы1.90 "
        "ь1.74 г1.70 з1.65 б1.59 ч1.44 й1.21 х0.97 ж0.94 ш0.73 ю0.64 ц0.48 щ0.36 э0.32 ф0.26 ъ0.04 ё0.04",
    )
}
_COMMON_PUNCTUATION = frozenset(
    "\u00a0«»°·§©®±\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2032\u2033\u20ac\u2116\u2122"
)
_WESTERN_EXTRA = frozenset("ŒœŠšŽžŸ")
# Control characters no text file holds (tab, line breaks and form feed aside): a reading with one is wrong.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]+")


@functools.cache
def _common_han() -> frozenset[str]:
    """The frequent Han characters: GB2312 level 1, Big5 level 1 and JIS level 1 (what a misreading rarely hits)."""
    gb = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    big5 = bytes(
        b
        for hi in range(0xA4, 0xC7)
        for lo in [*range(0x40, 0x7F), *(range(0xA1, 0xFF) if hi < 0xC6 else ())]
        for b in (hi, lo)
    )
    jis = bytes(b for hi in range(0xB0, 0xD0) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    chars = gb.decode("gb2312", "ignore") + big5.decode("big5", "ignore") + jis.decode("euc_jp", "ignore")
    return frozenset(c for c in chars if "\u4e00" <= c <= "\u9fff")


@functools.cache
def _weight(char: str) -> float:
    """How ordinary one character is in the text readouts are made of (1 ordinary ... 0 never in text)."""
    if char in "\t\n\r" or " " <= char <= "~":
        return 1.0
    lower = char.lower()
    if lower in _RUSSIAN:
        return 0.75 + 0.25 * min(1.0, _RUSSIAN[lower] / 3.0)
    if char in _common_han() or char in _COMMON_PUNCTUATION or char in _WESTERN_EXTRA:
        return 1.0
    if "\u00c0" <= char <= "\u00ff" and char not in "×÷":
        return 1.0  # Western European letters
    if "\u3000" <= char <= "\u30ff" or "\uff01" <= char <= "\uff60":
        return 1.0  # CJK punctuation, kana, full-width forms (half-width katakana are legacy: below)
    category = unicodedata.category(char)
    if category[0] == "C" or char == "\ufffd":
        return 0.0  # controls, unassigned, private use
    if "\u2500" <= char <= "\u259f":
        return 0.1  # box drawing: what KOI8 and DOS code pages turn into when misread
    if "\uac00" <= char <= "\ud7af":
        return 0.75  # hangul: legitimate, but not a language of readouts
    if HAN.match(char):
        return 0.5  # rare Han
    if category[0] == "L":
        return 0.5  # letters of other scripts and of other Latin alphabets
    return 0.5 if "\u00a0" <= char <= "\u00bf" else 0.25


def _script(char: str) -> str:
    if char < "\u0250":
        return "latin"
    if "\u0370" <= char < "\u0400":
        return "greek"
    if "\u0400" <= char < "\u0530":
        return "cyrillic"
    return "han" if HAN.match(char) else "other"


def _anomalous(word: str) -> bool:
    """A word no one writes: scripts mixed, a capital after a small letter, or mostly accented letters."""
    scripts = {_script(c) for c in word} - {"han"}
    if len(scripts) > 1:
        return True
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
        return True
    accented = sum(1 for c in word if "\u00c0" <= c < "\u0250")
    return accented >= 3 and 2 * accented > len(word)


def plausibility(text: str) -> float:
    """Between 0 and 1: how much a decoding looks like real text. Each character counts as ordinary as it is
    (_weight), and the letters of implausible words (_anomalous) count nothing. The right reading of a
    readout scores near 1; a wrong code page scores lower (mixed scripts, odd capitals, rare letters), and
    binary data far lower."""
    if not text:
        return 1.0
    total = sum(_weight(c) for c in text)
    for word in _WORD.findall(text):
        if _anomalous(word):
            total -= sum(_weight(c) for c in word)
    return total / len(text)


def bom_of(data: bytes, encoding: str) -> bytes:
    """The byte order mark decoding dropped: data starts with one and the codec is a Unicode one."""
    if not codecs.lookup(encoding).name.startswith("utf"):
        return b""
    for bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            return bom
    return b""


def read_bytes(path: str, named: bool = True) -> bytes:
    """A file's bytes, or an InputError that names it and says why not.

    Only regular files are read, so that a device (/dev/zero) or a pipe inside a directory cannot hang a
    run; a pipe the user named (`<(cmd)`, /dev/stdin, a FIFO) is read when something writes to it.
    A URL (one with '://') is read through fsspec (reuse.runtime.urls.read).
    """
    if is_url(path):
        from reuse.runtime.urls import read

        return read(path)
    name = shown(path)
    try:
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or (named and stat.S_ISFIFO(mode))):
            raise InputError(_not_regular(name, mode))
        # Non-blocking, as opening a FIFO with no writer would wait for one forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            mode = os.fstat(fd).st_mode  # what was opened, should the path have changed since
            if stat.S_ISREG(mode):
                with open(fd, "rb", closefd=False) as handle:
                    return handle.read()
            if named and stat.S_ISFIFO(mode):
                return _read_pipe(fd, name)
            raise InputError(_not_regular(name, mode))
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, expected a file") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or err})") from None


def _not_regular(name: str, mode: int) -> str:
    if stat.S_ISDIR(mode):
        return f"{name}: is a directory, expected a file"
    for test, kind in (
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return f"{name}: not a regular file ({kind})"
    return f"{name}: not a regular file"


# How long a pipe with no writer is given for one to connect: a writer blocked opening the pipe is woken
# by our open and may not have finished its own yet.
_WRITER_GRACE = 0.2


def _read_pipe(fd: int, name: str) -> bytes:
    """Everything written to a pipe opened non-blocking, or an InputError if nothing is writing to it."""
    deadline = time.monotonic() + _WRITER_GRACE
    while True:
        try:
            first = os.read(fd, 1 << 16)
        except BlockingIOError:  # a writer is connected and has not written yet
            first = b""
            break
        if first:
            break
        if time.monotonic() >= deadline:  # end of file all along: no writer
            raise InputError(f"{name}: named pipe with no writer")
        time.sleep(0.01)
    os.set_blocking(fd, True)
    with open(fd, "rb", closefd=False) as handle:
        return first + handle.read()


def load_document(path: str, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read one document by the rules every command follows (reuse.load.corpus.load_one): HTML pages become
    their text, a JSONL file must hold one document, '-' is standard input. The id defaults to the path."""
    from reuse.load.corpus import InputOptions, load_one  # corpus imports this module

    doc = load_one(path, InputOptions(encoding=encoding), sys.stdin.buffer if path == "-" else None)
    return doc if doc_id is None else replace(doc, id=doc_id)


def from_text(text: str, doc_id: str = "<text>") -> Document:
    return Document(id=doc_id, text=text, source=doc_id, encoding="utf-8")
