"""Loading: a document is an id, its text as the user gave it, and where it came from."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass

from .errors import InputError


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    source: str
    encoding: str = "utf-8"


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; UTF-8 (BOM stripped) unless an encoding is given."""
    chosen = encoding or "utf-8"
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise InputError(f"{name}: unknown encoding {chosen!r}") from None
    if encoding is None or codecs.lookup(chosen).name == "utf-8":
        data = data.removeprefix(codecs.BOM_UTF8)
        if b"\x00" in data and not _looks_utf16(data):
            offset = data.index(b"\x00")
            raise InputError(f"{name}: binary file (NUL byte at byte {offset}), not text")
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as err:
        hint = "" if encoding else "; pass --encoding if the file is not UTF-8"
        raise InputError(f"{name}: cannot decode byte {err.start} as {chosen} ({err.reason}){hint}") from None
    text = text.removeprefix("\ufeff")
    return text, codecs.lookup(chosen).name


def _looks_utf16(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def load_document(path: str, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read one file; the id defaults to the path as given."""
    name = doc_id if doc_id is not None else path
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    text, used = decode(data, path, encoding)
    return Document(id=name, text=text, source=path, encoding=used)


def from_text(text: str, doc_id: str = "<text>") -> Document:
    return Document(id=doc_id, text=text, source=doc_id, encoding="utf-8")
