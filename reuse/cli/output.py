"""Where a command's report goes: standard output or `-o FILE`, never over what the run reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from reuse.load.corpus import Skipped
    from reuse.runtime.output import Protected
    from reuse.runtime.stopwatch import Stopwatch


def guard(output: str | None, inputs: Iterable[str], index: str | None = None) -> Protected:
    """What this run must not write over; an unusable -o is refused before any work is done."""
    from reuse.runtime.output import Protected, check_target

    protected = Protected().add(inputs).add_index(index)
    if output:
        check_target(output, protected)
    return protected


def emit(report: str | Iterable[str], output: str | None, protected: Protected, read: Iterable[str] = ()) -> None:
    """The report (or its pieces, written as they come) to -o (never over an input, its files read
    included) or to standard output."""
    from reuse.runtime.output import write_atomic

    if not output:
        batch: list[str] = []
        size = 0
        for piece in [report] if isinstance(report, str) else report:
            batch.append(piece)
            size += len(piece)
            if size >= 1 << 20:  # a megabyte at a time: click.echo flushes on every call
                click.echo("".join(batch), nl=False)
                batch, size = [], 0
        click.echo("".join(batch), nl=False)
        return
    protected.add(read)  # a hard link or another name of a file read from inside a directory
    write_atomic(output, report, protected)


def timings(stopwatch: Stopwatch, last_stage: str) -> None:
    """Close the last stage and print the table of stages to standard error, when --timings asked for it."""
    if click.get_current_context().params.get("timings"):
        stopwatch.lap(last_stage)
        click.echo(stopwatch.table(), err=True, nl=False)


def skipped_lines(skipped: Iterable[Skipped]) -> None:
    """The inputs --skip-bad passed over, one line each, after the summary."""
    from reuse.reports.markup import visible

    for each in skipped:
        click.echo(visible(f"skipped {each.source}: {each.reason}"))
