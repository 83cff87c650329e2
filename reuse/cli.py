"""The `reuse` command: a table of contents of the library."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from .errors import ReuseError
from .settings import SCRIPTS, UNITS

EXIT_OK, EXIT_ERROR, EXIT_OVER_THRESHOLD = 0, 1, 3


class ReuseGroup(click.Group):
    """Usage errors exit with 1 like every other bad input (click's default is 2), with one Error: line."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.Abort:
            click.echo("Error: aborted", err=True)
            sys.exit(EXIT_ERROR)
        except click.ClickException as err:
            if isinstance(err, click.UsageError) and err.ctx is not None:
                click.echo(err.ctx.get_usage(), err=True)
            click.echo(f"Error: {err.format_message()}", err=True)
            sys.exit(EXIT_ERROR)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def format_option(choices: list[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default="table", show_default=True, help="Report format."
    )


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of standard output.",
)


@click.group(cls=ReuseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readout-reuse", prog_name="reuse")
def cli() -> None:
    """Find what is new and what is reused in readouts of diplomatic meetings."""


@cli.command()
@click.argument("old", type=click.Path(dir_okay=True, allow_dash=False))
@click.argument("new", type=click.Path(dir_okay=True, allow_dash=False))
@format_option(["table", "json", "markdown"])
@output_option
@click.option("--encoding", help="Encoding of both files (default: UTF-8, BOM stripped).")
@click.option(
    "--script",
    type=click.Choice(SCRIPTS),
    default="tw2sp",
    show_default=True,
    help="OpenCC conversion before matching.",
)
@click.option(
    "--unit", type=click.Choice(UNITS), default="sentence", show_default=True, help="Passage unit of the report."
)
@click.option(
    "--mask-digits/--no-mask-digits",
    default=True,
    show_default=True,
    help="Let any number match any number (dates, times, counts).",
)
@click.option(
    "--min-span",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Smallest reused span: Han characters count 1, words 2.",
)
@click.option(
    "--fail-if-reused-over",
    type=click.FloatRange(0.0, 1.0),
    metavar="FRACTION",
    help="Exit with code 3 when more than FRACTION of NEW's characters are reused.",
)
def diff(
    old: str,
    new: str,
    fmt: str,
    output: str | None,
    encoding: str | None,
    script: str,
    unit: str,
    mask_digits: bool,
    min_span: int,
    fail_if_reused_over: float | None,
) -> int:
    """Which passages of NEW are new, which reuse OLD, and from where.

    Exit codes: 0 done, 1 bad input or usage, 3 reused share over --fail-if-reused-over.
    """
    from .diff import diff as run_diff
    from .document import load_document
    from .output import write_atomic
    from .report import render
    from .settings import Settings

    try:
        settings = Settings(script=script, unit=unit, mask_digits=mask_digits, min_span=min_span)  # type: ignore[arg-type]
        result = run_diff(load_document(old, encoding), load_document(new, encoding), settings)
        report = render(result, fmt)
        if output:
            write_atomic(output, report, [old, new])
        else:
            click.echo(report, nl=False)
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    if fail_if_reused_over is not None and result.summary.reused_share > fail_if_reused_over:
        click.echo(f"reused share {result.summary.reused_share:.4f} is over {fail_if_reused_over}", err=True)
        return EXIT_OVER_THRESHOLD
    return EXIT_OK


jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to use (default: all cores). The output is the same whatever the number.",
)


def corpus_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every corpus command shares: how to read the inputs and how to match."""
    for option in reversed(
        [
            click.argument("corpus", nargs=-1, required=True),
            click.option("--glob", help="Only files whose path inside a directory matches this pattern (e.g. '*.md')."),
            click.option("--encoding", help="Decode every file with this encoding (default: UTF-8, else detected)."),
            click.option("--id-key", default="id", show_default=True, help="JSONL: the key holding a document's id."),
            click.option("--text-key", default="text", show_default=True, help="JSONL: the key holding its text."),
            click.option(
                "--skip-bad", is_flag=True, help="Skip unreadable inputs (listed in the report) instead of stopping."
            ),
            click.option(
                "--script",
                type=click.Choice(SCRIPTS),
                default="tw2sp",
                show_default=True,
                help="OpenCC conversion before matching.",
            ),
            click.option(
                "--min-span",
                type=click.IntRange(min=1),
                default=10,
                show_default=True,
                help="Smallest reused span (Han character 1, word 2).",
            ),
            jobs_option,
            click.option("--timings", is_flag=True, help="Print the wall time of each stage to standard error."),
        ]
    ):
        command = option(command)
    return command


def _scan(
    corpus: tuple[str, ...],
    glob: str | None,
    encoding: str | None,
    id_key: str,
    text_key: str,
    skip_bad: bool,
    script: str,
    min_span: int,
    jobs: int | None,
    timings: bool,
    for_audit: bool = False,
) -> Any:
    from .corpus import InputOptions, load_corpus
    from .scan import scan
    from .settings import Settings
    from .stopwatch import Stopwatch

    options = InputOptions(glob=glob, encoding=encoding, id_key=id_key, text_key=text_key, skip_bad=skip_bad)
    stdin = sys.stdin.buffer if "-" in corpus else None
    stopwatch = Stopwatch()
    documents = load_corpus(list(corpus), options, stdin)
    stopwatch.lap("read and decode inputs")
    settings = Settings(script=script, min_span=min_span)  # type: ignore[arg-type]
    return scan(documents, settings, jobs=jobs, for_audit=for_audit, stopwatch=stopwatch)


def _timings(scanned: Any, stage: str, options: dict[str, Any]) -> None:
    """Close the last stage and print the table of stages, when --timings asked for it."""
    if options.get("timings"):
        scanned.stopwatch.lap(stage)
        click.echo(scanned.stopwatch.table(), err=True, nl=False)


def _emit(report: str, output: str | None, inputs: tuple[str, ...]) -> None:
    from .output import write_atomic

    if output:
        write_atomic(output, report, [i for i in inputs if i != "-"])
    else:
        click.echo(report, nl=False)


@cli.command()
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
def scan(corpus: tuple[str, ...], fmt: str, limit: int, output: str | None, **options: Any) -> int:
    """Families of reuse across a corpus: boilerplate, repeats, formulae, reused passages.

    CORPUS is files, directories (read recursively), JSONL files (one document per line) or - for
    standard input. Exit codes: 0 done, 1 bad input or usage.
    """
    from .scan_report import render

    try:
        result = _scan(corpus, **options)
        _emit(render(result, fmt, limit), output, corpus)
        _timings(result, "report", options)
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    return EXIT_OK


@cli.command()
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
    **options: Any,
) -> int:
    """How clean is a corpus: duplicates, boilerplate, repeats, mixed scripts, fragments, empty documents.

    Exit codes: 0 done, 1 bad input or usage, 3 boilerplate share over --fail-over.
    """
    from .audit import audit as run_audit
    from .audit_report import render

    try:
        scanned = _scan(corpus, for_audit=True, **options)
        result = run_audit(scanned, max_boilerplate)
        _emit(render(result, fmt), output, corpus)
        _timings(scanned, "audit and report", options)
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    if fail_over is not None and result.boilerplate_share > fail_over:
        click.echo(f"boilerplate share {result.boilerplate_share:.4f} is over {fail_over}", err=True)
        return EXIT_OVER_THRESHOLD
    return EXIT_OK


@cli.command()
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
    **options: Any,
) -> int:
    """Write cleaned copies of the corpus and a manifest (JSONL) of every removal.

    Boilerplate and in-document repeats are removed by default. Inputs are never touched.
    """
    from .clean import clean as run_clean

    kinds = {"boilerplate"} | ({"repeat"} if not keep_repeats else set())
    kinds |= {"formula"} if remove_formulae else set()
    kinds |= {"reused"} if remove_reused else set()
    try:
        result = _scan(corpus, **options)
        written, removed = run_clean(result, out_dir, list(corpus), kinds, manifest)
        _timings(result, "write cleaned copies and manifest", options)
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    click.echo(
        f"{written} documents written to {out_dir}, {removed} removals ({', '.join(sorted(kinds))}) in the manifest."
    )
    for skipped in result.skipped:
        click.echo(f"skipped {skipped.source}: {skipped.reason}")
    return EXIT_OK


def main() -> None:
    cli()
