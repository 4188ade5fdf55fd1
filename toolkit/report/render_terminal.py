"""The report in a terminal: rich tables (used by `p1 report` and handy in a notebook)."""

from __future__ import annotations

from numbers import Real

import pandas as pd
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from toolkit.report import text
from toolkit.report.compute import DailyReport


def report_renderable(report: DailyReport) -> RenderableType:
    """Every part of the report as one rich renderable."""
    parts: list[RenderableType] = [
        Text(text.title(report), style="bold"),
        _summary(report),
        _frame_table("By shop", report.by_shop, {"shop": "Shop", "orders": "Orders", "revenue": "Revenue"}),
        _frame_table(
            "By status", report.by_status, {"status": "Status", "orders": "Orders", "amount": "Amount"}
        ),
        Text.assemble(("Prescriptions: ", "bold"), text.prescriptions_line(report)),
        Text.assemble(("Order requests received: ", "bold"), text.order_requests(report)),
        _frame_table(
            "Top products by units",
            report.top_products,
            {"name": "Product", "p1_id": "p1_id", "units": "Units", "revenue": "Revenue"},
        ),
        _stock(f"Low stock (at or under {report.low_stock_threshold}, stock now)", report.low_stock),
        _stock("Out of stock (now)", report.out_of_stock),
        _sources(report),
    ]
    return Group(*parts)


def print_report(report: DailyReport, console: Console | None = None) -> None:
    (console or Console()).print(report_renderable(report))


def _summary(report: DailyReport) -> Table:
    table = Table(title="Orders and revenue", title_justify="left")
    table.add_column("")
    table.add_column("Orders", justify="right")
    table.add_column("Revenue", justify="right")
    day, week = report.vs_previous_day, report.vs_week_average
    table.add_row(
        "Report day", text.count(report.totals.orders), text.money(report.totals.revenue), style="bold"
    )
    table.add_row("Day before", text.count(day.baseline.orders), text.money(day.baseline.revenue))
    table.add_row("  change", text.orders_change(day), text.revenue_change(day))
    table.add_row(
        "Average of the 7 days before", text.count(week.baseline.orders), text.money(week.baseline.revenue)
    )
    table.add_row("  change", text.orders_change(week), text.revenue_change(week))
    return table


def _frame_table(title: str, frame: pd.DataFrame, columns: dict[str, str]) -> RenderableType:
    if frame.empty:
        return Text.assemble((f"{title}: ", "bold"), "none")
    table = Table(title=title, title_justify="left")
    for column, header in columns.items():
        table.add_column(header, justify="right" if frame[column].dtype.kind in "if" else "left")
    for row in frame[list(columns)].itertuples(index=False):
        table.add_row(*(_cell(column, value) for column, value in zip(columns, row, strict=True)))
    return table


def _cell(column: str, value: object) -> str:
    if column in ("revenue", "amount"):
        return text.money(value)
    if value is None or value is pd.NA:
        return "–"
    return text.count(value) if isinstance(value, Real) else str(value)


def _stock(title: str, frame: pd.DataFrame) -> RenderableType:
    lines = text.stock_lines(frame)
    return Text.assemble((f"{title}: ", "bold"), "\n  ".join(["", *lines]) if lines else "none")


def _sources(report: DailyReport) -> RenderableType:
    table = Table(show_header=True)
    table.add_column("Figure")
    table.add_column("Where it comes from")
    for figure, source in report.sources.items():
        table.add_row(figure, source)
    return table
