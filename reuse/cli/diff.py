"""`reuse diff OLD NEW`: one readout against another."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click

from reuse.cli.app import EXIT_OK, EXIT_OVER_THRESHOLD
from reuse.cli.options import (
    against_options,
    format_option,
    id_key_option,
    inputs_from_options,
    mask_digits_option,
    min_span_option,
    output_option,
    progress_from_options,
    script_option,
    settings_from_options,
    text_key_option,
    unit_option,
    voice_options,
)
from reuse.cli.output import emit, guard

BIG_TEXT = 16_000_000
"""Characters of OLD and NEW together from which glibc is told to give big freed blocks back at once
(runtime.memory): at 100 MB each, the peak falls by about 300 MB, for some seconds of page faults."""


@click.command()
@click.argument("old")
@click.argument("new")
@format_option(["table", "json", "markdown", "html"])
@output_option
@click.option("--encoding", help="Decode both files with this encoding (default: UTF-8, else detected).")
@id_key_option
@text_key_option
@script_option
@unit_option
@mask_digits_option
@min_span_option
@click.option(
    "--fail-if-reused-over",
    type=click.FloatRange(0.0, 1.0),
    metavar="FRACTION",
    help="Exit with code 3 when more than FRACTION of NEW's characters are reused.",
)
@against_options
@voice_options
def diff(
    old: str,
    new: str,
    fmt: str,
    output: str | None,
    fail_if_reused_over: float | None,
    against: str | None,
    boilerplate_min_docs: int,
    **options: object,
) -> int:
    """Which passages of NEW are new, which reuse OLD, and from where.

    OLD and NEW are files read by the rules of every command (HTML pages as their text, a JSONL file of
    one document); either may be - for standard input. Exit codes: 0 done, 1 bad input or usage, 3 reused
    share over --fail-if-reused-over.
    """
    from reuse.commands.diff import diff as run_diff
    from reuse.errors import InputError
    from reuse.load.corpus import load_one
    from reuse.reports.diff import render_pieces

    protected = guard(output, [old, new], against)
    settings = settings_from_options()
    if old == new == "-":
        raise InputError("-: standard input can be OLD or NEW, not both")
    inputs = inputs_from_options()
    stdin = sys.stdin.buffer
    old_doc, new_doc = load_one(old, inputs, stdin), load_one(new, inputs, stdin)
    if len(old_doc.text) + len(new_doc.text) >= BIG_TEXT:
        from reuse.runtime.memory import return_big_blocks

        return_big_blocks()
    result = run_diff(old_doc, new_doc, settings, progress_from_options(), links=fmt == "html")
    report: str | Iterable[str]
    if against:
        from reuse.index.against import diff_against_index
        from reuse.reports.against import render_diff_against

        found = diff_against_index(result, against, boilerplate_min_docs)
        result, report = found.diff, render_diff_against(found, fmt)
    else:
        report = render_pieces(result, fmt)
    emit(report, output, protected)
    if fail_if_reused_over is not None and result.summary.reused_share > fail_if_reused_over:
        click.echo(f"reused share {result.summary.reused_share:.4f} is over {fail_if_reused_over}", err=True)
        return EXIT_OVER_THRESHOLD
    return EXIT_OK
