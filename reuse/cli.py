"""The `reuse` command: a table of contents of the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from reuse.errors import InputError, ReuseError
from reuse.reports.markup import visible
from reuse.settings import SCRIPTS, UNITS

EXIT_OK, EXIT_ERROR, EXIT_OVER_THRESHOLD = 0, 1, 3


EXIT_INTERRUPTED = 130


class Interrupted(Exception):
    """SIGTERM, turned into an exception so that pools and stores are closed on the way out."""


_MAIN_PID = os.getpid()


def _terminate(signum: int, frame: Any) -> None:
    if os.getpid() != _MAIN_PID:  # a forked worker inherited this handler: die as SIGTERM asks, quietly
        import signal

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Interrupted


class ReuseGroup(click.Group):
    """Every failure a user can cause ends in one line `Error: ...` and a non-zero exit code, never a traceback.

    Usage errors exit with 1 like every other bad input (click's default is 2); Ctrl-C and SIGTERM exit
    with 130 after the worker processes and the index are closed.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        import signal
        import threading

        from reuse.runtime.gc_pause import no_cyclic_gc

        kwargs["standalone_mode"] = False
        in_main_thread = threading.current_thread() is threading.main_thread()
        global _MAIN_PID
        _MAIN_PID = os.getpid()
        previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
        try:
            with no_cyclic_gc():  # a command is short-lived; its reports are millions of acyclic objects
                code = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as err:
            click.echo(err.ctx.get_help() if err.ctx is not None else err.format_message())
            sys.exit(EXIT_OK)
        except (KeyboardInterrupt, Interrupted, click.exceptions.Abort):
            _error("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as err:
            message = err.format_message()
            if isinstance(err, click.UsageError) and err.ctx is not None:
                command = " ".join(["reuse", *err.ctx.command_path.split()[1:]])  # whatever name it was run by
                message = f"{message.rstrip('.')}; see '{command} --help'"
            _error(message)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader went away (`reuse scan … | head`): nothing more to say, and nothing to say it to.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except MemoryError:
            _error("out of memory")
            sys.exit(EXIT_ERROR)
        except OSError as err:  # disk full, a file system gone read-only: not ours to explain further
            _error(f"{err.filename}: {err.strerror}" if err.filename else str(err))
            sys.exit(EXIT_ERROR)
        except Exception as err:
            if os.environ.get("REUSE_DEBUG"):
                raise
            _error(f"internal error ({type(err).__name__}: {err}); please report it, REUSE_DEBUG=1 shows where")
            sys.exit(EXIT_ERROR)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def invoke(self, ctx: click.Context) -> Any:
        """click answers Ctrl-C with an empty line before its Abort; we say `Error: interrupted` alone."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted from None


def display_spec(spec: str) -> str:
    """An index as it may be shown: a Redis password never appears in any output."""
    from reuse.index import display_spec as masked

    return masked(spec)


def _error(message: str) -> None:
    """One line on standard error, printable whatever bytes a file name held, inert in a terminal."""
    click.echo(f"Error: {visible(' '.join(message.split()))}", err=True)


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


def against_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--against INDEX and its boilerplate threshold, for diff and scan."""
    command = click.option(
        "--boilerplate-min-docs",
        type=click.IntRange(min=1),
        default=10,
        show_default=True,
        help="With --against: a passage held by this many indexed documents is boilerplate.",
    )(command)
    return click.option(
        "--against",
        metavar="INDEX",
        help="Also report passages a reuse index has seen (a file or redis:// URL), with their document counts.",
    )(command)


def _diff_against(result: Any, spec: str, boilerplate_min_docs: int, fmt: str) -> tuple[Any, str]:
    from reuse.index import open_index
    from reuse.index.against import diff_against
    from reuse.reports.against import render_diff_against

    store = open_index(spec, "read")
    try:
        found = diff_against(result, store, boilerplate_min_docs)
    finally:
        store.close()
    return found.diff, render_diff_against(found, fmt)


script_option = click.option(
    "--script",
    type=click.Choice(SCRIPTS),
    default="tw2sp",
    show_default=True,
    help="OpenCC conversion before matching.",
)
min_span_option = click.option(
    "--min-span",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Smallest reused span: Han characters count 1, words 2.",
)


@click.group(cls=ReuseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readout-reuse", prog_name="reuse")
def cli() -> None:
    """Find what is new and what is reused in readouts of diplomatic meetings."""


@cli.command()
@click.argument("old")
@click.argument("new")
@format_option(["table", "json", "markdown"])
@output_option
@click.option("--encoding", help="Decode both files with this encoding (default: UTF-8, else detected).")
@click.option("--id-key", default="id", show_default=True, help="JSONL: the key holding a document's id.")
@click.option("--text-key", default="text", show_default=True, help="JSONL: the key holding its text.")
@script_option
@click.option(
    "--unit", type=click.Choice(UNITS), default="sentence", show_default=True, help="Passage unit of the report."
)
@click.option(
    "--mask-digits/--no-mask-digits",
    default=True,
    show_default=True,
    help="Let any number match any number (dates, times, counts).",
)
@min_span_option
@click.option(
    "--fail-if-reused-over",
    type=click.FloatRange(0.0, 1.0),
    metavar="FRACTION",
    help="Exit with code 3 when more than FRACTION of NEW's characters are reused.",
)
@against_options
def diff(
    old: str,
    new: str,
    fmt: str,
    output: str | None,
    encoding: str | None,
    id_key: str,
    text_key: str,
    script: str,
    unit: str,
    mask_digits: bool,
    min_span: int,
    fail_if_reused_over: float | None,
    against: str | None,
    boilerplate_min_docs: int,
) -> int:
    """Which passages of NEW are new, which reuse OLD, and from where.

    OLD and NEW are files read by the rules of every command (HTML pages as their text, a JSONL file of
    one document); either may be - for standard input. Exit codes: 0 done, 1 bad input or usage, 3 reused
    share over --fail-if-reused-over.
    """
    from reuse.commands.diff import diff as run_diff
    from reuse.load.corpus import InputOptions, load_one
    from reuse.reports.diff import render
    from reuse.runtime.output import Protected, check_target, write_atomic
    from reuse.settings import Settings

    try:
        protected = Protected().add([old, new]).add_index(against)
        if output:
            check_target(output, protected)
        settings = Settings(script=script, unit=unit, mask_digits=mask_digits, min_span=min_span)  # type: ignore[arg-type]
        if old == new == "-":
            raise InputError("-: standard input can be OLD or NEW, not both")
        inputs = InputOptions(encoding=encoding, id_key=id_key, text_key=text_key)
        stdin = sys.stdin.buffer
        result = run_diff(load_one(old, inputs, stdin), load_one(new, inputs, stdin), settings)
        if against:
            result, report = _diff_against(result, against, boilerplate_min_docs, fmt)
        else:
            report = render(result, fmt)
        if output:
            write_atomic(output, report, protected)
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


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command reading a corpus shares: how to read the inputs and how to match."""
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
            script_option,
            min_span_option,
        ]
    ):
        command = option(command)
    return command


def corpus_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """input_options, and how to run over a whole corpus: processes and the time of each stage."""
    command = click.option("--timings", is_flag=True, help="Print the wall time of each stage to standard error.")(
        command
    )
    return input_options(jobs_option(command))


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
    from reuse.commands.scan import scan
    from reuse.load.corpus import InputOptions, load_corpus
    from reuse.runtime.stopwatch import Stopwatch
    from reuse.settings import Settings

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


def _scan_against(
    corpus: tuple[str, ...], options: dict[str, Any], spec: str, boilerplate_min_docs: int, fmt: str, limit: int
) -> tuple[str, Any]:
    """The scan report plus, per document, the passages the index has seen (reuse/index/against.py)."""
    from reuse.commands.scan import scan as run_scan
    from reuse.index import open_index
    from reuse.index.against import scan_against
    from reuse.reports import json_layout
    from reuse.reports.against import render_scan_against, scan_against_json
    from reuse.reports.markup import json_inert
    from reuse.reports.scan import render, to_json
    from reuse.settings import Settings

    documents = _load(corpus, options)
    settings = Settings(script=options["script"], min_span=options["min_span"])
    result = run_scan(documents, settings, jobs=options.get("jobs"))
    store = open_index(spec, "read")
    try:
        found = scan_against(documents.documents, store, settings, boilerplate_min_docs)
    finally:
        store.close()
    if fmt == "json":
        data = to_json(result)
        data["against"] = scan_against_json(display_spec(spec), found)
        return json_inert(json_layout.dumps(data)), documents
    return render(result, fmt, limit) + render_scan_against(display_spec(spec), found, fmt, limit), documents


def _guard(output: str | None, inputs: tuple[str, ...], index: str | None = None) -> Any:
    """What this run must not write over; an unusable -o is refused before any work is done."""
    from reuse.runtime.output import Protected, check_target

    protected = Protected().add(inputs).add_index(index)
    if output:
        check_target(output, protected)
    return protected


def _emit(report: str, output: str | None, protected: Any, read: Iterable[str] = ()) -> None:
    """The report to -o (never over an input, its files read included) or to standard output."""
    from reuse.runtime.output import write_atomic

    if not output:
        click.echo(report, nl=False)
        return
    protected.add(read)  # a hard link or another name of a file read from inside a directory
    write_atomic(output, report, protected)


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
@against_options
def scan(
    corpus: tuple[str, ...],
    fmt: str,
    limit: int,
    output: str | None,
    against: str | None,
    boilerplate_min_docs: int,
    **options: Any,
) -> int:
    """Families of reuse across a corpus: boilerplate, repeats, formulae, reused passages.

    CORPUS is files, directories (read recursively), JSONL files (one document per line) or - for
    standard input. Exit codes: 0 done, 1 bad input or usage.
    """
    from reuse.reports.scan import render

    try:
        protected = _guard(output, corpus, against)
        if against:
            report, documents = _scan_against(corpus, options, against, boilerplate_min_docs, fmt, limit)
            _emit(report, output, protected, [doc.path for doc in documents.documents])
        else:
            result = _scan(corpus, **options)
            _emit(render(result, fmt, limit), output, protected, [s.document.path for s in result.scanned])
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
    from reuse.commands.audit import audit as run_audit
    from reuse.reports.audit import render

    try:
        protected = _guard(output, corpus)
        scanned = _scan(corpus, for_audit=True, **options)
        result = run_audit(scanned, max_boilerplate)
        _emit(render(result, fmt), output, protected, [s.document.path for s in scanned.scanned])
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
    from reuse.commands.clean import clean as run_clean

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
        click.echo(visible(f"skipped {skipped.source}: {skipped.reason}"))
    return EXIT_OK


@cli.group(cls=click.Group)
def index() -> None:
    """A persistent reuse index: check each new readout against every readout seen before.

    --index is a file (SQLite, the default) or redis://host:port/db?prefix=NAME for an index shared
    on a Redis server. Commands: build, add, query, stats, remove.
    """


index_option = click.option(
    "--index",
    "index_spec",
    required=True,
    envvar="REUSE_INDEX",
    metavar="PATH|URL",
    help="The index: an SQLite file, or redis://host:port/db?prefix=NAME (env: REUSE_INDEX).",
)

# Settings the corpus options can set, by option name.
_SETTING_OPTIONS = {"script": "script", "min_span": "min_span"}


def _explicit_settings(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """Settings given on the command line (not left at their defaults): add and query check them."""
    from click.core import ParameterSource

    return {
        field: options[name]
        for name, field in _SETTING_OPTIONS.items()
        if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)
    }


def _load(corpus: tuple[str, ...], options: dict[str, Any]) -> Any:
    from reuse.load.corpus import InputOptions, load_corpus

    inputs = InputOptions(
        glob=options["glob"],
        encoding=options["encoding"],
        id_key=options["id_key"],
        text_key=options["text_key"],
        skip_bad=options["skip_bad"],
    )
    return load_corpus(list(corpus), inputs, sys.stdin.buffer if "-" in corpus else None)


def _index_corpus(
    ctx: click.Context, corpus: tuple[str, ...], index_spec: str, create: bool, force: bool, options: dict[str, Any]
) -> None:
    import time

    from reuse.index import add_documents, open_index
    from reuse.index.store import check_settings
    from reuse.runtime.stopwatch import Stopwatch
    from reuse.settings import Settings

    stopwatch = Stopwatch()
    try:
        documents = _load(corpus, options)
        stopwatch.lap("read and decode inputs")
        started = time.perf_counter()
        if create:
            settings = Settings(script=options["script"], min_span=options["min_span"])
            store = open_index(index_spec, "create", settings, force=force)
        else:
            store = open_index(index_spec, "write")
        try:
            explicit = _explicit_settings(ctx, options)
            check_settings(store.spec, store.settings, store.settings.replace(**explicit))
            written, replaced, passages = add_documents(store, documents.documents, options.get("jobs"))
        finally:
            store.close()
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    seconds = time.perf_counter() - started
    rate = f", {passages / seconds:,.0f} passages/s" if seconds > 0 else ""
    click.echo(
        f"{written} documents ({passages} passages) indexed in {display_spec(index_spec)} in {seconds:.1f} s{rate}"
        + (f"; {replaced} replaced documents with the same id." if replaced else ".")
    )
    if options.get("timings"):
        stopwatch.lap("analyse and write (analysis in worker processes)")
        click.echo(stopwatch.table(), err=True, nl=False)
    for skipped in documents.skipped:
        click.echo(visible(f"skipped {skipped.source}: {skipped.reason}"))


@index.command("build")
@corpus_options
@index_option
@click.option("--force", is_flag=True, help="Replace an existing index at PATH (only ever a reuse index).")
@click.pass_context
def index_build(ctx: click.Context, corpus: tuple[str, ...], index_spec: str, force: bool, **options: Any) -> int:
    """Create an index from CORPUS (files, directories, JSONL, - for standard input).

    The index stores the settings (--script, --min-span); add and query refuse other settings.
    """
    _index_corpus(ctx, corpus, index_spec, True, force, options)
    return EXIT_OK


@index.command("add")
@corpus_options
@index_option
@click.pass_context
def index_add(ctx: click.Context, corpus: tuple[str, ...], index_spec: str, **options: Any) -> int:
    """Add documents to an index; a document whose id is already there replaces it.

    Added documents can be queried at once. Settings are the index's own.
    """
    _index_corpus(ctx, corpus, index_spec, False, False, options)
    return EXIT_OK


@index.command("query")
@input_options
@index_option
@format_option(["table", "json", "markdown"])
@output_option
@click.option(
    "--max-matches",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Matches listed per passage (documents still counts them all).",
)
@click.pass_context
def index_query(
    ctx: click.Context,
    corpus: tuple[str, ...],
    index_spec: str,
    fmt: str,
    output: str | None,
    max_matches: int,
    **options: Any,
) -> int:
    """Which passages of each DOC are new, reused or partial against the index, and where seen.

    A document's own copy in the index (same id) is ignored.
    """
    from reuse.index import open_index
    from reuse.index.query import query_analysis
    from reuse.index.store import check_settings
    from reuse.reports.index import render

    try:
        protected = _guard(output, corpus, index_spec)
        documents = _load(corpus, options)
        store = open_index(index_spec, "read")
        try:
            check_settings(store.spec, store.settings, store.settings.replace(**_explicit_settings(ctx, options)))
            from reuse.sketch.analysis import analyze

            results = [
                query_analysis(store, analyze(doc, store.settings), max_matches=max_matches)
                for doc in documents.documents
            ]
            report = render(display_spec(index_spec), store.settings, results, fmt)
        finally:
            store.close()
        _emit(report, output, protected, [doc.path for doc in documents.documents])
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    return EXIT_OK


@index.command("stats")
@index_option
@format_option(["table", "json"])
@click.option("--check", is_flag=True, help="Also check the index for inconsistencies (reads all of it).")
def index_stats(index_spec: str, fmt: str, check: bool) -> int:
    """Documents, passages, size and settings of an index. Exit 1 when --check finds a problem."""
    from reuse.index import open_index
    from reuse.reports.index import render_stats

    try:
        store = open_index(index_spec, "read")
        try:
            stats = store.stats(check=check)
        finally:
            store.close()
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    click.echo(render_stats(stats, fmt, check), nl=False)
    if stats.problems:
        raise click.ClickException(f"{display_spec(index_spec)}: inconsistent index: {'; '.join(stats.problems)}")
    return EXIT_OK


@index.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@index_option
def index_remove(doc_ids: tuple[str, ...], index_spec: str) -> int:
    """Remove documents by id (as stats and query show them). All or nothing: an unknown id removes none."""
    from reuse.errors import IndexStoreError
    from reuse.index import open_index

    try:
        store = open_index(index_spec, "write")
        try:
            unknown = [doc_id for doc_id in dict.fromkeys(doc_ids) if store.document(doc_id) is None]
            if unknown:
                raise IndexStoreError(
                    f"{display_spec(index_spec)}: no document {', '.join(repr(u) for u in unknown)} in the index; nothing removed"
                )
            store.remove(list(dict.fromkeys(doc_ids)))
        finally:
            store.close()
    except ReuseError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{len(set(doc_ids))} documents removed from {display_spec(index_spec)}.")
    return EXIT_OK


def main() -> None:
    cli()
