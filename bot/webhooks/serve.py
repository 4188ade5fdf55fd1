"""Running the relay: `p1 webhooks` on its own port (for Socket Mode bots), or mounted on `p1 bot --http`.

`p1 webhooks --sandbox` needs no PharmaOne and no Slack: an embedded sandbox subscribed to the receiver makes
a status change and a stock drop, and without SLACK_BOT_TOKEN the messages are shown in the terminal.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import uvicorn
from pydantic import SecretStr
from rich.console import Console
from rich.logging import RichHandler
from slack_sdk import WebClient
from starlette.routing import BaseRoute

from bot.settings import BotSettings, secret_value
from bot.slack_standin import SlackStandIn
from bot.store import Store
from bot.webhooks.receiver import WEBHOOK_PATH
from bot.webhooks.relay import WebhookRelay, create_app
from bot.webhooks.settings import WebhookSettings

SANDBOX_CHANNEL = "C0P1WEBHOOKS"  # where `--sandbox` posts when no channel is configured


class WebhookSetupError(RuntimeError):
    """The relay cannot start as configured; the message names what to set."""


def _require(missing: list[str], sandbox_hint: bool = True) -> None:
    if missing:
        hint = " (or try it with `p1 webhooks --sandbox`)" if sandbox_hint else ""
        raise WebhookSetupError(f"Set {', '.join(missing)} in the environment or .env{hint}.")


def _print_routing(console: Console, relay: WebhookRelay) -> None:
    by_channel: dict[str, list[str]] = {}
    for event, channel in relay.routing.channels.items():
        if channel:
            by_channel.setdefault(channel, []).append(event)
    for channel, events in by_channel.items():
        console.print(f"Relaying to {channel}: {', '.join(events)}")


@contextmanager
def bot_webhook_routes(store: Store, slack_client: WebClient, console: Console) -> Iterator[list[BaseRoute]]:
    """The relay's route for the bot's HTTP app, posting meanwhile; no route without P1_WEBHOOK_SECRETS."""
    settings = WebhookSettings()
    if not settings.secrets:
        yield []
        return
    _require(settings.missing(), sandbox_hint=False)
    relay = WebhookRelay(settings, store, slack_client)
    relay.start()
    _print_routing(console, relay)
    try:
        yield relay.routes
    finally:
        relay.close()


def run_webhooks(*, host: str, port: int, sandbox: bool, console: Console | None = None) -> None:
    """Serve the receiver until stopped (Ctrl-C); see the module docstring for `sandbox`."""
    console = console or Console(stderr=True)
    _log_to(console)
    bot_settings, settings = BotSettings(), WebhookSettings()
    if not sandbox:
        _require(settings.missing() + ([] if bot_settings.slack_bot_token else ["SLACK_BOT_TOKEN"]))
    with ExitStack() as stack:
        if sandbox:
            settings = settings.model_copy(
                update={
                    "secrets": settings.secrets or (SecretStr(secrets.token_hex(16)),),
                    "channel": settings.channel or SANDBOX_CHANNEL,
                }
            )
        slack_client = _slack_client(bot_settings, console, stack)
        store = Store(":memory:" if sandbox else bot_settings.bot_db)
        stack.callback(store.close)
        relay = WebhookRelay(settings, store, slack_client)
        server = uvicorn.Server(uvicorn.Config(create_app(relay), host=host, port=port, log_level="info"))
        _print_routing(console, relay)
        console.print(f"Receiving on http://{host}:{port}{WEBHOOK_PATH}")
        if sandbox:
            _start_sandbox_tour(server, port, settings.secret_values()[0], console, stack)
        server.run()


def _log_to(console: Console) -> None:
    """Show what the relay does with each delivery (ids, types, outcomes; never a body) on `console`."""
    logger = logging.getLogger("bot.webhooks")
    if not logger.handlers:
        logger.addHandler(RichHandler(console=console, show_path=False))
        logger.setLevel(logging.INFO)


def _slack_client(bot_settings: BotSettings, console: Console, stack: ExitStack) -> WebClient:
    """Slack from SLACK_BOT_TOKEN, or (sandbox runs without one) the local stand-in, shown in the terminal."""
    token = secret_value(bot_settings.slack_bot_token)
    if token:
        return WebClient(token=token, base_url=bot_settings.slack_api_url)
    standin = stack.enter_context(SlackStandIn())
    stop = threading.Event()
    stack.callback(stop.set)
    threading.Thread(target=_show_posts, args=(standin, console, stop), daemon=True).start()
    console.print("No SLACK_BOT_TOKEN: messages are shown here instead of being posted to Slack.")
    return WebClient(token="xoxb-standin", base_url=standin.api_url)


def _show_posts(standin: SlackStandIn, console: Console, stop: threading.Event) -> None:
    from bot.terminal_view import message_panel

    seen = 0
    while not stop.is_set():
        try:
            records = standin.wait_for(lambda new: len(new) > 0, timeout=0.5, since=seen)
        except TimeoutError:
            continue
        seen += len(records)
        for record in records:
            if record.kind == "api" and record.name == "chat.postMessage":
                console.print(message_panel(record.payload, f"#{record.payload.get('channel')}", 1))


def _start_sandbox_tour(
    server: uvicorn.Server, port: int, secret: str, console: Console, stack: ExitStack
) -> None:
    """Once the receiver listens, a sandbox subscribed to it sends a test event, moves an order on and takes
    a product's stock below the low-stock threshold."""
    from toolkit import Client
    from toolkit.sandbox import Sandbox
    from toolkit.vocabulary import LOW_STOCK_THRESHOLD

    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    sandbox = stack.enter_context(Sandbox(webhooks=[{"url": url, "secret": secret}]))

    def tour() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        sandbox.send_test_event()
        with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1:
            order_id = p1.orders.list(status="awaiting_packing", max_rows=1)["id"].iloc[0]
            p1.orders.set_status(order_id, "ready_pickup")
            stock = p1.inventory.list()
            product = stock[stock["stock_quantity"] > LOW_STOCK_THRESHOLD].iloc[0]
            p1.inventory.adjust(
                product["p1_id"],
                reason="p1 webhooks --sandbox",
                delta_on_hand=3 - int(product["stock_quantity"]),
            )
        console.print(
            f"Sandbox PharmaOne at {sandbox.base_url} (org {sandbox.org_id}, API key {sandbox.api_key}) "
            "delivers its webhooks here; change more there and watch. Ctrl-C stops."
        )

    threading.Thread(target=tour, name="p1-webhooks-tour", daemon=True).start()
