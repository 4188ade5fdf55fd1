"""Wording shared by every rendering of the report (terminal, Slack): numbers, changes, titles, lists."""

from __future__ import annotations

import pandas as pd

from toolkit.report.compute import Change, DailyReport

#: Rows shown in a stock list before "… and N more".
STOCK_ROWS = 10


def money(amount: float) -> str:
    """e.g. '€1,234.50' (the bot's views write money the same way)."""
    return f"€{amount:,.2f}"


def count(value: float) -> str:
    """A count, or an average of counts with one decimal."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def orders(value: float) -> str:
    """e.g. '1 order', '12 orders', '15.4 orders'."""
    return f"{count(value)} {'order' if value == 1 else 'orders'}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.0%}"


def orders_change(change: Change) -> str:
    """e.g. '+5 (+12%)'."""
    sign = "-" if change.orders_delta < 0 else "+"
    return f"{sign}{count(abs(change.orders_delta))} ({_percent(change.orders_pct)})"


def revenue_change(change: Change) -> str:
    """e.g. '+€120.00 (+8%)'."""
    sign = "-" if change.revenue_delta < 0 else "+"
    return f"{sign}{money(abs(change.revenue_delta))} ({_percent(change.revenue_pct)})"


def title(report: DailyReport) -> str:
    """e.g. 'Daily report Sun 25.10.2026 (Europe/Berlin, a 25-hour day)'."""
    hours = round((report.end - report.start).total_seconds() / 3600)
    length = "" if hours == 24 else f", a {hours}-hour day"
    partial = ", so far" if report.is_partial else ""
    return f"Daily report {report.day:%a %d.%m.%Y} ({report.tz}{length}{partial})"


def order_requests(report: DailyReport) -> str:
    return "not available from the API" if report.order_requests is None else count(report.order_requests)


def prescriptions_line(report: DailyReport) -> str:
    """Received on the report day by their status now, then all prescriptions by status now, e.g.
    '7 received (new 3, pending 2, approved 1); all prescriptions now: new 40, pending 12, approved 300'.
    """
    figures = report.prescriptions
    day = ", ".join(f"{status} {n}" for status, n in figures.received_by_status.items())
    now = ", ".join(f"{status} {n}" for status, n in figures.now_by_status.items())
    return f"{figures.received} received ({day}); all prescriptions now: {now}"


def limited(lines: list[str], limit: int = STOCK_ROWS, total: int | None = None) -> list[str]:
    """The first `limit` of `lines`, plus '… and N more' when there are more (of `total`, if given)."""
    more = (len(lines) if total is None else total) - min(limit, len(lines))
    return lines[:limit] + ([f"… and {more} more"] if more > 0 else [])


def stock_lines(frame: pd.DataFrame, limit: int = STOCK_ROWS) -> list[str]:
    """'name (p1_id): N left' per product, at most `limit` lines plus '… and N more'."""
    lines = [f"{row.name} ({row.p1_id}): {row.stock_quantity} left" for row in frame.head(limit).itertuples()]
    return limited(lines, limit, total=len(frame))
