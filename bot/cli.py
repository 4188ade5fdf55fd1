"""The `p1` console script: the toolkit's commands plus the ones that need the bot (bot, demo, audit...).

The toolkit never imports the bot, so the bot's commands are added here, on top of `toolkit.cli.app`.
Each command's work lives in its own module (bot.demo, bot.runner, bot.audit); this file only declares them.
"""

from __future__ import annotations

import typer

import bot.report_cli  # noqa: F401  (registers `p1 report`)
from bot.webhooks import cli as webhooks_cli  # noqa: F401  (registers `p1 webhooks`)
from toolkit.cli import app

__all__ = ["app"]


@app.command()
def demo(
    seed: int | None = typer.Option(
        None, help="Seed of the sandbox's data, e.g. --seed 7 (default: the sandbox's)."
    ),
    orders: int | None = typer.Option(None, help="How many orders the sandbox holds, e.g. --orders 400."),
) -> None:
    """Try the Slack bot in your terminal: an embedded PharmaOne sandbox, the real bot, no Slack account.

    Type /p1 order ORD_…, /p1 stock zainbow, click 2 (press a button); quit or Ctrl-D leaves.

    Without a terminal it reads one command per line: printf '/p1 help\\n' | p1 demo
    """
    from bot.demo import run_demo

    try:
        run_demo(seed=seed, orders=orders)
    except KeyboardInterrupt:
        typer.echo("Bye.")


@app.command("bot")
def bot_command(
    http: bool = typer.Option(
        False,
        "--http",
        help="Serve HTTP (/slack/events, /healthz), not Socket Mode, e.g. p1 bot --http --port 3000.",
    ),
    port: int = typer.Option(3000, help="Port for --http, e.g. --port 8080."),
    host: str = typer.Option("0.0.0.0", help="Interface for --http, e.g. --host 127.0.0.1."),
    sandbox: bool = typer.Option(
        False, "--sandbox", help="Use an embedded PharmaOne sandbox, not P1_*, e.g. p1 bot --sandbox."
    ),
) -> None:
    """Run the Slack bot for /p1, in Socket Mode or over HTTP.

    Socket Mode (default) needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN.

    --http --port 3000 needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.

    PharmaOne: P1_BASE_URL, P1_ORG_ID, P1_API_KEY, or --sandbox.

    Optional: P1_OPERATORS=U123,S456 (may change statuses, see customers), P1_READ_CHANNELS=C123,
    P1_TIMEZONE=Europe/Berlin, P1_LOW_STOCK_THRESHOLD=10, P1_BOT_DB=p1-bot.sqlite3, P1_BOT_TIMEOUT=10.
    """
    from bot.runner import StartupError, run_bot

    try:
        run_bot(http=http, host=host, port=port, sandbox=sandbox)
    except StartupError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("Stopped.")


@app.command()
def audit(
    limit: int = typer.Option(20, min=1, help="How many of the newest entries to show, e.g. --limit 50."),
    db: str | None = typer.Option(
        None, help="The bot's SQLite file, e.g. --db p1-bot.sqlite3 (default: P1_BOT_DB)."
    ),
) -> None:
    """Print the latest entries of the bot's audit log: who tried which change, where, and what happened."""
    from bot.audit import print_audit
    from bot.settings import BotSettings

    settings = BotSettings()
    if not print_audit(db or settings.bot_db, limit, settings.timezone):
        raise typer.Exit(1)
