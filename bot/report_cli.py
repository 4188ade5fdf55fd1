"""`p1 report`: the daily report in the terminal (rich tables), the chart to a file, a Slack post on request.

For people who run the report from cron instead of the bot. The figures come from `toolkit.report`; this
module only adds the terminal options and the optional Slack post (which needs slack_sdk, hence in `bot`).
Heavy imports happen inside the command so that `p1 --help` stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.app import app

if TYPE_CHECKING:
    from rich.console import Console

    from bot.settings import BotSettings
    from toolkit import Client
    from toolkit.report import DailyReport


@app.command("report")
def report_command(
    date: Annotated[
        str | None,
        typer.Option("--date", "-d", help="Local day as YYYY-MM-DD, e.g. 2026-06-13 (default: yesterday)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the 14-day chart here as PNG, e.g. report.png.")
    ] = None,
    post: Annotated[
        str | None,
        typer.Option("--post", help="Also post to this channel id, e.g. C0123ABCD (needs SLACK_BOT_TOKEN)."),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Time zone of the day, e.g. Europe/Vienna (default: P1_REPORT_TZ)."),
    ] = None,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Run against an embedded, seeded PharmaOne sandbox.")
    ] = False,
) -> None:
    """The daily report for one local day: numbers, a 14-day chart, low stock.

    Orders and revenue (by shop, by status, against the day before and the 7-day average), prescriptions,
    order requests, top products, low and out of stock; `--out` writes the chart, `--post` posts it all.

    Example (cron, 07:30 every morning): `30 7 * * * p1 report --out /tmp/report.png --post C0123ABCD`
    """
    from rich.console import Console

    from bot.scheduler import report_tz
    from bot.settings import BotSettings
    from toolkit.errors import InvalidArgumentError, PharmaOneError
    from toolkit.report import daily_report, print_report, render_chart

    console, errors = Console(), Console(stderr=True)
    settings = BotSettings()
    if post and settings.slack_bot_token is None:
        errors.print("[red]--post needs SLACK_BOT_TOKEN (a bot token, xoxb-…) in the environment.[/red]")
        raise typer.Exit(2)
    with _connect(sandbox, errors) as p1:
        try:
            report = daily_report(
                p1, date, tz=tz or report_tz(settings), low_stock_threshold=settings.low_stock_threshold
            )
        except InvalidArgumentError as exc:  # a malformed, future or too early day; an unknown zone
            errors.print(f"[red]{exc}.[/red]")
            raise typer.Exit(2) from None
        except PharmaOneError as exc:
            errors.print(f"[red]The report could not be made: {exc}[/red]")
            raise typer.Exit(1) from None
    print_report(report, console)
    chart = render_chart(report, out)
    if out is not None:
        console.print(f"Chart written to {out} ({len(chart):,} bytes).")
    if post:
        _post(settings, post, report, chart, errors)
        console.print(f"Posted to {post}.")


@contextmanager
def _connect(sandbox: bool, errors: Console) -> Iterator[Client]:
    """A client on the embedded sandbox, or from P1_* settings (naming the missing ones, and --sandbox)."""
    from toolkit import Client
    from toolkit.errors import ConfigurationError

    if sandbox:
        with Client.sandbox() as p1:
            yield p1
        return
    try:
        p1 = Client.from_env()
    except ConfigurationError as exc:
        errors.print(f"[red]{exc}[/red]\nOr use an embedded sandbox: [bold]p1 report --sandbox[/bold]")
        raise typer.Exit(2) from None
    with p1:
        yield p1


def _post(settings: BotSettings, channel: str, report: DailyReport, chart: bytes, errors: Console) -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from bot.report_post import post_report
    from bot.settings import secret_value

    slack = WebClient(token=secret_value(settings.slack_bot_token), base_url=settings.slack_api_url)
    try:
        post_report(slack, channel, report, chart)
    except SlackApiError as exc:
        errors.print(f"[red]Posting to Slack failed: {exc.response.get('error', exc)}[/red]")
        raise typer.Exit(1) from None
