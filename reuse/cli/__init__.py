"""The `reuse` command: a table of contents of the library.

app.py is the group and how every command ends; options.py the shared options and the one place
they become Settings and InputOptions; output.py where reports go. Each command module builds the
library's objects, calls the library and prints: diff.py, align.py, corpus.py (scan, audit, clean), index.py, settings.py.
"""

from __future__ import annotations

from reuse.cli import align, corpus, diff, index, settings
from reuse.cli.app import cli, main

for command in (diff.diff, align.align, corpus.scan, corpus.audit, corpus.clean, index.index, settings.settings):
    cli.add_command(command)

__all__ = ["cli", "main"]
