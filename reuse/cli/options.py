"""The options commands share, and the one place their values become library objects.

Settings and InputOptions are built from the running command's parameters (`click`'s current
context), so that every command asks for the same setting by the same option and means the same by it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import click

from reuse.settings import BOILERPLATE_MIN_DOCS, SCRIPTS, UNITS, Settings

DEFAULTS = Settings()
"""Option defaults are the library's: one place says what a default is."""

if TYPE_CHECKING:
    from distributed import Client

    from reuse.load.corpus import Corpus, InputOptions
    from reuse.runtime.configuration import Configured
    from reuse.runtime.progress import Progress

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

SETTING_OPTIONS = ("script", "unit", "mask_digits", "min_span", "near_duplicate")
"""Options that are Settings fields of the same name (a command has those it needs)."""

INPUT_OPTIONS = ("glob", "encoding", "id_key", "text_key", "skip_bad")
"""Options that are InputOptions fields of the same name."""


def format_option(choices: list[str]) -> Decorator:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default="table", show_default=True, help="Report format."
    )


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE (atomically) instead of standard output.",
)


def against_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--against INDEX and its boilerplate threshold, for diff and scan."""
    command = click.option(
        "--boilerplate-min-docs",
        type=click.IntRange(min=1),
        default=BOILERPLATE_MIN_DOCS,
        show_default=True,
        help="With --against: a passage held by this many indexed documents is boilerplate.",
    )(command)
    return click.option(
        "--against",
        metavar="INDEX",
        help="Also report passages a reuse index has seen (a file or redis:// URL), with their document counts.",
    )(command)


id_key_option = click.option(
    "--id-key", default="id", show_default=True, help="JSONL: the key holding a document's id."
)
text_key_option = click.option("--text-key", default="text", show_default=True, help="JSONL: the key holding its text.")
script_option = click.option(
    "--script",
    type=click.Choice(SCRIPTS),
    default=DEFAULTS.script,
    show_default=True,
    help="OpenCC conversion before matching.",
)
min_span_option = click.option(
    "--min-span",
    type=click.IntRange(min=1),
    default=DEFAULTS.min_span,
    show_default=True,
    help="Smallest reused span: Han characters count 1, words 2.",
)
unit_option = click.option(
    "--unit", type=click.Choice(UNITS), default=DEFAULTS.unit, show_default=True, help="Passage unit of the report."
)
mask_digits_option = click.option(
    "--mask-digits/--no-mask-digits",
    default=DEFAULTS.mask_digits,
    show_default=True,
    help="Let any number match any number (dates, times, counts).",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes to use (default: all cores). The output is the same whatever the number.",
)
index_option = click.option(
    "--index",
    "index_spec",
    required=True,
    envvar="REUSE_INDEX",
    metavar="PATH|URL",
    help="The index: an SQLite file, or redis://host:port/db?prefix=NAME (env: REUSE_INDEX).",
)


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command reading a corpus shares: how to read the inputs and how to match."""
    for option in reversed(
        [
            click.argument("corpus", nargs=-1, required=True),
            click.option("--glob", help="Only files whose path inside a directory matches this pattern (e.g. '*.md')."),
            click.option("--encoding", help="Decode every file with this encoding (default: UTF-8, else detected)."),
            id_key_option,
            text_key_option,
            click.option(
                "--skip-bad", is_flag=True, help="Skip unreadable inputs (listed in the report) instead of stopping."
            ),
            script_option,
            min_span_option,
        ]
    ):
        command = option(command)
    return command


def cluster_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where a corpus command runs: in this process (the default), or on a Dask cluster."""
    for option in reversed(
        [
            click.option(
                "--cluster",
                envvar="REUSE_CLUSTER",
                metavar="ADDRESS",
                help="Run on a Dask cluster: a scheduler's address (tcp://host:8786), or local[:N] for N "
                "worker processes here, spilling to disk (env: REUSE_CLUSTER). Same output as without.",
            ),
            click.option(
                "--worker-memory",
                metavar="SIZE",
                help="Memory of each worker of a local cluster (e.g. 1.5GB), past which it spills to disk "
                "(default: this machine's memory shared out).",
            ),
        ]
    ):
        command = option(command)
    return command


def voice_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """-q and -v: how much a command says on standard error besides its errors."""
    command = click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Say more on standard error: each stage and its time, worker counts, the Dask dashboard.",
    )(command)
    return click.option(
        "--quiet", "-q", is_flag=True, help="No progress bars (shown only when standard error is a terminal)."
    )(command)


def progress_from_options() -> Progress:
    """Bars on standard error when it is a terminal and -q was not given; else silence. -v also logs
    each stage as it ends."""
    import logging

    from reuse.runtime.progress import Progress, TerminalProgress

    params = click.get_current_context().params
    if params.get("verbose"):
        logger = logging.getLogger("reuse")
        ours = [h for h in logger.handlers if h.get_name() == "reuse-cli"]
        if ours:
            ours[0].setStream(sys.stderr)  # type: ignore[attr-defined]  # this run's (a test runner swaps it)
        else:
            handler = logging.StreamHandler(sys.stderr)
            handler.set_name("reuse-cli")
            handler.setFormatter(logging.Formatter("reuse: %(message)s"))
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    stream = sys.stderr
    if params.get("quiet") or not stream.isatty():
        return Progress()
    return TerminalProgress(stream)


def cluster_from_options() -> AbstractContextManager[Client]:
    """The cluster --cluster names, as a client for the run (--worker-memory, and -v for its dashboard)."""
    from reuse.runtime.cluster import cluster_client

    params = click.get_current_context().params
    say = (lambda line: click.echo(line, err=True)) if params.get("verbose") else None
    return cluster_client(params["cluster"], params.get("worker_memory"), say)


def corpus_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """input_options, and how to run over a whole corpus: processes or a cluster, the time of each stage."""
    command = click.option("--timings", is_flag=True, help="Print the wall time of each stage to standard error.")(
        command
    )
    return input_options(jobs_option(cluster_options(voice_options(command))))


def settings_from_options(base: Settings | None = None) -> Settings:
    """The Settings the running command's options ask for.

    Without base: the setting options given on the command line, over the environment's REUSE_*
    variables, over the settings file (reuse.toml, or [tool.reuse] in pyproject.toml), over the library's
    defaults. With base (an index's own settings): only the options given on the command line, over
    base, so that a default left alone never reads as a request for other settings.
    """
    if base is None:
        return configured_from_options().settings
    return base.replace(**_given_settings())


def _given_settings() -> dict[str, Any]:
    """The setting options given on the command line (not left at their defaults)."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    return {
        name: ctx.params[name]
        for name in SETTING_OPTIONS
        if name in ctx.params and ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)
    }


def configured_from_options() -> Configured:
    """The settings file and environment of this run (runtime.configuration), under the options given."""
    import os
    from pathlib import Path

    from reuse.runtime.configuration import configured

    return configured(Path.cwd(), os.environ).over(_given_settings(), "command line")


def inputs_from_options() -> InputOptions:
    """How the running command's options say to read its inputs."""
    from reuse.load.corpus import InputOptions

    params = click.get_current_context().params
    return InputOptions(**{name: params[name] for name in INPUT_OPTIONS if name in params})


def load_inputs(corpus: tuple[str, ...]) -> Corpus:
    """CORPUS read as the options say; standard input only when it is named ('-')."""
    from reuse.load.corpus import load_corpus

    return load_corpus(list(corpus), inputs_from_options(), sys.stdin.buffer if "-" in corpus else None)
