"""`/p1 report [date]` until the daily report registers its own handler (it replaces this placeholder)."""

from __future__ import annotations

from bot.commands.registry import Invocation, subcommand


@subcommand(
    "report",
    usage="report [date]",
    summary="the daily report (numbers, chart, low stock) for a day, default yesterday",
    example="report 2026-06-13",
    parse=lambda args: args,
    placeholder=True,
)
def report_placeholder(invocation: Invocation, _: list[str]) -> None:
    invocation.private(
        "The daily report is not served in Slack yet; run `p1 report` in a terminal to build it."
    )
