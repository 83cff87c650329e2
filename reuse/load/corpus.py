"""Inputs as users have them: files, directories, JSONL, standard input, HTML pages."""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from reuse.errors import InputError
from reuse.load.document import Document, bom_of, decode, read_bytes
from reuse.load.html import html_to_text, looks_like_html
from reuse.load.structure import main_ranges
from reuse.runtime.output import shown
from reuse.runtime.urls import is_url


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
    """(document id, file path, relative path) for a file, or every file under a directory, sorted.

    Ids are printable (shown: a file name's bytes that are not UTF-8 escaped); paths are the real ones.
    A URL (one with '://') is listed through fsspec by the same rules: its files' URLs are the URL as given
    joined with their relative paths, and serve as both id and path.
    """
    if is_url(path):
        from reuse.runtime.urls import files

        for url, relative in files(path, glob):
            yield shown(url), url, relative
        return
    if not os.path.isdir(path):
        yield shown(path), path, os.path.basename(path)
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
                found.append((shown(f"{path.rstrip('/')}/{relative}"), full, relative))
    yield from sorted(found)


def _documents(doc_id: str, path: str, data: bytes, options: InputOptions, relpath: str) -> list[Document]:
    """The documents in one input's bytes: a JSONL file's rows, an HTML page's text, or the text itself."""
    source = shown(path)
    text, encoding = decode(data, source, options.encoding)
    real = "" if path == "-" else path
    if path.lower().endswith(".jsonl"):
        return _jsonl(source, text, encoding, options, real)
    if looks_like_html(path, text):
        extracted = html_to_text(text, source)
        main = main_ranges(text, extracted)
        return [Document(doc_id, extracted, source, encoding, relpath, real, extracted=True, main=main)]
    return [Document(doc_id, text, source, encoding, relpath, real, bom=bom_of(data, encoding))]


# Lone surrogates: JSON can spell them (\ud800) but no UTF-8 output can hold them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_id(value: object, key: str, where: str) -> str:
    """A row's id as text: strings as they are, integers in decimal; anything else is ambiguous or empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    kind = {type(None): "null", bool: "a boolean", float: "a number with a fraction", list: "a list", dict: "an object"}
    raise InputError(
        f"{where}: {key!r} is {kind.get(type(value), type(value).__name__)}; ids must be strings or integers"
    )


def _jsonl(source: str, text: str, encoding: str, options: InputOptions, path: str) -> list[Document]:
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
        doc_id = _jsonl_id(row[options.id_key], options.id_key, where)
        for key, value in ((options.id_key, doc_id), (options.text_key, row[options.text_key])):
            if found := _SURROGATE.search(value):
                raise InputError(
                    f"{where}: {key!r} holds a lone surrogate (\\u{ord(found.group()):04x}), which is not text"
                )
        docs.append(Document(doc_id, row[options.text_key], where, encoding, doc_id, path))
    return docs


@dataclass(frozen=True)
class Source:
    """One file to read, as listed from the inputs (see `listed`)."""

    id: str
    path: str
    relpath: str
    named: bool
    """Named on the command line itself (it may be a pipe, <(cmd)); not found in a directory."""


def listed(paths: list[str], options: InputOptions) -> Iterator[Source | Skipped]:
    """The files the paths name ('-' excepted), in reading order, or an input that cannot be listed when
    options.skip_bad (raised otherwise)."""
    for path in paths:
        try:
            url = is_url(path)
            if not url and not os.path.exists(path):
                raise InputError(f"{shown(path)}: no such file or directory")
            files = list(_files(path, options.glob))
            # A URL naming a file lists that file: one listing nothing named a directory (or a prefix).
            if not files and (url or os.path.isdir(path)):
                raise InputError(f"{shown(path)}: no files{' matching ' + repr(options.glob) if options.glob else ''}")
        except InputError as err:
            if not options.skip_bad:
                raise
            yield Skipped(shown(path), str(err))
            continue
        for doc_id, file_path, relpath in files:
            yield Source(doc_id, file_path, relpath, file_path == path)


def read_source(source: Source, options: InputOptions) -> list[Document] | Skipped:
    """The documents of one listed file, or why it was skipped (when options.skip_bad; raised otherwise)."""
    try:
        data = read_bytes(source.path, named=source.named)
        return _documents(source.id, source.path, data, options, source.relpath)
    except InputError as err:
        if not options.skip_bad:
            raise
        return Skipped(shown(source.path), str(err))


@dataclass
class ReadSources:
    """Some listed files read where they are analysed (a cluster's worker): their documents in id order,
    and what the command needs to say about them as in-process."""

    documents: list[Document]
    ids: list[tuple[str, str]]
    """(id, source) of the documents in reading order: ids used twice are refused across all of them."""
    skipped: list[tuple[int, Skipped]]
    """Files skipped (--skip-bad), with their places in reading order."""
    failure: tuple[int, str] | None
    """The first file that could not be read (its place in reading order, the error), without --skip-bad:
    the command reports the first of all, as in-process."""


def read_sources(sources: list[tuple[int, Source]], options: InputOptions) -> ReadSources:
    """Read listed files (each with its place in reading order); reading stops at the first failure."""
    documents: list[Document] = []
    skipped: list[tuple[int, Skipped]] = []
    for position, source in sources:
        try:
            found = read_source(source, options)
        except InputError as err:
            return ReadSources([], [], skipped, (position, str(err)))
        if isinstance(found, Skipped):
            skipped.append((position, found))
        else:
            documents += found
    ids = [(doc.id, doc.source) for doc in documents]
    return ReadSources(sorted(documents, key=lambda d: d.id), ids, skipped, None)


def check_ids(documents: Iterable[tuple[str, str]]) -> None:
    """Refuse a document id used twice: (id, source) pairs in reading order."""
    seen: dict[str, str] = {}
    for doc_id, source in documents:
        if doc_id in seen:
            raise InputError(f"{source}: document id {doc_id!r} already used by {seen[doc_id]}")
        seen[doc_id] = source


def no_documents(skipped: list[Skipped]) -> InputError:
    reasons = "; ".join(s.reason for s in skipped)
    return InputError(f"no documents to read{': ' + reasons if reasons else ''}")


def worker_sources(
    paths: list[str], options: InputOptions
) -> tuple[list[tuple[int, Skipped]], list[tuple[int, Source]]]:
    """What a cluster's workers are to read, each with its place in reading order, and the inputs that
    could not be listed (--skip-bad). Standard input is refused: the workers cannot read it."""
    if "-" in paths:
        raise InputError("-: standard input cannot be read by a cluster's workers; write it to a file first")
    items = list(enumerate(listed(paths, options)))
    skipped = [(position, item) for position, item in items if isinstance(item, Skipped)]
    return skipped, [(position, item) for position, item in items if isinstance(item, Source)]


Listing = tuple[list[tuple[str, str]], list[tuple[int, Skipped]], tuple[int, str] | None]
"""What workers read of a group of sources: (id, source) pairs, the files skipped, and the first failure."""


def checked_listing(
    listings: Iterable[Listing], skipped: list[tuple[int, Skipped]]
) -> tuple[list[tuple[str, str]], list[Skipped]]:
    """The ids the workers read, in reading order, and all that was skipped, in reading order too; the first
    failure is raised, an id used twice refused, and no document at all is an error, as in one process."""
    listings = list(listings)
    failures = [failure for _, _, failure in listings if failure is not None]
    if failures:
        raise InputError(min(failures)[1])
    ids = [pair for found, _, _ in listings for pair in found]
    check_ids(ids)
    everything = skipped + [pair for _, found, _ in listings for pair in found]
    skipped_list = [s for _, s in sorted(everything, key=lambda ps: ps[0])]
    if not ids:
        raise no_documents(skipped_list)
    return ids, skipped_list


def load_corpus(paths: list[str], options: InputOptions | None = None, stdin: BinaryIO | None = None) -> Corpus:
    """Every document named by paths ('-' reads stdin), ids unique, sorted by id; bad inputs raise or are skipped."""
    options = options or InputOptions()
    corpus = Corpus([])
    for path in paths:
        if path == "-":
            try:
                if stdin is None:
                    raise InputError("-: no standard input to read")
                corpus.documents.extend(_documents("-", "-", stdin.read(), options, "stdin.txt"))
            except InputError as err:
                if not options.skip_bad:
                    raise
                corpus.skipped.append(Skipped("-", str(err)))
            continue
        for item in listed([path], options):
            found = item if isinstance(item, Skipped) else read_source(item, options)
            if isinstance(found, Skipped):
                corpus.skipped.append(found)
            else:
                corpus.documents.extend(found)
    check_ids((doc.id, doc.source) for doc in corpus.documents)
    corpus.documents.sort(key=lambda d: d.id)
    if not corpus.documents:
        raise no_documents(corpus.skipped)
    return corpus


def load_one(path: str, options: InputOptions | None = None, stdin: BinaryIO | None = None) -> Document:
    """The one document a path names, by the rules of load_corpus: an HTML page's text, a JSONL file's only
    row, standard input for '-'. A directory, or a JSONL file with more or fewer rows than one, is an error."""
    options = options or InputOptions()
    if path == "-":
        if stdin is None:
            raise InputError("-: no standard input to read")
        documents = _documents("-", "-", stdin.read(), options, "stdin.txt")
    else:
        name = path.rstrip("/").rsplit("/", 1)[-1] if is_url(path) else os.path.basename(path)
        documents = _documents(shown(path), path, read_bytes(path), options, name)
    if len(documents) != 1:
        raise InputError(f"{shown(path)}: holds {len(documents)} documents; diff compares one document with one")
    return documents[0]
