"""Terminal tables shared by every report: fitted to a width, texts shortened by display width, controls shown."""

from __future__ import annotations

import re

from reuse.reports.markup import visible

TABLE_WIDTH = 100


def display_width(text: str) -> int:
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


# Whitespace runs become one space; the information separators \x1c-\x1f, which str.split() takes for
# whitespace, are controls to show (markup.visible) instead.
_WHITESPACE = re.compile(r"[^\S\x1c-\x1f]+")


def shorten(text: str, width: int) -> str:
    """Fit text into width terminal columns (Han characters take two), ending with … when cut.

    Whitespace runs become one space, and controls are shown as escapes (markup.visible)."""
    from wcwidth import wcwidth

    text = visible(_WHITESPACE.sub(" ", text).strip(" "))
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def fit_table(rows: list[list[str]], headers: list[str], text_column: int, width: int) -> str:
    """A tabulate table whose text column is shortened so that every line fits in width columns.

    Every cell is shown with its controls as escapes (markup.visible): a table is for a terminal."""
    from tabulate import tabulate

    rows = [[visible(cell) for cell in row] for row in rows]

    # tabulate makes a column as wide as its widest cell, and at least its header plus 2.
    others = sum(
        max([display_width(row[i]) for row in rows] + [display_width(headers[i]) + 2])
        for i in range(len(headers))
        if i != text_column
    )
    room = max(width - others - 2 * (len(headers) - 1), display_width(headers[text_column]) + 2)
    fitted = [row[:text_column] + [shorten(row[text_column], room)] + row[text_column + 1 :] for row in rows]
    return tabulate(fitted, headers=headers, tablefmt="simple", disable_numparse=True)
