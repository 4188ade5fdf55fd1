"""`/p1 report [YYYY-MM-DD]`: the daily report for a day (default yesterday), shown only to the caller.

Registered on import by `bot.commands` (it replaces the placeholder there). The date's form is checked
before the ack; a day in the future or before the data begins is answered privately, without fetching.
"""

from __future__ import annotations

from bot.commands.registry import Invocation, UsageError, subcommand
from bot.report_post import report_message
from bot.scheduler import report_tz
from toolkit.errors import InvalidArgumentError
from toolkit.report import daily_report
from toolkit.report.days import ReportDateError, local_today, parse_day, parse_report_day


def parse_arguments(args: list[str]) -> str | None:
    """The day as typed (its form is checked here; whether it is in range, in `show_report`)."""
    if len(args) > 1:
        raise UsageError(f"Give at most one date (got “{' '.join(args)}”).")
    if not args:
        return None
    try:
        parse_day(args[0])
    except ReportDateError as exc:
        raise UsageError(f"{exc}.") from None
    return args[0]


@subcommand(
    "report",
    usage="report [YYYY-MM-DD]",
    summary="the daily report for a day (default yesterday): orders, revenue, prescriptions, low stock",
    example="report 2026-06-13",
    parse=parse_arguments,
)
def show_report(invocation: Invocation, day_text: str | None) -> None:
    settings = invocation.runtime.settings
    tz = report_tz(settings)
    try:
        day = parse_report_day(day_text, today=local_today(tz))
        report = invocation.runtime.call(
            daily_report, invocation.p1, day, tz=tz, low_stock_threshold=settings.low_stock_threshold
        )
    except InvalidArgumentError as exc:  # a future or too early day (ReportDateError); P1_REPORT_TZ unknown
        invocation.private(f"{exc}.")
        return
    message = report_message(report)
    note = "Only you see this. The chart comes with the daily post, or from `p1 report --out chart.png`."
    message["blocks"].append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    invocation.private(message)
