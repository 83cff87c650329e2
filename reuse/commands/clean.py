"""`clean`: copies of the corpus with boilerplate (and repeats) removed, and a manifest of every removal.

A copy of a text file is that file with the removals cut out, in the file's own encoding and with its
byte order mark if it had one: apart from the removals it is byte for byte the original, so that the
manifest undoes every removal on the bytes. The copy of an HTML page is the plain text extracted from
it (what the offsets point into), written as `NAME.html.txt` in UTF-8 so that it never passes for the
page; a JSONL row's copy is its text in UTF-8 (it was never a file of its own).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from reuse.commands.scan import ScanResult, removals
from reuse.errors import InputError
from reuse.group.families import Family
from reuse.group.members import Member
from reuse.load.document import Document
from reuse.runtime.output import Protected, shown, write_atomic
from reuse.runtime.urls import is_url, join

MANIFEST = "reuse-manifest.jsonl"

# The codec of the bytes after each byte order mark (the mark itself is not part of the text).
_AFTER_BOM = {
    codecs.BOM_UTF32_LE: "utf-32-le",
    codecs.BOM_UTF32_BE: "utf-32-be",
    codecs.BOM_UTF8: "utf-8",
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
}
_BOM_BEFORE = {codec: bom for bom, codec in _AFTER_BOM.items()}


@dataclass(frozen=True)
class Removal:
    """One manifest line. encoding, bom and extracted say how to read the cleaned copy the offsets are for."""

    doc: str
    start: int
    end: int
    family: str
    kind: str
    text: str
    encoding: str = "utf-8"
    """The encoding of the cleaned copy: the input's, for a text file (after the byte order mark, if any)."""
    bom: bool = False
    """The cleaned copy (and its input) begins with the byte order mark of `encoding`."""
    extracted: bool = False
    """The offsets point into the text extracted from an HTML page (the copy is that text), not into the page."""
    evidence: list[dict[str, object]] = field(default_factory=list)
    """Why the removed text is boilerplate (the scan's members[].evidence; empty for other kinds)."""


@dataclass(frozen=True)
class CleanCopy:
    """A cleaned copy to write: where, its bytes, and how they are encoded."""

    document: Document
    path: str
    encoding: str
    bom: bool
    extracted: bool


Explained = list[tuple[Member, str, str, list[dict[str, object]]]]
"""What families explain in one document: each member with its family's id, kind and evidence."""


def explained_members(families: list[Family]) -> dict[str, Explained]:
    """Per document, the members `clean` may remove (see `removals`), with their family's id, kind and evidence."""
    why = {id(family): [e.as_json() for e in family.evidence] for family in families}
    return {doc: [(m, f.id, f.kind, why[id(f)]) for m, f in pairs] for doc, pairs in removals(families).items()}


def plan(result: ScanResult, kinds: set[str]) -> dict[str, list[Removal]]:
    """Non-overlapping removals per document; a removed whole line takes its line break along."""
    texts = {doc.id: doc.text for doc in result.prepared}
    return {
        doc: plan_document(doc, texts[doc], found, kinds) for doc, found in explained_members(result.families).items()
    }


def plan_document(doc: str, text: str, explained: Explained, kinds: set[str]) -> list[Removal]:
    """The removals of one document's text, from what families explain in it."""
    chosen: list[tuple[int, int, str, str, list[dict[str, object]]]] = []
    for member, family, kind, why in sorted(explained, key=lambda mfk: (mfk[0].start, -mfk[0].end)):
        if kind not in kinds:
            continue
        start, end = _whole_line(text, member)
        if chosen and start < chosen[-1][1]:
            if end <= chosen[-1][1]:
                continue  # inside a removal already planned
            start = chosen[-1][1]
        chosen.append((start, end, family, kind, why))
    return [Removal(doc, s, e, family, kind, text[s:e], evidence=why) for s, e, family, kind, why in chosen if e > s]


def _whole_line(text: str, member: Member) -> tuple[int, int]:
    """Extend a member that fills its line to the line break, so that no empty line is left behind."""
    # Walk only the blanks beside the member, never the whole line: a document without line breaks
    # is one line, and searching it for every member would cost the square of its length.
    before = member.start - 1
    while before >= 0 and text[before] != "\n" and text[before].isspace():
        before -= 1
    if before >= 0 and text[before] != "\n":
        return member.start, member.end
    after, size = member.end, len(text)
    while after < size and text[after] != "\n" and text[after].isspace():
        after += 1
    if after < size and text[after] != "\n":
        return member.start, member.end
    return before + 1, min(after + 1, size)


def apply(text: str, removals_of_doc: list[Removal]) -> str:
    pieces, position = [], 0
    for r in removals_of_doc:
        pieces.append(text[position : r.start])
        position = r.end
    pieces.append(text[position:])
    return "".join(pieces)


def restore(cleaned: str, removals_of_doc: list[Removal]) -> str:
    """The original text from a cleaned copy and its manifest entries: every removal can be undone."""
    pieces, position, shift = [], 0, 0
    for r in sorted(removals_of_doc, key=lambda r: r.start):
        kept_until = r.start - shift
        pieces.append(cleaned[position:kept_until])
        pieces.append(r.text)
        position = kept_until
        shift += r.end - r.start
    pieces.append(cleaned[position:])
    return "".join(pieces)


def restore_bytes(cleaned: bytes, removals_of_doc: list[Removal]) -> bytes:
    """The original bytes (of a text file; of the extracted text, for a page) from a cleaned copy's bytes."""
    if not removals_of_doc:
        return cleaned  # nothing was removed: the copy is the original
    first = removals_of_doc[0]
    bom = _BOM_BEFORE.get(first.encoding, b"") if first.bom else b""
    text = cleaned[len(bom) :].decode(first.encoding)
    return bom + restore(text, removals_of_doc).encode(first.encoding)


def output_path(out_dir: str, relpath: str) -> str:
    """Where a document's cleaned copy goes: its relative path, never outside out_dir."""
    parts = [p for p in re.split(r"[\\/]+", relpath) if p not in ("", ".", "..")]
    if is_url(out_dir):
        return join(out_dir, *(parts or ["stdin.txt"]))
    return os.path.join(out_dir, *(parts or ["stdin.txt"]))


def check_out_dir(out_dir: str, inputs: list[str], outputs: list[str], sources: list[str]) -> None:
    """Refuse an output directory inside an input directory, and any output that would replace an input."""
    if is_url(out_dir):
        from reuse.runtime.urls import as_local, check_out_url

        out_dir = as_local(out_dir)
        inputs, outputs, sources = ([as_local(p) for p in group] for group in (inputs, outputs, sources))
        if is_url(out_dir):
            check_out_url(out_dir, inputs, outputs, sources)
            return
    target = os.path.realpath(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise InputError(f"{shown(out_dir)}: exists and is not a directory")
    for source in inputs:
        if source == "-" or not os.path.exists(source):
            continue
        real = os.path.realpath(source)
        if os.path.isdir(real) and (target == real or target.startswith(real + os.sep)):
            raise InputError(
                f"{shown(out_dir)}: is inside the input directory {shown(source)}; "
                "choose an output directory outside it"
            )
    originals = {os.path.realpath(s) for s in sources if os.path.exists(s)}
    for path in outputs:
        if os.path.realpath(path) in originals:
            raise InputError(f"{shown(path)}: would replace an input file; choose another output directory")


def _is_jsonl_row(doc: Document) -> bool:
    # corpus.py reads a file named *.jsonl as one document per line; its rows keep the file as their path.
    return doc.path.lower().endswith(".jsonl")


def _copy_of(doc: Document, out_dir: str) -> CleanCopy:
    """Where and how a document's cleaned copy is written (see the module's docstring)."""
    name = doc.relpath or doc.id
    if doc.extracted:  # standard input has no name of its own to keep apart from: it stays stdin.txt
        return CleanCopy(doc, output_path(out_dir, name) + (".txt" if doc.path else ""), "utf-8", False, True)
    if _is_jsonl_row(doc):
        return CleanCopy(doc, output_path(out_dir, name), "utf-8", False, False)
    if doc.bom:
        return CleanCopy(doc, output_path(out_dir, name), _AFTER_BOM[doc.bom], True, False)
    encoding = codecs.lookup(doc.encoding).name
    if encoding in ("utf-16", "utf-32"):  # read without a mark, so in this machine's byte order
        encoding = f"{encoding}-{'le' if sys.byteorder == 'little' else 'be'}"
    if encoding == "utf-8-sig":  # the mark is written as the bom flag says, not by the codec
        return CleanCopy(doc, output_path(out_dir, name), "utf-8", True, False)
    return CleanCopy(doc, output_path(out_dir, name), encoding, False, False)


# Lone surrogates other than those standing for undecodable bytes of a file name (JSON can spell them: \ud800).


def _name_max(out_dir: str) -> tuple[int, int]:
    """The longest file name and path (bytes) the file system of out_dir (or its nearest existing parent) allows."""
    folder = os.path.abspath(out_dir)
    while not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    limits = []
    for name, default in (("PC_NAME_MAX", 255), ("PC_PATH_MAX", 4096)):
        try:
            limits.append(os.pathconf(folder, name))
        except (OSError, ValueError, AttributeError):  # not reported here (or not POSIX): the usual Linux limits
            limits.append(default)
    return limits[0], limits[1]


def _check_names(copies: list[CleanCopy], out_dir: str, manifest_path: str) -> None:
    """Every copy can be written where planned, checked before anything is written: one line naming the input."""
    # A URL (file:// ones were made local paths by prepare_out_dir) has no file system to ask: its names
    # are checked for clashes only, and the store refuses what it cannot hold when written.
    local = "://" not in out_dir
    name_max, path_max = _name_max(out_dir) if local else (1 << 16, 1 << 16)
    norm = os.path.normpath if local else _no_change
    files: dict[str, CleanCopy] = {}
    folders: dict[str, CleanCopy] = {}  # every directory a copy needs, with the first copy that needs it
    for copy in copies:
        where = f"{shown(copy.document.source)}: document id {shown(copy.document.id)!r}"
        if "\0" in copy.path:
            raise InputError(f"{where} holds a NUL character, which no file name can hold; give it another id")
        try:
            encoded = os.fsencode(os.path.abspath(copy.path)) if local else copy.path.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                f"{where} holds a lone surrogate, which no file name can hold; give it another id"
            ) from None
        longest = max(_components(encoded), key=len)
        if len(longest) > name_max:
            raise InputError(f"{where} makes a file name of {len(longest)} bytes; the file system allows {name_max}")
        if len(encoded) >= path_max:
            raise InputError(f"{where} makes a path of {len(encoded)} bytes; the file system allows {path_max - 1}")
        key = norm(copy.path)
        if key in files:
            raise InputError(
                f"{shown(out_dir)}: documents {shown(files[key].document.id)!r} and "
                f"{shown(copy.document.id)!r} would be written to the same path; clean the inputs separately"
            )
        files[key] = copy
        for folder in _parents(key, norm(out_dir)):
            folders.setdefault(folder, copy)
    if norm(manifest_path) in files:
        clash = files[norm(manifest_path)].document
        raise InputError(
            f"{shown(clash.source)}: document id {shown(clash.id)!r} would be written to the manifest's "
            f"path {shown(manifest_path)}; pass --manifest elsewhere"
        )
    for folder, needs in folders.items():
        if folder in files:
            file, other = files[folder].document, needs.document
            raise InputError(
                f"{shown(file.source)}: document id {shown(file.id)!r} would be a file where document "
                f"{shown(other.id)!r} ({shown(other.source)}) needs a directory; clean them separately"
            )
        if local and os.path.lexists(folder) and not os.path.isdir(folder):
            raise InputError(f"{shown(folder)}: exists and is not a directory, and copies go inside it")
    for key in files:
        if local and os.path.isdir(key):
            raise InputError(f"{shown(key)}: is a directory, where a cleaned copy should go")


def _no_change(path: str) -> str:
    return path


def _components(path: bytes) -> list[bytes]:
    return [part for part in path.split(os.fsencode(os.sep)) if part]


def _parents(path: str, out_dir: str) -> Iterable[str]:
    """The directories between out_dir (excluded) and path (excluded)."""
    folder = os.path.dirname(path)
    while folder and folder != out_dir and len(folder) > len(out_dir):
        yield folder
        folder = os.path.dirname(folder)


def _encoded(copy: CleanCopy, text: str) -> bytes:
    """The copy's bytes, or an InputError when a character has no form in the encoding it must be written in."""
    try:
        data = text.encode(copy.encoding)
    except UnicodeEncodeError as err:
        doc = copy.document
        character = err.object[err.start]
        raise InputError(
            f"{shown(doc.source)}: character U+{ord(character):04X} at {err.start} of the cleaned text of "
            f"{shown(doc.id)!r} cannot be written in {copy.encoding}"
        ) from None
    return (_BOM_BEFORE[copy.encoding] if copy.bom else b"") + data


def clean(
    result: ScanResult, out_dir: str, inputs: list[str], kinds: set[str], manifest: str | None = None
) -> tuple[int, int]:
    """Write cleaned copies and the manifest (atomically); return (documents written, removals).

    Everything that could stop the run (names, encodings, inputs in the way) is checked before the first write.
    """
    documents = [prepared.document for prepared in result.prepared]
    copies, manifest_path, protected = prepare_out_dir(documents, out_dir, inputs, manifest)
    planned = plan(result, kinds)
    contents, lines = [], []
    result.stopwatch.progress.start("cleaned copies", len(copies))
    for copy in copies:
        result.stopwatch.progress.advance()
        todo = planned.get(copy.document.id, [])
        contents.append(_encoded(copy, apply(copy.document.text, todo)))
        lines += [_manifest_line(r, copy) for r in todo]
    write_cleaned(copies, contents, protected)
    write_atomic(manifest_path, "".join(line + "\n" for line in lines), protected)
    return len(copies), len(lines)


def prepare_out_dir(
    documents: list[Document], out_dir: str, inputs: list[str], manifest: str | None
) -> tuple[list[CleanCopy], str, Protected]:
    """Where each document's copy and the manifest go, checked (names, inputs in the way); nothing is written.

    documents: in id order; only their metadata is read (a cluster's client has no texts)."""
    sources = sorted({doc.path for doc in documents} - {""})
    if is_url(out_dir) or (manifest and is_url(manifest)):
        from reuse.runtime.urls import as_local  # file:// URLs: written and checked as the local paths they are

        out_dir, manifest = as_local(out_dir), manifest and as_local(manifest)
    copies = [_copy_of(doc, out_dir) for doc in documents]
    manifest_path = manifest or (output_path(out_dir, MANIFEST) if is_url(out_dir) else os.path.join(out_dir, MANIFEST))
    _check_names(copies, out_dir, manifest_path)
    check_out_dir(out_dir, inputs, [*(copy.path for copy in copies), manifest_path], sources)
    protected = Protected().add(inputs).add(sources)
    for path in (*(copy.path for copy in copies), manifest_path):  # hard links, a manifest among the inputs
        protected.check(path)
    return copies, manifest_path, protected


def cleaned_copies(
    copies: list[CleanCopy], texts: list[str], explained: list[Explained], kinds: set[str]
) -> tuple[list[bytes], list[list[str]]]:
    """The bytes of some documents' cleaned copies and the manifest lines of each (copies, texts and explained
    members alike ordered); an InputError names the first copy that cannot be encoded."""
    contents, lines = [], []
    for copy, text, found in zip(copies, texts, explained):
        todo = plan_document(copy.document.id, text, found, kinds)
        contents.append(_encoded(copy, apply(text, todo)))
        lines.append([_manifest_line(r, copy) for r in todo])
    return contents, lines


def write_cleaned(copies: list[CleanCopy], contents: list[bytes], protected: Protected) -> None:
    """Each copy written (atomically: see write_atomic), its directories made first (on a store that has
    directories; a URL's object is written whole)."""
    for copy, data in zip(copies, contents):
        if is_url(copy.path):
            from reuse.runtime.urls import make_dirs, parent

            make_dirs(parent(copy.path))
        else:
            os.makedirs(os.path.dirname(copy.path), exist_ok=True)
        write_atomic(copy.path, data, protected)


def _manifest_line(removal: Removal, copy: CleanCopy) -> str:
    row = {
        **removal.__dict__,
        "doc": shown(removal.doc),
        "encoding": copy.encoding,
        "bom": copy.bom,
        "extracted": copy.extracted,
    }
    return json.dumps(row, ensure_ascii=False)


def read_manifest(path: str) -> dict[str, list[Removal]]:
    out: dict[str, list[Removal]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out.setdefault(row["doc"], []).append(Removal(**row))
    return out
