"""Bar charts as inline SVG: sizes and places as attributes (the page's policy allows no style attribute),
labels as escaped text, a <title> on every bar for its exact figure."""

from __future__ import annotations

from collections.abc import Sequence

from reuse.reports.markup import html_text

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 44, 34, 12


def bar_chart(
    labels: Sequence[str], values: Sequence[int], title: str, classes: Sequence[str] = (), unit: str = "documents"
) -> str:
    """Vertical bars, one per label, on a scale from 0 to the largest value; classes colour bars one by one."""
    top = max(values, default=0) or 1
    slot = (WIDTH - LEFT - 8) / max(len(values), 1)
    plot = HEIGHT - BOTTOM - TOP
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{html_text(title)}">',
        f"<title>{html_text(title)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH - 8}" y2="{TOP + plot}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + plot}" text-anchor="end">0</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values)):
        height = plot * value / top
        x = LEFT + i * slot + slot * 0.12
        kind = classes[i] if i < len(classes) else ""
        parts.append(
            f'<rect class="{html_text(kind)}" x="{x:.1f}" y="{TOP + plot - height:.1f}" width="{slot * 0.76:.1f}" '
            f'height="{height:.1f}"><title>{html_text(label)}: {value} {html_text(unit)}</title></rect>'
        )
        if value:
            parts.append(
                f'<text class="value" x="{x + slot * 0.38:.1f}" y="{TOP + plot - height - 3:.1f}" '
                f'text-anchor="middle">{value}</text>'
            )
        parts.append(
            f'<text class="tick" x="{x + slot * 0.38:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{html_text(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def binned(values: Sequence[float], bins: int = 10) -> list[int]:
    """How many values fall in each tenth (by default) of 0–1; 1.0 in the last."""
    counts = [0] * bins
    for v in values:
        counts[min(int(v * bins), bins - 1)] += 1
    return counts


def bin_labels(bins: int = 10) -> list[str]:
    return [f"{100 * i // bins}–{100 * (i + 1) // bins}%" for i in range(bins)]
