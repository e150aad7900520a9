"""Bar charts drawn on the server as SVG (no CDN, no script, no inline style): the portal's one
chart, core.charts.bar_chart, with the minimum group size of the signals' figures, in the shape
the signals templates read."""

from __future__ import annotations

from typing import Any

from core.charts import bar_chart as core_bar_chart
from signals.selectors import Cell, min_group_size


def bar_chart(cells: list[Cell], *, labels: list[str] | None = None) -> dict[str, Any]:
    """Hidden cells are drawn as a low hatched bar marked "×", never their value; every shown
    bar carries its number, the y axis has round ticks, the x axis names each bar."""
    chart = core_bar_chart(cells, labels=labels, floor=min_group_size())
    return {
        "width": chart.width,
        "height": chart.height,
        "bars": chart.bars,
        "ticks": chart.ticks,
        "axis_y": chart.axis_y,
        "plot_left": chart.plot_left,
        "plot_right": chart.plot_right,
        "plot_top": chart.plot_top,
        "plot_bottom": chart.plot_bottom,
        "y_label_x": 12,
        "y_label_y": (chart.plot_top + chart.plot_bottom) / 2,
    }
