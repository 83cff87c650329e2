"""Loading: a document is an id, its text as the user gave it, and where it came from."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

from .charclass import HAN_RANGES
from .errors import InputError


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


# Encodings a detector may propose for readouts; anything else is more likely a misdetection.
DETECTABLE = (
    "gb18030",
    "big5",
    "utf_16",
    "utf_16_le",
    "utf_16_be",
    "utf_32",
    "cp1252",
    "cp1250",
    "latin_1",
    "shift_jis",
    "euc_kr",
)


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: the given encoding, else a BOM, else UTF-8, else a detected encoding."""
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
    if b"\x00" in data:  # binary, unless it is UTF-16 or UTF-32 written without a BOM (judged on enough bytes)
        detected = _detect(data) if len(data) >= 64 else None
        if detected is None or "\x00" in detected[0]:
            raise InputError(f"{name}: binary file (NUL byte at byte {data.index(0)}), not text")
        return detected
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        detected = _detect(data)
        if detected is None:
            raise InputError(
                f"{name}: cannot decode byte {err.start} as utf-8 ({err.reason}) and no other encoding fits; "
                "pass --encoding"
            ) from None
        return detected
    return text, "utf-8"


_SINGLE_BYTE_LATIN = frozenset(
    [
        "cp1250",
        "cp1252",
        "cp1257",
        "cp1254",
        "cp775",
        "cp850",
        "latin_1",
        "iso8859_2",
        "iso8859_4",
        "iso8859_13",
        "iso8859_15",
        "mac_latin2",
        "mac_roman",
    ]
)


def _decode_as(data: bytes, name: str, encoding: str, hint: bool) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        suffix = "; pass --encoding if the file is not UTF-8" if hint else ""
        raise InputError(f"{name}: cannot decode byte {err.start} as {encoding} ({err.reason}){suffix}") from None
    return text.removeprefix("\ufeff")


def _detect(data: bytes) -> tuple[str, str] | None:
    """A detected encoding whose text looks like text (few control characters, little chaos)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    if best.encoding in _SINGLE_BYTE_LATIN:
        # Statistics barely tell Western code pages apart; readouts in one are Windows-1252.
        best = next((m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos + 0.1), best)
    if best.encoding not in DETECTABLE or best.chaos > 0.2:
        return None
    text = str(best)
    if not _plausible(text):
        return None
    return text, codecs.lookup(best.encoding).name


_ORDINARY = re.compile(
    f"[\t\n\r\x20-\x7e\u00a0-\u017f\u0400-\u04ff\u2000-\u206f\u3000-\u303f\uff00-\uffef{HAN_RANGES}]"
)


def _plausible(text: str) -> bool:
    """Does a detected decoding look like text in the scripts readouts use? Binary decoded as UTF-16 does not."""
    if not text:
        return True
    return len(_ORDINARY.findall(text)) >= 0.9 * len(text)


def read_bytes(path: str) -> bytes:
    """A file's bytes, or an InputError that names it and says why not."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None


def load_document(path: str, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read one file; the id defaults to the path as given."""
    name = doc_id if doc_id is not None else path
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a file")
    text, used = decode(read_bytes(path), path, encoding)
    return Document(id=name, text=text, source=path, encoding=used, path=path)


def from_text(text: str, doc_id: str = "<text>") -> Document:
    return Document(id=doc_id, text=text, source=doc_id, encoding="utf-8")
