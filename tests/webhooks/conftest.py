"""Fixtures for the webhook relay: the shared Slack stand-in and relays posting to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from webhook_helpers import DEFAULT_CHANNEL, FAST_RETRIES, OLD_SECRET, SECRET, STOCK_CHANNEL, SlackView

from bot.slack_standin import SlackStandIn
from bot.store import Store
from bot.webhooks import WebhookRelay, WebhookSettings


@pytest.fixture(scope="session")
def standin_server() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def slack(standin_server: SlackStandIn) -> SlackView:
    return SlackView(standin_server, len(standin_server.records()))


@pytest.fixture
def make_relay(slack: SlackView) -> Iterator[Callable[..., WebhookRelay]]:
    """Build relays posting to the stand-in; every one built is closed at the end of the test."""
    built: list[WebhookRelay] = []

    def make(
        store: Store | None = None,
        client: WebClient | None = None,
        start: bool = False,
        retry_delays: tuple[float, ...] = FAST_RETRIES,
        **settings: Any,
    ) -> WebhookRelay:
        options = {
            "secrets": (SECRET, OLD_SECRET),
            "channel": DEFAULT_CHANNEL,
            "channels": {"low_stock": STOCK_CHANNEL, "out_of_stock": STOCK_CHANNEL, "order_updated": None},
            **settings,
        }
        client = client or WebClient(token="xoxb-test", base_url=slack.api_url, timeout=5)
        webhook_settings = WebhookSettings(_env_file=None, **options)
        relay = WebhookRelay(webhook_settings, store or Store(), client, retry_delays=retry_delays)
        built.append(relay)
        if start:
            relay.start()
        return relay

    yield make
    for relay in built:
        relay.close()
