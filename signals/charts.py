"""Bar charts drawn on the server as SVG (no CDN, no script, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass

from core.figures import hidden_text
from signals.selectors import Cell, min_group_size

WIDTH, HEIGHT, PAD, AXIS = 600, 220, 8, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    suppressed: bool


def bar_chart(cells: list[Cell], *, labels: list[str] | None = None) -> dict:
    """Suppressed cells are drawn as a low hatched bar labelled "< N", never their value."""
    if not cells:
        return {"width": WIDTH, "height": HEIGHT, "bars": []}
    minimum = min_group_size()
    top = max([c.count or 0 for c in cells] + [minimum])
    slot = (WIDTH - 2 * PAD) / len(cells)
    plot = HEIGHT - AXIS - PAD
    bars = []
    for i, cell in enumerate(cells):
        value = cell.count if cell.count is not None else minimum - 1
        height = plot * value / top
        bars.append(
            Bar(
                x=round(PAD + i * slot + slot * 0.1, 1),
                y=round(PAD + plot - height, 1),
                width=round(slot * 0.8, 1),
                height=round(height, 1),
                label=(labels[i] if labels else cell.label),
                value=hidden_text() if cell.suppressed else str(cell.count),
                suppressed=cell.suppressed,
            )
        )
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "axis_y": HEIGHT - AXIS + 14}
