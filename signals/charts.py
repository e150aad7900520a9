"""Bar charts drawn on the server as SVG (no CDN, no script, no inline style): the portal's one
chart, core.charts.bar_chart, in the shape the signals templates read."""

from __future__ import annotations

from core.charts import bar_chart as core_bar_chart
from signals.selectors import Cell, min_group_size


def bar_chart(cells: list[Cell], *, labels: list[str] | None = None) -> dict:
    """Hidden cells are drawn as a low hatched bar labelled "afgeschermd", never their value."""
    chart = core_bar_chart(cells, labels=labels, floor=min_group_size())
    return {
        "width": chart.width,
        "height": chart.height,
        "bars": chart.bars,
        "axis_y": chart.axis_y,
    }
