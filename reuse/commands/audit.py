"""`audit`: how clean is a corpus? Duplicates, boilerplate share, repeats, mixed scripts, fragments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from reuse.commands.scan import DocumentReport, ScanResult
from reuse.group.context import CONTEXT
from reuse.group.endings import TERMINAL
from reuse.group.families import Family
from reuse.group.union_find import UnionFind
from reuse.kinds import BOILERPLATE
from reuse.settings import Settings
from reuse.sketch.candidates import near_pairs as near_pairs_of
from reuse.sketch.prepared import PreparedDocument


@dataclass
class DocumentAudit:
    id: str
    empty: bool
    boilerplate_share: float
    repeats: int
    scripts: dict[str, int]
    mixed_scripts: bool
    languages: list[str]
    fragments: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class AuditResult:
    documents: list[DocumentAudit]
    exact_duplicates: list[list[str]]
    near_duplicates: list[list[str]]
    over_boilerplate: list[str]
    max_boilerplate: float
    boilerplate_share: float

    def summary(self) -> dict[str, object]:
        return {
            "documents": len(self.documents),
            "empty": sum(d.empty for d in self.documents),
            "exact_duplicate_clusters": len(self.exact_duplicates),
            "near_duplicate_clusters": len(self.near_duplicates),
            "over_boilerplate": len(self.over_boilerplate),
            "with_repeats": sum(1 for d in self.documents if d.repeats),
            "mixed_scripts": sum(d.mixed_scripts for d in self.documents),
            "mixed_languages": sum(1 for d in self.documents if len(d.languages) > 1),
            "with_fragments": sum(1 for d in self.documents if d.fragments),
            "boilerplate_share": self.boilerplate_share,
        }


def _fragments(doc: PreparedDocument, boilerplate: list[tuple[int, int]], settings: Settings) -> list[tuple[int, int]]:
    """Paragraphs that stop without terminal punctuation, or start where the previous one stopped so."""
    out = []
    min_span = settings.min_span
    previous_open = False
    for first, last in doc.paragraph_bounds():
        number = int(doc.paragraphs[first])
        start, end = int(doc.starts[first]), int(doc.ends[last])
        weight = int(doc.weights[first : last + 1].sum())
        text = doc.text[start:end]
        furniture = any(s <= start and end <= e for s, e in boilerplate)
        open_end = weight >= min_span and not TERMINAL.search(text) and not furniture
        starts_open = previous_open and weight >= min_span and bool(re.match(r"[^\W\d]", text))
        if number >= settings.title_lines and (open_end or starts_open):
            out.append((start, end))
        previous_open = open_end
    return out


def _clusters(pairs: list[tuple[int, int]], n: int) -> list[list[int]]:
    uf = UnionFind(n)
    for i, j in pairs:
        uf.union(i, j)
    return uf.groups()


def audit(result: ScanResult, max_boilerplate: float = 0.5) -> AuditResult:
    scanned = result.prepared
    settings = result.settings
    repeats = repeat_counts(result.families)
    documents = [
        document_audit(doc, report, repeats.get(doc.id, 0), settings) for doc, report in zip(scanned, result.documents)
    ]
    digests, sigs, usable = duplicate_facts(scanned, settings)
    share = result.summary()["shares"]
    assert isinstance(share, dict)
    return corpus_audit(documents, digests, sigs, usable, max_boilerplate, float(share[BOILERPLATE]), settings)


def duplicate_facts(docs: list[PreparedDocument], settings: Settings) -> tuple[list[str], np.ndarray, np.ndarray]:
    """What duplicate detection reads of each document: its normalized text's digest, its MinHash (one row
    each), and whether it has shingles. A scan for_audit computed the facts already, in its workers."""
    facts = [doc.facts() for doc in docs]
    signatures = np.zeros((len(docs), settings.num_perm), dtype=np.uint32)
    for d, f in enumerate(facts):
        signatures[d] = f.signature
    usable = np.array([doc.has_shingles for doc in docs], dtype=bool)
    return [f.text_sha256 for f in facts], signatures, usable


def repeat_counts(families: list[Family]) -> dict[str, int]:
    """Per document, copies beyond the first of any family's passage inside it, whatever the family's kind.
    The families of lines that context made furniture are not counted: their lines are in families already."""
    repeats: dict[str, int] = {}
    for family in families:
        if family.level == "span" or CONTEXT in family.evidence:
            continue
        per_doc: dict[str, int] = {}
        for m in family.members:
            per_doc[m.doc] = per_doc.get(m.doc, 0) + 1
        for doc_id, count in per_doc.items():
            repeats[doc_id] = repeats.get(doc_id, 0) + count - 1
    return repeats


def document_audit(doc: PreparedDocument, report: DocumentReport, repeats: int, settings: Settings) -> DocumentAudit:
    """What audit says of one document, from its preparation (with facts) and its scan report."""
    f = doc.facts()
    scripts = f.scripts
    minority = min(scripts.values())
    total = sum(scripts.values())
    mixed = total > 0 and minority >= settings.mixed_min_chars and minority / total >= settings.mixed_minority
    return DocumentAudit(
        id=doc.id,
        empty=not len(doc),
        boilerplate_share=report.shares[BOILERPLATE],
        repeats=repeats,
        scripts=scripts,
        mixed_scripts=mixed,
        languages=list(f.languages),
        fragments=_fragments(doc, report.intervals.get(BOILERPLATE, []), settings),
    )


def corpus_audit(
    documents: list[DocumentAudit],
    digests: list[str],
    signatures: np.ndarray,
    usable: np.ndarray,
    max_boilerplate: float,
    boilerplate_share: float,
    settings: Settings,
) -> AuditResult:
    """The corpus-wide findings from each document's audit, normalized-text digest and MinHash (in id order)."""
    ids = [d.id for d in documents]
    # Exact duplicates: the same normalized text.
    exact_pairs = []
    first_of: dict[str, int] = {}
    for i, digest in enumerate(digests):
        if digest in first_of:
            exact_pairs.append((first_of[digest], i))
        else:
            first_of[digest] = i
    exact = _clusters(exact_pairs, len(ids))
    # Near duplicates: the MinHash of each document's shingles, all passages together.
    near_pairs = []
    exact_members = {i for group in exact for i in group[1:]}
    for i, j in near_pairs_of(signatures, usable, settings.bands, settings.rows, settings.near_duplicate).tolist():
        if not (i in exact_members or j in exact_members or digests[i] == digests[j]):
            near_pairs.append((i, j))
    near = _clusters(near_pairs, len(ids))
    over = [d.id for d in documents if d.boilerplate_share > max_boilerplate]
    return AuditResult(
        documents,
        [[ids[i] for i in g] for g in exact],
        [[ids[i] for i in g] for g in near],
        over,
        max_boilerplate,
        boilerplate_share,
    )


def to_json(result: AuditResult) -> dict[str, object]:
    def cluster(group: list[str]) -> dict[str, object]:
        return {"kept": group[0], "duplicates": [{"doc": d, "duplicate_of": group[0]} for d in group[1:]]}

    return {
        "summary": result.summary(),
        "exact_duplicates": [cluster(g) for g in result.exact_duplicates],
        "near_duplicates": [cluster(g) for g in result.near_duplicates],
        "over_boilerplate": {"threshold": result.max_boilerplate, "documents": result.over_boilerplate},
        "documents": [
            {
                "id": d.id,
                "empty": d.empty,
                "boilerplate_share": d.boilerplate_share,
                "repeats": d.repeats,
                "scripts": d.scripts,
                "mixed_scripts": d.mixed_scripts,
                "languages": d.languages,
                "fragments": [list(f) for f in d.fragments],
            }
            for d in result.documents
        ],
    }
