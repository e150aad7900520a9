"""Bar charts drawn on the server as SVG: no CDN, no script, no inline style (the CSP forbids
them); the template draws what `bar_chart` computes, the stylesheet colours it.

A chart takes the cells of core.figures (`Cell(label, count)`, count None when the minimum-group
rule hides it), so it can only draw what may be shown: a hidden cell is a low hatched bar
labelled "afgeschermd", never its value, and it does not set the scale. Every bar carries its
value as text above it, the y axis has a few round ticks, and the x axis names each bar; the
page puts the same cells in a table beside the chart for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.figures import Cell, hidden_text

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 18, 30  # room for the y ticks, the values and the x labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    suppressed: bool
    centre: float = 0.0  # x of the bar's middle, for its value and label
    value_y: float = 0.0  # y of the value written above the bar


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick] = field(default_factory=list)
    axis_y: float = HEIGHT - BOTTOM + 16  # baseline of the x labels
    plot_left: float = LEFT
    plot_right: float = WIDTH - RIGHT
    plot_bottom: float = HEIGHT - BOTTOM
    plot_top: float = TOP

    @property
    def empty(self) -> bool:
        return not self.bars


def nice_top(value: int) -> int:
    """The smallest round number (1, 2, 2.5 or 5 times a power of ten) at or above `value`."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * power
        if top >= value and top == int(top):
            return int(top)
    return int(10 * power)  # pragma: no cover  (the loop always returns)


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def bar_chart(
    cells: Sequence[Cell], *, labels: Sequence[str] | None = None, floor: int = 0
) -> Chart:
    """A bar per cell, left to right. `labels` replaces the cells' labels on the x axis (short
    month names); `floor` is the least top of the scale (the minimum group size, so a hidden
    bar stays visibly low)."""
    if not cells:
        return Chart(width=WIDTH, height=HEIGHT, bars=[])
    shown_counts = [c.count for c in cells if c.count is not None]
    top = nice_top(max([*shown_counts, floor, 1]))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(cells)
    bottom = HEIGHT - BOTTOM
    bars = []
    for i, cell in enumerate(cells):
        # A hidden cell gets a fixed low bar (a twentieth of the plot), whatever it holds.
        height = plot_height / 20 if cell.count is None else plot_height * cell.count / top
        x = LEFT + i * slot + slot * 0.12
        y = bottom - height
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(y, 1),
                width=round(slot * 0.76, 1),
                height=round(height, 1),
                label=labels[i] if labels is not None else cell.label,
                value=hidden_text() if cell.count is None else _thousands(cell.count),
                suppressed=cell.count is None,
                centre=round(LEFT + (i + 0.5) * slot, 1),
                value_y=round(y - 4, 1),
            )
        )
    ticks = [
        Tick(y=round(bottom - plot_height * part / 4, 1), label=_thousands(round(top * part / 4)))
        for part in range(5)
        if top * part % 4 == 0 or top >= 100
    ]
    return Chart(width=WIDTH, height=HEIGHT, bars=bars, ticks=ticks)
