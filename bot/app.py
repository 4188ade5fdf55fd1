"""`create_app`: the Bolt app behind `/p1`, its buttons and menus.

Every listener only parses, acks and hands the work to the bot's own pool (`BotRuntime`); answers go
through `respond` (the request's response_url). Bolt runs with `process_before_response=True`, so the ack
leaves as soon as the listener returns — which is at once.
"""

from __future__ import annotations

import json
import logging
import secrets
import weakref
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands import Invocation, UsageError, parse_command
from bot.commands.customer import show_customer
from bot.commands.registry import run_guarded
from bot.commands.status import StatusChange, apply_change, cancel_change, propose_change
from bot.runtime import BotRuntime
from bot.settings import BotSettings, secret_value
from bot.store import Store
from bot.views import (
    ACTION_CANCEL_STATUS,
    ACTION_CONFIRM_STATUS,
    ACTION_SET_STATUS,
    ACTION_SHOW_CUSTOMER,
)

SLASH_COMMAND = "/p1"

_runtimes: weakref.WeakKeyDictionary[App, BotRuntime] = weakref.WeakKeyDictionary()


class _WithoutTokenSkippedWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused whenever a client is passed; ours carries that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_WithoutTokenSkippedWarning())


def runtime_of(app: App) -> BotRuntime:
    """The runtime (pool, store, policy) of an app made by `create_app`."""
    return _runtimes[app]


def create_app(p1: Any, *, slack_client: WebClient | None = None, settings: BotSettings | None = None) -> App:
    """The Bolt app for `/p1`. `p1` is a `toolkit.Client`; `slack_client` defaults to one from settings."""
    settings = settings or BotSettings()
    client = slack_client or WebClient(
        token=secret_value(settings.slack_bot_token), base_url=settings.slack_api_url
    )
    runtime = BotRuntime(p1, settings, client, Store(settings.bot_db))
    app = App(
        client=client,
        # No signing secret (Socket Mode): a random one, so that no HTTP request can ever verify.
        signing_secret=secret_value(settings.slack_signing_secret) or secrets.token_hex(32),
        process_before_response=True,
        name="pharmaone-ops",
    )
    _runtimes[app] = runtime

    def invocation(body: dict[str, Any], respond: Respond) -> Invocation:
        user = body.get("user_id") or body.get("user", {}).get("id", "")
        channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
        return Invocation(runtime, user, channel, respond)

    def start(body: dict[str, Any], respond: Respond, job: Callable[..., None], *args: Any) -> None:
        runtime.submit(run_guarded, invocation(body, respond), job, *args)

    @app.command(SLASH_COMMAND)
    def on_command(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        try:
            sub, arguments = parse_command(body.get("text", ""))
        except UsageError as exc:
            ack(text=str(exc))  # an ack's text is private to the caller
            return
        readable = runtime.policy.may_read(body.get("channel_id"))
        if not readable:
            ack(text=readable.reason)
            return
        ack()
        start(body, respond, sub.run, arguments)

    @app.action(ACTION_SHOW_CUSTOMER)
    def on_show_customer(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        start(body, respond, show_customer, action["value"])

    @app.action(ACTION_SET_STATUS)
    def on_status_menu(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        choice = json.loads(action["selected_option"]["value"])
        start(body, respond, propose_change, StatusChange(choice["order_id"], choice["status"]))

    @app.action(ACTION_CONFIRM_STATUS)
    def on_confirm(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        change = json.loads(action["value"])
        start(body, respond, apply_change, change["order_id"], change["from"], change["to"])

    @app.action(ACTION_CANCEL_STATUS)
    def on_cancel(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        change = json.loads(action["value"])
        start(body, respond, cancel_change, change["order_id"], change["from"], change["to"])

    return app
