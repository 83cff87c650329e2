"""`clean`: copies of the corpus with boilerplate (and repeats) removed, and a manifest of every removal."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

from .errors import InputError
from .families import Family, Member
from .output import Protected, write_atomic
from .scan import ScanResult, removals

MANIFEST = "reuse-manifest.jsonl"


@dataclass(frozen=True)
class Removal:
    doc: str
    start: int
    end: int
    family: str
    kind: str
    text: str


def plan(result: ScanResult, kinds: set[str]) -> dict[str, list[Removal]]:
    """Non-overlapping removals per document; a removed whole line takes its line break along."""
    texts = {doc.id: doc.text for doc in result.scanned}
    out: dict[str, list[Removal]] = {}
    for doc, explained in removals(result.families).items():
        text = texts[doc]
        chosen: list[tuple[int, int, Family]] = []
        for member, family in sorted(explained, key=lambda mf: (mf[0].start, -mf[0].end)):
            if family.kind not in kinds:
                continue
            start, end = _whole_line(text, member)
            if chosen and start < chosen[-1][1]:
                if end <= chosen[-1][1]:
                    continue  # inside a removal already planned
                start = chosen[-1][1]
            chosen.append((start, end, family))
        out[doc] = [Removal(doc, s, e, f.id, f.kind, text[s:e]) for s, e, f in chosen if e > s]
    return out


def _whole_line(text: str, member: Member) -> tuple[int, int]:
    """Extend a member that fills its line to the line break, so that no empty line is left behind."""
    line_start = text.rfind("\n", 0, member.start) + 1
    line_end = text.find("\n", member.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start : member.start].strip() == "" and text[member.end : line_end].strip() == "":
        return line_start, min(line_end + 1, len(text))
    return member.start, member.end


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


def output_path(out_dir: str, relpath: str) -> str:
    """Where a document's cleaned copy goes: its relative path, never outside out_dir."""
    parts = [p for p in re.split(r"[\\/]+", relpath) if p not in ("", ".", "..")]
    return os.path.join(out_dir, *(parts or ["stdin.txt"]))


def check_out_dir(out_dir: str, inputs: list[str], outputs: list[str], sources: list[str]) -> None:
    """Refuse an output directory inside an input directory, and any output that would replace an input."""
    target = os.path.realpath(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise InputError(f"{out_dir}: exists and is not a directory")
    for source in inputs:
        if source == "-" or not os.path.exists(source):
            continue
        real = os.path.realpath(source)
        if os.path.isdir(real) and (target == real or target.startswith(real + os.sep)):
            raise InputError(
                f"{out_dir}: is inside the input directory {source}; choose an output directory outside it"
            )
    originals = {os.path.realpath(s) for s in sources if os.path.exists(s)}
    for path in outputs:
        if os.path.realpath(path) in originals:
            raise InputError(f"{path}: would replace an input file; choose another output directory")


def clean(
    result: ScanResult, out_dir: str, inputs: list[str], kinds: set[str], manifest: str | None = None
) -> tuple[int, int]:
    """Write cleaned copies and the manifest (atomically); return (documents written, removals)."""
    sources = sorted({doc.document.path for doc in result.scanned} - {""})
    outputs = [output_path(out_dir, doc.document.relpath or doc.document.id) for doc in result.scanned]
    manifest_path = manifest or os.path.join(out_dir, MANIFEST)
    check_out_dir(out_dir, inputs, [*outputs, manifest_path], sources)
    if len(set(outputs)) < len(outputs):
        raise InputError(f"{out_dir}: two documents would be written to the same path; clean the inputs separately")
    planned = plan(result, kinds)
    protected = Protected().add(inputs).add(sources)
    os.makedirs(out_dir, exist_ok=True)
    lines = []
    for scanned, path in zip(result.scanned, outputs):
        doc = scanned.document
        todo = planned.get(doc.id, [])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, apply(doc.text, todo), protected)
        lines += [json.dumps(r.__dict__, ensure_ascii=False) for r in todo]
    write_atomic(manifest_path, "".join(line + "\n" for line in lines), protected)
    return len(result.scanned), len(lines)


def read_manifest(path: str) -> dict[str, list[Removal]]:
    out: dict[str, list[Removal]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out.setdefault(row["doc"], []).append(Removal(**row))
    return out
