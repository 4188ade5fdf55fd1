"""`/p1 report` through the real Bolt app with Slack-signed requests; answers land on the Slack stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.app import create_app, runtime_of
from bot.privacy import find_patient_data
from bot.settings import BotSettings
from bot.simulator import SlackSimulator
from bot.slack_standin import SlackStandIn
from toolkit import Client

SECRET = "report-test-signing-secret"


@pytest.fixture(scope="module")
def p1(sandbox) -> Iterator[Client]:
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as client:
        yield client


@pytest.fixture
def slack(p1) -> Iterator[tuple[SlackSimulator, SlackStandIn]]:
    with SlackStandIn() as standin:
        settings = BotSettings(
            _env_file=None,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SECRET,
            slack_api_url=standin.api_url,
            bot_db=":memory:",
            pharmaone_timeout=60,
        )
        app = create_app(p1, settings=settings)
        yield SlackSimulator(app, standin, SECRET), standin
        runtime_of(app).shutdown()


def ask(simulator: SlackSimulator, text: str) -> dict:
    """The one private answer to `/p1 <text>` (the ack's text, or the response URL post)."""
    exchange = simulator.command(text)
    assert exchange.status == 200 and exchange.ack_seconds < 3
    if exchange.ack_message:
        return exchange.ack_message
    (answer,) = exchange.wait_for_answers(1, timeout=60)
    return answer.payload


def test_report_is_shown_only_to_the_caller(slack, sandbox) -> None:
    simulator, standin = slack
    day = sandbox.now.date() - timedelta(days=2)
    answer = ask(simulator, f"report {day:%Y-%m-%d}")
    assert answer["response_type"] == "ephemeral"
    assert answer["blocks"][0]["text"]["text"].startswith(f"Daily report {day:%a %d.%m.%Y}")
    assert "Only you see this" in str(answer["blocks"][-1])
    assert not [r for r in standin.records() if r.shared]  # nothing went to the channel
    names = [row["customer_name"] for row in sandbox.query("SELECT customer_name FROM orders LIMIT 50")]
    assert find_patient_data(answer, known=names) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("report 14.06.2026", "'14.06.2026' is not a date: use YYYY-MM-DD"),
        ("report 2026-06-14 2026-06-15", "at most one date"),
    ],
)
def test_malformed_dates_are_refused_in_the_ack(slack, text: str, expected: str) -> None:
    simulator, standin = slack
    exchange = simulator.command(text)
    refusal = exchange.ack_message["text"]
    assert expected in refusal and "Usage: `/p1 report [YYYY-MM-DD]`" in refusal
    assert exchange.answers() == [] and standin.calls("chat.postMessage") == []


def test_future_and_too_early_days_get_a_private_answer(slack, sandbox) -> None:
    simulator, _ = slack
    future = ask(simulator, f"report {date.today() + timedelta(days=3):%Y-%m-%d}")
    assert future["response_type"] == "ephemeral" and "is in the future" in future["text"]
    early = ask(simulator, "report 2001-01-01")
    assert "before the data begins: the first order is from" in early["text"]
