"""`reuse scan`, `reuse audit`, `reuse clean`: a whole corpus read, scanned, then reported or cleaned."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from reuse.cli.app import EXIT_OK, EXIT_OVER_THRESHOLD
from reuse.cli.options import (
    against_options,
    corpus_options,
    format_option,
    load_inputs,
    output_option,
    settings_from_options,
)
from reuse.cli.output import emit, guard, skipped_lines, timings
from reuse.kinds import BOILERPLATE, FORMULA, REPEAT, REUSED

if TYPE_CHECKING:
    from reuse.commands.scan import ScanResult
    from reuse.index.against import DocumentAgainst


def _scanned_corpus(corpus: tuple[str, ...], jobs: int | None, for_audit: bool = False) -> ScanResult:
    """CORPUS read and scanned as the options say, each stage on the result's stopwatch."""
    from reuse.commands.scan import scan
    from reuse.runtime.stopwatch import Stopwatch

    stopwatch = Stopwatch()
    documents = load_inputs(corpus)
    stopwatch.lap("read and decode inputs")
    return scan(documents, settings_from_options(), jobs=jobs, for_audit=for_audit, stopwatch=stopwatch)


def _read_paths(result: ScanResult) -> list[str]:
    return [prepared.document.path for prepared in result.prepared]


@click.command()
@corpus_options
@format_option(["table", "json", "markdown"])
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Families and documents shown in a table (JSON has all).",
)
@output_option
@against_options
def scan(
    corpus: tuple[str, ...],
    fmt: str,
    limit: int,
    output: str | None,
    against: str | None,
    boilerplate_min_docs: int,
    jobs: int | None,
    **options: object,
) -> int:
    """Families of reuse across a corpus: boilerplate, repeats, formulae, reused passages.

    CORPUS is files, directories (read recursively), JSONL files (one document per line) or - for
    standard input. Exit codes: 0 done, 1 bad input or usage.
    """
    from reuse.reports.scan import render

    protected = guard(output, corpus, against)
    result = _scanned_corpus(corpus, jobs)
    if against:
        from reuse.index.against import scan_against_index

        report = _with_against(result, against, scan_against_index(result, against, boilerplate_min_docs), fmt, limit)
    else:
        report = render(result, fmt, limit)
    emit(report, output, protected, _read_paths(result))
    timings(result.stopwatch, "report")
    return EXIT_OK


def _with_against(result: ScanResult, spec: str, found: list[DocumentAgainst], fmt: str, limit: int) -> str:
    """The scan report with what the index has seen: a JSON key, or a section after a table or Markdown."""
    from reuse.index import display_spec
    from reuse.reports import json_layout
    from reuse.reports.against import render_scan_against, scan_against_json
    from reuse.reports.markup import json_inert
    from reuse.reports.scan import render, to_json

    if fmt == "json":
        data = to_json(result)
        data["against"] = scan_against_json(display_spec(spec), found)
        return json_inert(json_layout.dumps(data))
    return render(result, fmt, limit) + render_scan_against(display_spec(spec), found, fmt, limit)


@click.command()
@corpus_options
@format_option(["table", "json"])
@click.option(
    "--max-boilerplate",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="List documents whose boilerplate share is over this.",
)
@click.option(
    "--fail-over",
    type=click.FloatRange(0.0, 1.0),
    metavar="FRACTION",
    help="Exit with code 3 when the corpus boilerplate share is over FRACTION.",
)
@output_option
def audit(
    corpus: tuple[str, ...],
    fmt: str,
    max_boilerplate: float,
    fail_over: float | None,
    output: str | None,
    jobs: int | None,
    **options: object,
) -> int:
    """How clean is a corpus: duplicates, boilerplate, repeats, mixed scripts, fragments, empty documents.

    Exit codes: 0 done, 1 bad input or usage, 3 boilerplate share over --fail-over.
    """
    from reuse.commands.audit import audit as run_audit
    from reuse.reports.audit import render

    protected = guard(output, corpus)
    scanned = _scanned_corpus(corpus, jobs, for_audit=True)
    result = run_audit(scanned, max_boilerplate)
    emit(render(result, fmt), output, protected, _read_paths(scanned))
    timings(scanned.stopwatch, "audit and report")
    if fail_over is not None and result.boilerplate_share > fail_over:
        click.echo(f"boilerplate share {result.boilerplate_share:.4f} is over {fail_over}", err=True)
        return EXIT_OVER_THRESHOLD
    return EXIT_OK


@click.command()
@corpus_options
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory for the cleaned copies (not inside an input).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    help="Where to write the manifest (default OUT/reuse-manifest.jsonl).",
)
@click.option("--remove-formulae", is_flag=True, help="Also remove stock formulae found in other documents.")
@click.option("--remove-reused", is_flag=True, help="Also remove whole passages found in other documents.")
@click.option(
    "--keep-repeats",
    is_flag=True,
    help="Keep repeated passages inside a document (removed by default, first copy kept).",
)
def clean(
    corpus: tuple[str, ...],
    out_dir: str,
    manifest: str | None,
    remove_formulae: bool,
    remove_reused: bool,
    keep_repeats: bool,
    jobs: int | None,
    **options: object,
) -> int:
    """Write cleaned copies of the corpus and a manifest (JSONL) of every removal.

    Boilerplate and in-document repeats are removed by default. Inputs are never touched.
    """
    from reuse.commands.clean import check_out_dir
    from reuse.commands.clean import clean as run_clean
    from reuse.runtime.output import Protected

    # What can be refused before the corpus is read, is: the full check of every copy's path follows the scan.
    check_out_dir(out_dir, list(corpus), [manifest] if manifest else [], [])
    if manifest:
        Protected().add(corpus).check(manifest)
    kinds = {BOILERPLATE} | ({REPEAT} if not keep_repeats else set())
    kinds |= {FORMULA} if remove_formulae else set()
    kinds |= {REUSED} if remove_reused else set()
    result = _scanned_corpus(corpus, jobs)
    written, removed = run_clean(result, out_dir, list(corpus), kinds, manifest)
    timings(result.stopwatch, "write cleaned copies and manifest")
    click.echo(
        f"{written} documents written to {out_dir}, {removed} removals ({', '.join(sorted(kinds))}) in the manifest."
    )
    skipped_lines(result.skipped)
    return EXIT_OK
