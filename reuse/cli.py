"""The `reuse` command: a table of contents of the library."""

from __future__ import annotations

import sys
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


@click.group(cls=ReuseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readout-reuse", prog_name="reuse")
def cli() -> None:
    """Find what is new and what is reused in readouts of diplomatic meetings."""


@cli.command()
@click.argument("old", type=click.Path(dir_okay=True, allow_dash=False))
@click.argument("new", type=click.Path(dir_okay=True, allow_dash=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of standard output.",
)
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


def main() -> None:
    cli()
