"""Inputs as users have them: files, directories, JSONL, standard input, HTML pages."""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .document import Document, decode, read_bytes
from .errors import InputError
from .html import html_to_text, looks_like_html


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


@dataclass
class Corpus:
    documents: list[Document]
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class InputOptions:
    glob: str | None = None
    encoding: str | None = None
    id_key: str = "id"
    text_key: str = "text"
    skip_bad: bool = False


def _files(path: str, glob: str | None) -> Iterator[tuple[str, str, str]]:
    """(document id, file path, relative path) for a file, or every file under a directory, sorted."""
    if not os.path.isdir(path):
        yield path, path, os.path.basename(path)
        return
    found = []
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith("."):
                continue
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, path).replace(os.sep, "/")
            if glob is None or fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(name, glob):
                found.append((f"{path.rstrip('/')}/{relative}", full, relative))
    yield from sorted(found)


def _documents(doc_id: str, source: str, data: bytes, options: InputOptions, relpath: str) -> list[Document]:
    text, encoding = decode(data, source, options.encoding)
    path = "" if source == "-" else source
    if source.lower().endswith(".jsonl"):
        return _jsonl(source, text, encoding, options)
    if looks_like_html(source, text):
        return [Document(doc_id, html_to_text(text, source), source, encoding, relpath, path)]
    return [Document(doc_id, text, source, encoding, relpath, path)]


def _jsonl(source: str, text: str, encoding: str, options: InputOptions) -> list[Document]:
    docs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: not valid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected a JSON object, found {type(row).__name__}")
        for key in (options.id_key, options.text_key):
            if key not in row:
                raise InputError(f"{where}: no {key!r} key (set --id-key/--text-key)")
        if not isinstance(row[options.text_key], str):
            raise InputError(f"{where}: {options.text_key!r} is not a string")
        doc_id = str(row[options.id_key])
        docs.append(Document(doc_id, row[options.text_key], where, encoding, doc_id, source))
    return docs


def load_corpus(paths: list[str], options: InputOptions | None = None, stdin: BinaryIO | None = None) -> Corpus:
    """Every document named by paths ('-' reads stdin), ids unique, sorted by id; bad inputs raise or are skipped."""
    options = options or InputOptions()
    corpus = Corpus([])
    for path in paths:
        try:
            if path == "-":
                if stdin is None:
                    raise InputError("-: no standard input to read")
                corpus.documents.extend(_documents("-", "-", stdin.read(), options, "stdin.txt"))
                continue
            if not os.path.exists(path):
                raise InputError(f"{path}: no such file or directory")
            listed = list(_files(path, options.glob))
            if not listed and os.path.isdir(path):
                raise InputError(f"{path}: no files{' matching ' + repr(options.glob) if options.glob else ''}")
        except InputError as err:
            if not options.skip_bad:
                raise
            corpus.skipped.append(Skipped(path, str(err)))
            continue
        for doc_id, file_path, relpath in listed:
            try:
                corpus.documents.extend(_documents(doc_id, file_path, read_bytes(file_path), options, relpath))
            except InputError as err:
                if not options.skip_bad:
                    raise
                corpus.skipped.append(Skipped(file_path, str(err)))
    seen: dict[str, str] = {}
    for doc in corpus.documents:
        if doc.id in seen:
            raise InputError(f"{doc.source}: document id {doc.id!r} already used by {seen[doc.id]}")
        seen[doc.id] = doc.source
    corpus.documents.sort(key=lambda d: d.id)
    if not corpus.documents:
        reasons = "; ".join(s.reason for s in corpus.skipped)
        raise InputError(f"no documents to read{': ' + reasons if reasons else ''}")
    return corpus
