"""`reuse scan`, `reuse audit`, `reuse clean`: a whole corpus read, scanned, then reported or cleaned."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from typing import TYPE_CHECKING

import click

from reuse.cli.app import EXIT_OK, EXIT_OVER_THRESHOLD
from reuse.cli.options import (
    against_options,
    cluster_from_options,
    corpus_options,
    format_option,
    inputs_from_options,
    load_inputs,
    output_option,
    progress_from_options,
    settings_from_options,
)
from reuse.cli.output import emit, guard, skipped_lines, timings
from reuse.kinds import BOILERPLATE, FORMULA, REPEAT, REUSED

if TYPE_CHECKING:
    from distributed import Client

    from reuse.commands.on_cluster import ClusterScan
    from reuse.commands.scan import ScanResult
    from reuse.index.against import DocumentAgainst


class _CorpusRun:
    """CORPUS read and scanned as the options say, in this process or on the cluster --cluster names,
    each stage on the result's stopwatch; the cluster's client stays open for audit and clean."""

    def __init__(self, corpus: tuple[str, ...], jobs: int | None, for_audit: bool = False) -> None:
        self.corpus, self.jobs, self.for_audit = corpus, jobs, for_audit
        self.on_cluster: ClusterScan | None = None
        self.client: Client | None = None
        self._stack = ExitStack()

    def __enter__(self) -> _CorpusRun:  # noqa: PYI034 (Self needs Python 3.11)
        from reuse.runtime.stopwatch import Stopwatch

        params = click.get_current_context().params
        stopwatch = Stopwatch(progress_from_options())
        if not params.get("cluster"):
            from reuse.commands.scan import scan

            documents = load_inputs(self.corpus)
            stopwatch.lap("read and decode inputs")
            self.result = scan(
                documents, settings_from_options(), jobs=self.jobs, for_audit=self.for_audit, stopwatch=stopwatch
            )
            self.read = [prepared.document.path for prepared in self.result.prepared]
            return self
        from reuse.commands.cluster_tasks import release
        from reuse.commands.on_cluster import scan_on_cluster

        with self._stack:
            self.client = self._stack.enter_context(cluster_from_options())
            stopwatch.lap("start or reach the cluster")
            self.on_cluster = scan_on_cluster(
                self.client,
                list(self.corpus),
                inputs_from_options(),
                settings_from_options(),
                self.for_audit,
                stopwatch,
            )
            self._stack.callback(release, self.client, self.on_cluster.token)
            self._stack = self._stack.pop_all()
        self.result = self.on_cluster.result
        self.read = self.on_cluster.paths
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


@click.command()
@corpus_options
@format_option(["table", "json", "markdown", "html"])
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
    from reuse.reports.scan import render_pieces

    if against and options.get("cluster"):
        raise click.UsageError("--against looks each passage up in the index from this process: drop --cluster")
    if against and fmt == "html":
        raise click.UsageError("--against is not shown in the HTML report yet: use --format json, table or markdown")
    protected = guard(output, corpus, against)
    with _CorpusRun(corpus, jobs) as run:
        result = run.result
        report: str | Iterable[str]
        if against:
            from reuse.index.against import scan_against_index

            found = scan_against_index(result, against, boilerplate_min_docs)
            report = _with_against(result, against, found, fmt, limit)
        else:
            report = render_pieces(result, fmt, limit)
        emit(report, output, protected, run.read)
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
@format_option(["table", "json", "html"])
@click.option(
    "--max-boilerplate",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="List documents whose boilerplate share is over this.",
)
@click.option(
    "--near-threshold",
    "near_duplicate",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    metavar="SIMILARITY",
    help="Estimated Jaccard similarity of two documents' shingles from which they are near duplicates "
    "[default: 0.8, or the settings file's near_duplicate].",
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
    near_duplicate: float | None,
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
    with _CorpusRun(corpus, jobs, for_audit=True) as run:
        if run.on_cluster:
            from reuse.commands.on_cluster import audit_on_cluster

            result = audit_on_cluster(run.on_cluster, max_boilerplate)
        else:
            result = run_audit(run.result, max_boilerplate)
        emit(render(result, fmt), output, protected, run.read)
    timings(run.result.stopwatch, "audit and report")
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
    with _CorpusRun(corpus, jobs) as run:
        result = run.result
        if run.on_cluster and run.client:
            from reuse.commands.on_cluster import clean_on_cluster

            written, removed = clean_on_cluster(run.client, run.on_cluster, out_dir, list(corpus), kinds, manifest)
        else:
            written, removed = run_clean(result, out_dir, list(corpus), kinds, manifest)
    timings(result.stopwatch, "write cleaned copies and manifest")
    click.echo(
        f"{written} documents written to {out_dir}, {removed} removals ({', '.join(sorted(kinds))}) in the manifest."
    )
    skipped_lines(result.skipped)
    return EXIT_OK
