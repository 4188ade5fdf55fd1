"""`p1 bot`: run the bot in Socket Mode (default) or over HTTP, against PharmaOne or an embedded sandbox."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from slack_bolt.error import BoltError
from starlette.routing import BaseRoute

from bot.settings import BotSettings, RunMode, secret_value


class StartupError(RuntimeError):
    """The bot cannot start; the message says why and what to set."""


class MissingSettings(StartupError):
    """The environment lacks variables the chosen mode needs; the message names them."""


def check_settings(settings: BotSettings, *, http: bool, sandbox: bool) -> RunMode:
    mode: RunMode = f"{'sandbox-' if sandbox else ''}{'http' if http else 'socket'}"  # type: ignore[assignment]
    missing = settings.missing_for(mode)
    if missing:
        hint = "" if sandbox else " (or pass --sandbox to run against an embedded PharmaOne sandbox)"
        raise MissingSettings(f"Set {', '.join(missing)} in the environment or .env{hint}.")
    return mode


@contextmanager
def pharmaone(sandbox: bool) -> Iterator[Any]:
    from toolkit import Client

    with Client.sandbox() if sandbox else Client.from_env() as p1:
        yield p1


def run_bot(
    *,
    http: bool = False,
    host: str = "0.0.0.0",
    port: int = 3000,
    sandbox: bool = False,
    settings: BotSettings | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    console: Console | None = None,
) -> None:
    """Check the settings (naming what is missing before anything connects), then serve until stopped."""
    from bot.app import create_app, runtime_of
    from bot.scheduler import start_scheduler
    from toolkit.errors import InvalidArgumentError

    console = console or Console(stderr=True)
    settings = settings or BotSettings()
    check_settings(settings, http=http, sandbox=sandbox)
    with pharmaone(sandbox) as p1:
        try:
            app = create_app(p1, settings=settings)  # checks SLACK_BOT_TOKEN with auth.test
        except BoltError as exc:
            raise StartupError(f"Slack refused SLACK_BOT_TOKEN: {exc}") from None
        except OSError as exc:  # URLError included: Slack's Web API could not be reached
            raise StartupError(f"Could not reach Slack's Web API to check SLACK_BOT_TOKEN: {exc}") from None
        try:
            reports = start_scheduler(runtime_of(app))  # the daily report, when P1_REPORT_CHANNEL is set
        except InvalidArgumentError as exc:  # P1_REPORT_TIME or P1_REPORT_TZ
            runtime_of(app).shutdown()
            raise StartupError(f"The daily report cannot be scheduled: {exc}.") from None
        try:
            if http:
                import uvicorn

                from bot.http import create_http_app
                from bot.webhooks.serve import bot_webhook_routes

                runtime = runtime_of(app)
                with bot_webhook_routes(runtime.store, runtime.slack, console) as webhooks:  # P1_WEBHOOK_*
                    console.print(f"Serving /slack/events and /healthz on http://{host}:{port}")
                    routes = [*extra_routes, *webhooks]
                    uvicorn.run(create_http_app(app, routes), host=host, port=port, log_level="info")
            else:
                from slack_bolt.adapter.socket_mode import SocketModeHandler

                console.print("Connecting to Slack in Socket Mode…")
                SocketModeHandler(app, secret_value(settings.slack_app_token)).start()
        finally:
            if reports is not None:
                reports.stop()
            runtime_of(app).shutdown()
