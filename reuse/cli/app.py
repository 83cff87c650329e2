"""The `reuse` group: how every command ends, whatever went wrong — one `Error:` line and an exit code."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from reuse.errors import ReuseError
from reuse.reports.markup import visible

EXIT_OK, EXIT_ERROR, EXIT_OVER_THRESHOLD = 0, 1, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command Ctrl-C stopped


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

    Commands raise ReuseError (or let the library raise it) and never catch it: it becomes its
    `Error:` line here. Usage errors exit with 1 like every other bad input (click's default is 2);
    Ctrl-C and SIGTERM exit with 130 after the worker processes and the index are closed.
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
            error("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except ReuseError as err:
            error(str(err))
            sys.exit(EXIT_ERROR)
        except click.ClickException as err:
            message = err.format_message()
            if isinstance(err, click.MissingParameter) and err.param is not None and err.param.envvar:
                message = f"{message.rstrip('.')} (or set {err.param.envvar})"
            if isinstance(err, click.UsageError) and err.ctx is not None:
                command = _command_path(err.ctx)
                message = f"{message.rstrip('.')}; see '{command} --help'"
            error(message)
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader went away (`reuse scan … | head`): nothing more to say, and nothing to say it to.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except MemoryError:
            error("out of memory")
            sys.exit(EXIT_ERROR)
        except OSError as err:  # disk full, a file system gone read-only: not ours to explain further
            error(f"{err.filename}: {err.strerror}" if err.filename else str(err))
            sys.exit(EXIT_ERROR)
        except Exception as err:
            if os.environ.get("REUSE_DEBUG"):
                raise
            error(f"internal error ({type(err).__name__}: {err}); please report it, REUSE_DEBUG=1 shows where")
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


def error(message: str) -> None:
    """One line on standard error, printable whatever bytes a file name held, inert in a terminal."""
    click.echo(f"Error: {visible(' '.join(message.split()))}", err=True)


@click.group(cls=ReuseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="readout-reuse", prog_name="reuse")
def cli() -> None:
    """Find what is new and what is reused in readouts of diplomatic meetings."""


def main() -> None:
    cli()


def _command_path(ctx: click.Context) -> str:
    """`reuse index query`, whatever the program was run as (`python -m reuse`, a test runner)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["reuse", *reversed(names)])
