"""The daily report in Slack: a Block Kit summary (no patient data), the chart as a file, a failure notice.

The summary is built only from the report's aggregate figures and product names; it never reads an order's
customer fields, and every message passes `ensure_shareable` before it goes to a channel.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.privacy import ensure_shareable
from bot.views import context, header, section
from toolkit.report import text
from toolkit.report.compute import DailyReport

#: Rows per list in a Slack message (shops, statuses, stock) before "… and N more".
LIST_ROWS = 10


def report_message(report: DailyReport) -> dict[str, Any]:
    """`text` (the notification line) and `blocks` for the report; safe for a shared channel."""
    day, week = report.vs_previous_day, report.vs_week_average
    fields = [
        f"*Orders*\n{text.count(report.totals.orders)}",
        f"*Revenue*\n{text.money(report.totals.revenue)}",
        f"*vs day before* ({text.count(day.baseline.orders)})\n{text.orders_change(day)}",
        f"*vs day before* ({text.money(day.baseline.revenue)})\n{text.revenue_change(day)}",
        f"*vs 7-day average* ({text.count(week.baseline.orders)})\n{text.orders_change(week)}",
        f"*vs 7-day average* ({text.money(week.baseline.revenue)})\n{text.revenue_change(week)}",
    ]
    shops = [
        f"• {row.shop}: {text.orders(row.orders)}, {text.money(row.revenue)}"
        for row in report.by_shop.itertuples()
    ]
    statuses = [
        f"• `{row.status}`: {text.count(row.orders)} ({text.money(row.amount)})"
        for row in report.by_status.itertuples()
    ]
    products = [
        f"{rank}. {row.name}: {text.count(row.units)} units, {text.money(row.revenue)}"
        for rank, row in enumerate(report.top_products.itertuples(), start=1)
    ]
    blocks = [
        header(text.title(report)),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": field} for field in fields]},
        section("*By shop*\n" + _lines(shops)),
        section("*By status*\n" + _lines(statuses)),
        section(
            f"*Prescriptions*\n{text.prescriptions_line(report)}\n"
            f"*Order requests received*\n{text.order_requests(report)}"
        ),
        section("*Top products by units*\n" + _lines(products)),
        section(
            f"*Low stock* (at or under {report.low_stock_threshold}, stock now)\n"
            + _join(text.stock_lines(report.low_stock, LIST_ROWS))
        ),
        section("*Out of stock* (now)\n" + _join(text.stock_lines(report.out_of_stock, LIST_ROWS))),
        context(_sources(report)),
    ]
    summary = (
        f"Daily report {report.day:%d.%m.%Y}: {text.count(report.totals.orders)} orders, "
        f"{text.money(report.totals.revenue)}"
    )
    return {"text": summary, "blocks": blocks}


def post_report(slack: WebClient, channel: str, report: DailyReport, chart_png: bytes) -> str:
    """Post the summary and then the chart to `channel`; returns the summary's ts."""
    ts = post_summary(slack, channel, report)
    upload_chart(slack, channel, report, chart_png)
    return ts


def post_summary(slack: WebClient, channel: str, report: DailyReport) -> str:
    """Post the Block Kit summary to `channel` (checked for patient data first); returns its ts."""
    message = report_message(report)
    ensure_shareable(message)
    return str(slack.chat_postMessage(channel=channel, **message)["ts"])


def upload_chart(slack: WebClient, channel: str, report: DailyReport, chart_png: bytes) -> None:
    """Share the chart PNG in `channel` with files_upload_v2 (getUploadURLExternal, upload, complete)."""
    slack.files_upload_v2(
        channel=channel,
        file=chart_png,
        filename=f"p1-report-{report.day:%Y-%m-%d}.png",
        title=f"Orders and revenue by shop, 14 days to {report.day:%d.%m.%Y}",
        alt_txt=f"Bar charts of orders and revenue per day and shop for the 14 days to {report.day:%d.%m.%Y}",
    )


def failure_message(day: date, reason: str, retry_at: datetime | None, tz: str) -> dict[str, Any]:
    """The notice for a day whose report could not be made, with the reason and when it is tried again."""
    retry = (
        f" Trying again at {retry_at.astimezone(ZoneInfo(tz)):%H:%M %Z}."
        if retry_at is not None
        else " It will not be tried again."
    )
    notice = (
        f":warning: The daily report for {day:%a %d.%m.%Y} could not be made: {reason.rstrip('.')}.{retry}"
    )
    return {"text": notice, "blocks": [section(notice)]}


def post_failure(
    slack: WebClient, channel: str, day: date, reason: str, retry_at: datetime | None, tz: str
) -> None:
    message = failure_message(day, reason, retry_at, tz)
    ensure_shareable(message)
    slack.chat_postMessage(channel=channel, **message)


def _lines(lines: list[str]) -> str:
    return _join(text.limited(lines, LIST_ROWS))


def _join(lines: list[str]) -> str:
    return "\n".join(lines) or "none"


def _sources(report: DailyReport) -> str:
    return "Sources: " + "; ".join(f"{figure}: {source}" for figure, source in report.sources.items())
