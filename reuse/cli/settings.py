"""`reuse settings`: the settings a command run here would use, and where each came from."""

from __future__ import annotations

import json

import click

from reuse.cli.app import EXIT_OK
from reuse.cli.options import (
    configured_from_options,
    format_option,
    mask_digits_option,
    min_span_option,
    script_option,
    unit_option,
)


@click.command("settings")
@format_option(["table", "json"])
@script_option
@unit_option
@mask_digits_option
@min_span_option
def settings(fmt: str, **options: object) -> int:
    """The effective settings here: the library's defaults, under the settings file found from this
    directory upwards (reuse.toml, or [tool.reuse] in pyproject.toml), under REUSE_* environment variables,
    under the options given; with where each value came from, and the settings' fingerprint."""
    from reuse.reports.markup import json_inert, visible
    from reuse.reports.tables import fit_table

    found = configured_from_options()
    values = found.settings.as_dict()
    if fmt == "json":
        report = {
            "fingerprint": found.settings.fingerprint(),
            "settings": {name: {"value": value, "source": found.sources[name]} for name, value in values.items()},
        }
        click.echo(json_inert(json.dumps(report, ensure_ascii=False, indent=2)))
        return EXIT_OK
    rows = [
        [name, visible(json.dumps(value, ensure_ascii=False)), visible(found.sources[name])]
        for name, value in values.items()
    ]
    click.echo(fit_table(rows, ["setting", "value", "from"], 2, 120))
    click.echo(f"fingerprint {found.settings.fingerprint()}")
    return EXIT_OK
