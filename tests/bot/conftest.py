"""The bot under test: the real Bolt app, Slack-signed requests, a local Slack stand-in, the sandbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from bot_harness import GROUP_OPERATOR, OPERATOR, OPERATOR_GROUP, READER, SIGNING_SECRET, BotHarness

from bot.app import create_app, runtime_of
from bot.runtime import BotRuntime
from bot.settings import BotSettings
from bot.simulator import SlackSimulator
from bot.slack_standin import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(usergroups={OPERATOR_GROUP: [GROUP_OPERATOR]}) as running:
        yield running


@pytest.fixture
def make_bot(standin: SlackStandIn) -> Iterator[Callable[..., BotHarness]]:
    """`make_bot(p1, **settings)`: a bot whose operators are OPERATOR and the group OPERATOR_GROUP."""
    runtimes: list[BotRuntime] = []

    def make(client: Any, **settings: Any) -> BotHarness:
        options = {
            "slack_bot_token": "xoxb-test-token",
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": standin.api_url,
            "operators": (OPERATOR, OPERATOR_GROUP),
            "bot_db": ":memory:",
            **settings,
        }
        app = create_app(client, settings=BotSettings(_env_file=None, **options))
        runtime = runtime_of(app)
        runtimes.append(runtime)
        return BotHarness(app, runtime, standin, SlackSimulator(app, standin, SIGNING_SECRET, user_id=READER))

    yield make
    for runtime in runtimes:
        runtime.shutdown()


@pytest.fixture
def bot(make_bot, p1) -> BotHarness:
    return make_bot(p1)


@pytest.fixture
def new_order(p1) -> Callable[..., Any]:
    """`new_order(status)`: an order of our own in the shared sandbox (tests change only what they create)."""

    def create(status: str = "awaiting_packing") -> Any:
        result = p1.orders.upsert(
            "shop1",
            f"BOT-TEST-{uuid.uuid4().hex[:10]}",
            [{"name": "Test flos 22/1", "quantity": 3, "price": 7.5}],
            status=status,
            customer_name="Erika Beispielfrau",
            customer_email="erika.beispielfrau@example.org",
            shipping_address={
                "street": "Probeweg 12",
                "city": "Köln",
                "postal_code": "50667",
                "phone": "+49 221 5550199",
            },
        )
        return p1.orders.get(result.id)

    return create


@pytest.fixture
def no_settings_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither Slack's nor PharmaOne's settings in the environment (to check that missing ones are named)."""
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "P1_BASE_URL",
        "P1_ORG_ID",
        "P1_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
