"""The shell every HTML report shares: head, policy, style and script, read from this package's files."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources

from reuse.reports.markup import html_text


@cache
def asset(name: str) -> str:
    """A style sheet or script of this package (page.css, diff.js, ...)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def page(title: str, body: str, script: str = "", lang: str = "en") -> str:
    """A whole HTML document: title (plain text, escaped here), body (HTML made by a report), and the script
    (source, not escaped: ours). The policy lets this style and this script run, and loads nothing."""
    style = asset("page.css")
    scripts = _hash(script) if script else "'none'"
    policy = (
        f"default-src 'none'; style-src {_hash(style)}; script-src {scripts}; "
        "img-src data:; form-action 'none'; base-uri 'none'"
    )
    script_tag = f"<script>{script}</script>\n" if script else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{html_text(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n{script_tag}</body>\n</html>\n"
    )


def settings_footer(fingerprint: str, values: dict[str, object]) -> str:
    """The settings a report was made with, folded, at the foot of the page."""
    rows = "".join(f"<dt>{html_text(k)}</dt><dd>{html_text(str(v))}</dd>" for k, v in values.items())
    return (
        f"<footer><details><summary>Settings <code>{html_text(fingerprint)}</code></summary>"
        f'<dl class="settings">{rows}</dl></details></footer>'
    )
