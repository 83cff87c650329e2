"""How far long work has got: a bar per stage on a terminal, nothing anywhere else.

The library reports progress to a `Progress`, which by default says nothing; the command line gives a
`TerminalProgress` (tqdm, on standard error) only when standard error is a terminal and -q was not
given, so that pipes, files and CI logs never receive a bar.
"""

from __future__ import annotations

from typing import Any, TextIO


class Progress:
    """Stages of countable work: start one, advance it, end it. This one says nothing."""

    def start(self, what: str, total: int | None = None) -> None:
        """A stage of `total` steps (None: not known in advance) begins; any stage before it ends."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def done(self) -> None:
        """The current stage, if any, is over."""


class TerminalProgress(Progress):
    """A tqdm bar for each stage, on `stream`, gone when the stage ends."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: Any = None

    def start(self, what: str, total: int | None = None) -> None:
        from tqdm import tqdm

        self.done()
        self.bar = tqdm(total=total, desc=what, file=self.stream, leave=False, dynamic_ncols=True, mininterval=0.2)

    def advance(self, steps: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
