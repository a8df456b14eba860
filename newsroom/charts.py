"""Charts as inline SVG, rendered on the server: no script, no outside host, nothing the admin's CSP refuses.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that say what it shows, and every
point or bar carries its own ``<title>`` with its value, so a screen reader (or a hover) gives the numbers.
Colours are presentation attributes and text uses ``currentColor``, so the charts follow the admin's theme.
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

PALETTE = ("#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a", "#c62828", "#00838f", "#5d4037", "#ad1457")
GRID = "#9e9e9e"
FONT = 12


def nice_ceiling(value):
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1): a round top for the axis."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _ticks(top, count=5):
    step = top / count
    return [step * index for index in range(count + 1)]


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _frame(chart_id, width, height, title, description, body):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="newsroom-chart" role="img" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{id}-title {id}-desc" '
        'font-size="{font}" fill="currentColor">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        font=FONT,
        title=title,
        desc=description,
        body=body,
    )


def _y_axis(top, left, right, plot_top, plot_bottom):
    lines = []
    for tick in _ticks(top):
        y = plot_bottom - (plot_bottom - plot_top) * tick / top
        lines.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{y}" y2="{y}" stroke="{}" stroke-width="0.5"/>'
                '<text x="{}" y="{ty}" text-anchor="end">{}</text>',
                left,
                right,
                GRID,
                left - 6,
                _number(round(tick, 2)),
                y=round(y, 1),
                ty=round(y + 4, 1),
            )
        )
    return mark_safe("".join(lines))


def line_chart(chart_id, title, labels, series, unit="篇", description=""):
    """Values over time: ``labels`` along the x axis, ``series`` as [(name, [value per label])], one line each."""
    width, height = 760, 320
    left, right, plot_top = 48, width - 16, 16
    legend_rows = math.ceil(len(series) / 4) if series else 0
    plot_bottom = height - 48 - 18 * legend_rows
    top = nice_ceiling(max((max(values, default=0) for _name, values in series), default=0))
    count = len(labels)

    def x(index):
        return left + (right - left) * (index / (count - 1) if count > 1 else 0.5)

    def y(value):
        return plot_bottom - (plot_bottom - plot_top) * value / top

    parts = [_y_axis(top, left, right, plot_top, plot_bottom)]
    # Up to six labels along the axis, evenly spaced, with the first and the last inside the frame.
    step = max(1, math.ceil(count / 6))
    shown = [index for index in range(0, count, step) if count - 1 - index >= step * 1.5 or index == 0]
    shown += [count - 1] if count > 1 else []

    def anchor(index):
        return "middle" if count == 1 else "start" if index == 0 else "end" if index == count - 1 else "middle"

    parts.append(
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="{}">{}</text>',
            ((round(x(index), 1), plot_bottom + 18, anchor(index), labels[index]) for index in shown),
        )
    )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(f"{x(index):.1f},{y(value):.1f}" for index, value in enumerate(values))
        parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', points, colour))
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}</title></circle>',
                (
                    (round(x(index), 1), round(y(value), 1), colour, f"{name} {labels[index]}:{_number(value)} {unit}")
                    for index, value in enumerate(values)
                ),
            )
        )
        row, column = divmod(number, 4)
        legend_x, legend_y = left + column * 170, plot_bottom + 40 + row * 18
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>',
                legend_x,
                legend_y - 10,
                colour,
                legend_x + 16,
                legend_y,
                name,
            )
        )
    if not description:
        totals = ",".join(f"{name} 共 {_number(sum(values))} {unit}" for name, values in series)
        description = f"{labels[0]} 至 {labels[-1]},{totals}" if labels else "没有数据"
    return _frame(chart_id, width, height, title, description, mark_safe("".join(parts)))


def bar_chart(chart_id, title, items, unit="篇", description="", limit=15):
    """One horizontal bar per item, longest first as given: ``items`` is [(label, value)]."""
    shown = list(items)[:limit]
    width, row_height, left, right, top_margin = 760, 26, 140, 760 - 64, 8
    height = top_margin + row_height * max(len(shown), 1) + 8
    top = max((value for _label, value in shown), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(shown):
        y = top_margin + row_height * index
        length = (right - left) * value / top
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}:{} {}</title></rect>'
                '<text x="{}" y="{}">{}</text>',
                left - 8,
                y + 17,
                label,
                left,
                y + 4,
                round(length, 1),
                row_height - 8,
                PALETTE[1],
                label,
                _number(value),
                unit,
                round(left + length + 6, 1),
                y + 17,
                _number(value),
            )
        )
    if not description:
        description = ",".join(f"{label} {_number(value)} {unit}" for label, value in shown) if shown else "没有数据"
        if len(items) > limit:
            description += f"(只显示前 {limit} 位,共 {len(items)} 位)"
    return _frame(chart_id, width, height, title, description, mark_safe("".join(parts)))


def histogram(chart_id, title, buckets, unit="次", description=""):
    """A distribution: one vertical bar per bucket, ``buckets`` as [(label, count)] in order."""
    width, height = 760, 280
    left, right, plot_top, plot_bottom = 48, width - 16, 20, height - 40
    top = nice_ceiling(max((count for _label, count in buckets), default=0))
    slot = (right - left) / max(len(buckets), 1)
    parts = [_y_axis(top, left, right, plot_top, plot_bottom)]
    for index, (label, count) in enumerate(buckets):
        bar_height = (plot_bottom - plot_top) * count / top
        x = left + slot * index + slot * 0.15
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}:{} {}</title></rect>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                round(x, 1),
                round(plot_bottom - bar_height, 1),
                round(slot * 0.7, 1),
                round(bar_height, 1),
                PALETTE[0],
                label,
                count,
                unit,
                round(x + slot * 0.35, 1),
                round(plot_bottom - bar_height - 4, 1),
                count,
                round(x + slot * 0.35, 1),
                plot_bottom + 18,
                label,
            )
        )
    if not description:
        description = ",".join(f"{label} {count} {unit}" for label, count in buckets)
    return _frame(chart_id, width, height, title, description, mark_safe("".join(parts)))
