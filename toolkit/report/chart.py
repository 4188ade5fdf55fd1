"""The report's chart: orders and revenue per day and shop over the last 14 days, as a PNG for a phone screen.

Drawn on matplotlib's Agg canvas directly (no pyplot, no GUI backend, no global figure state), so it works
in a server thread and in a notebook alike.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from toolkit.report.compute import DailyReport

#: Portrait and large type: the chart is mostly read in Slack on a phone.
FIGURE_INCHES = (8.0, 9.0)
DPI = 110


def render_chart(report: DailyReport, path: str | Path | None = None) -> bytes:
    """The chart as PNG bytes; also written to `path` when given."""
    figure = Figure(figsize=FIGURE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    orders_axes, revenue_axes = figure.subplots(2, 1, sharex=True)
    table = report.daily.pivot_table(index="day", columns="shop", values=["orders", "revenue"], aggfunc="sum")
    days = list(table.index)
    positions = np.arange(len(days))
    shops = list(table["orders"].columns)
    marked = days.index(report.day)

    _stacked_bars(orders_axes, positions, table["orders"], shops)
    orders_axes.set_ylabel("Orders (count)", fontsize=13)
    orders_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _stacked_bars(revenue_axes, positions, table["revenue"], shops)
    revenue_axes.set_ylabel("Revenue (EUR)", fontsize=13)
    revenue_axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    revenue_axes.set_xlabel(f"Day ({report.tz})", fontsize=13)
    revenue_axes.set_xticks(positions, [f"{d:%a}\n{d:%d.%m}" for d in days], fontsize=10)

    for axes in (orders_axes, revenue_axes):
        axes.axvspan(marked - 0.5, marked + 0.5, color="#ffd54f", alpha=0.35, zorder=0, label="_report day")
        axes.tick_params(axis="y", labelsize=11)
        axes.grid(axis="y", alpha=0.3)
        axes.set_xlim(-0.6, len(days) - 0.4)
    orders_axes.annotate(
        "report day",
        xy=(marked, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
    )
    partial = " (so far)" if report.is_partial else ""
    figure.suptitle(
        f"Orders and revenue by shop\n14 days to {report.day:%a %d.%m.%Y}{partial}",
        fontsize=15,
        fontweight="bold",
    )
    figure.legend(*orders_axes.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=11)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    png = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(png)
    return png


def _stacked_bars(axes: Axes, positions: np.ndarray, values: pd.DataFrame, shops: list[str]) -> None:
    bottom = np.zeros(len(positions))
    for shop in shops:
        heights = values[shop].to_numpy(dtype=float)
        axes.bar(positions, heights, bottom=bottom, width=0.8, label=shop)
        bottom += heights
    axes.set_ylim(0, max(bottom.max() * 1.1, 1.0))  # headroom above the tallest bar; 0..1 when all are 0
