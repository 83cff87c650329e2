"""`reuse index build|add|query|stats|remove`: a persistent index of every readout seen before."""

from __future__ import annotations

from contextlib import ExitStack

import click

from reuse.cli.app import EXIT_OK
from reuse.cli.options import (
    cluster_from_options,
    corpus_options,
    format_option,
    index_option,
    input_options,
    inputs_from_options,
    load_inputs,
    output_option,
    progress_from_options,
    settings_from_options,
    voice_options,
)
from reuse.cli.output import emit, guard, skipped_lines, timings
from reuse.settings import MAX_MATCHES


@click.group(cls=click.Group)
def index() -> None:
    """A persistent reuse index: check each new readout against every readout seen before.

    --index is a file (SQLite, the default) or redis://host:port/db?prefix=NAME for an index shared
    on a Redis server. Commands: build, add, query, stats, remove.
    """


def _index_corpus(corpus: tuple[str, ...], index_spec: str, create: bool, force: bool, jobs: int | None) -> None:
    """build and add: read CORPUS, then analyse and write it with the index's settings, and say how it went."""
    from reuse.index import add_documents, display_spec, open_index
    from reuse.index.store import check_settings
    from reuse.runtime.output import Protected
    from reuse.runtime.stopwatch import Stopwatch

    # An index among the inputs would be read as a document by the next run over them, or be one already.
    if "://" not in index_spec:
        Protected().add(corpus).check(index_spec)
    stopwatch = Stopwatch(progress_from_options())
    params = click.get_current_context().params
    with ExitStack() as stack:
        if params.get("cluster"):
            client = stack.enter_context(cluster_from_options())
            stopwatch.lap("start or reach the cluster")
        else:
            documents = load_inputs(corpus)
            skipped = documents.skipped
            stopwatch.lap("read and decode inputs")
        if create:
            opened = open_index(index_spec, "create", settings_from_options(), force=force)
        else:
            opened = open_index(index_spec, "write")
        with opened as store:
            check_settings(store.spec, store.settings, settings_from_options(store.settings))
            if params.get("cluster"):
                from reuse.index.cluster_add import add_on_cluster

                added, skipped = add_on_cluster(client, store, list(corpus), inputs_from_options())
            else:
                added = add_documents(store, documents.documents, jobs, stopwatch.progress)
    rate = f", {added.rate:,.0f} passages/s" if added.rate is not None else ""
    click.echo(
        f"{added.written} documents ({added.passages} passages) indexed in {display_spec(index_spec)} "
        f"in {added.seconds:.1f} s{rate}"
        + (f"; {added.replaced} replaced documents with the same id." if added.replaced else ".")
    )
    timings(stopwatch, "analyse and write (analysis in worker processes)")
    skipped_lines(skipped)


@index.command("build")
@corpus_options
@index_option
@click.option("--force", is_flag=True, help="Replace an existing index at PATH (only ever a reuse index).")
def index_build(corpus: tuple[str, ...], index_spec: str, force: bool, jobs: int | None, **options: object) -> int:
    """Create an index from CORPUS (files, directories, JSONL, - for standard input).

    The index stores the settings (--script, --min-span); add and query refuse other settings.
    """
    _index_corpus(corpus, index_spec, True, force, jobs)
    return EXIT_OK


@index.command("add")
@corpus_options
@index_option
def index_add(corpus: tuple[str, ...], index_spec: str, jobs: int | None, **options: object) -> int:
    """Add documents to an index; a document whose id is already there replaces it.

    Added documents can be queried at once. Settings are the index's own.
    """
    _index_corpus(corpus, index_spec, False, False, jobs)
    return EXIT_OK


@index.command("query")
@input_options
@index_option
@voice_options
@format_option(["table", "json", "markdown", "html"])
@output_option
@click.option(
    "--max-matches",
    type=click.IntRange(min=1),
    default=MAX_MATCHES,
    show_default=True,
    help="Matches listed per passage (documents still counts them all).",
)
def index_query(
    corpus: tuple[str, ...], index_spec: str, fmt: str, output: str | None, max_matches: int, **options: object
) -> int:
    """Which passages of each DOC are new, reused or partial against the index, and where seen.

    A document's own copy in the index (same id) is ignored.
    """
    from reuse.index import display_spec, open_index
    from reuse.index.query import query
    from reuse.index.store import check_settings
    from reuse.reports.index import render_pieces

    protected = guard(output, corpus, index_spec)
    documents = load_inputs(corpus)
    with open_index(index_spec, "read") as store:
        check_settings(store.spec, store.settings, settings_from_options(store.settings))
        progress = progress_from_options()
        progress.start("documents", len(documents.documents))
        results = []
        for doc in documents.documents:
            results.append(query(store, doc, max_matches=max_matches))
            progress.advance()
        progress.done()
        report = render_pieces(display_spec(index_spec), store.settings, results, fmt, max_matches)
    emit(report, output, protected, [doc.path for doc in documents.documents])
    return EXIT_OK


@index.command("stats")
@index_option
@format_option(["table", "json"])
@click.option("--check", is_flag=True, help="Also check the index for inconsistencies (reads all of it).")
def index_stats(index_spec: str, fmt: str, check: bool) -> int:
    """Documents, passages, size and settings of an index. Exit 1 when --check finds a problem."""
    from reuse.errors import IndexStoreError
    from reuse.index import display_spec, open_index
    from reuse.reports.index import render_stats

    with open_index(index_spec, "read") as store:
        stats = store.stats(check=check)
    click.echo(render_stats(stats, fmt, check), nl=False)
    if stats.problems:
        raise IndexStoreError(f"{display_spec(index_spec)}: inconsistent index: {'; '.join(stats.problems)}")
    return EXIT_OK


@index.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@index_option
def index_remove(doc_ids: tuple[str, ...], index_spec: str) -> int:
    """Remove documents by id (as stats and query show them). All or nothing: an unknown id removes none."""
    from reuse.errors import IndexStoreError
    from reuse.index import display_spec, open_index

    ids = list(dict.fromkeys(doc_ids))
    with open_index(index_spec, "write") as store:
        unknown = [doc_id for doc_id in ids if store.document(doc_id) is None]
        if unknown:
            raise IndexStoreError(
                f"{display_spec(index_spec)}: no document {', '.join(repr(u) for u in unknown)} in the index; nothing removed"
            )
        store.remove(ids)
    click.echo(f"{len(ids)} documents removed from {display_spec(index_spec)}.")
    return EXIT_OK
