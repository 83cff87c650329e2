"""`reuse align A [B]`: the Chinese and English versions of a readout, passage by passage."""

from __future__ import annotations

import sys

import click

from reuse.cli.app import EXIT_OK
from reuse.cli.options import (
    format_option,
    id_key_option,
    inputs_from_options,
    output_option,
    settings_from_options,
    text_key_option,
)
from reuse.cli.output import emit, guard


@click.command()
@click.argument("first")
@click.argument("second", required=False)
@format_option(["table", "json", "markdown", "html"])
@output_option
@click.option("--encoding", help="Decode the files with this encoding (default: UTF-8, else detected).")
@id_key_option
@text_key_option
def align(first: str, second: str | None, fmt: str, output: str | None, **options: object) -> int:
    """Which passages of a readout's Chinese version the English renders, and what either leaves out.

    With FIRST alone, its Chinese passages are aligned with its English ones (a bilingual readout); with
    SECOND, the Chinese passages of one with the English passages of the other, in either order. Each
    passage is translated, partial (its counterpart is clearly shorter than a translation would be) or
    untranslated. Offline: CC-CEDICT (pip install 'readout-reuse[align]'). Exit codes: 0 done, 1 bad input.
    """
    from reuse.commands.align import align_documents
    from reuse.errors import InputError
    from reuse.load.corpus import load_one
    from reuse.reports.align import render

    protected = guard(output, [first] + ([second] if second else []), None)
    if first == second == "-":
        raise InputError("-: standard input can be FIRST or SECOND, not both")
    inputs, stdin = inputs_from_options(), sys.stdin.buffer
    result = align_documents(
        load_one(first, inputs, stdin), load_one(second, inputs, stdin) if second else None, settings_from_options()
    )
    emit(render(result, fmt), output, protected)
    return EXIT_OK
