"""Helpers for the bot tests: a harness around the real app, answers, their text, the patient-data check."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from bot.privacy import customer_details, find_patient_data
from bot.runtime import BotRuntime
from bot.simulator import Exchange, SlackSimulator, clickables
from bot.slack_standin import Recorded, SlackStandIn

SIGNING_SECRET = "test-signing-secret"
OPERATOR = "U0OPERATOR"
GROUP_OPERATOR = "U0GROUPOP"
OPERATOR_GROUP = "S0PHARMACY"
READER = "U0READER"


@dataclass
class BotHarness:
    app: Any
    runtime: BotRuntime
    standin: SlackStandIn
    slack: SlackSimulator

    def command(self, text: str, **who: Any) -> Exchange:
        """Send `/p1 <text>` and wait until the bot has finished working on it."""
        exchange = self.slack.command(text, **who)
        assert exchange.status == 200, exchange.ack_body
        assert self.runtime.wait_idle(20), "the bot did not finish in 20 s"
        return exchange

    def click(self, message: dict[str, Any], label: str, option: str | None = None, **who: Any) -> Exchange:
        """Click the button (or pick `option` in the menu) labelled `label` in `message`."""
        (item,) = [c for c in clickables(message) if c.label == label]
        exchange = self.slack.click(item, option=option, **who)
        assert exchange.status == 200, exchange.ack_body
        assert self.runtime.wait_idle(20), "the bot did not finish in 20 s"
        return exchange

    def shared(self) -> list[Recorded]:
        """Everything the whole channel has seen so far."""
        return [r for r in self.standin.records() if r.shared]


def only_answer(exchange: Exchange) -> dict[str, Any]:
    """The single message the bot answered with: the ack's (private) or the one response URL post."""
    answers = [a.payload for a in exchange.answers()]
    if exchange.ack_message:
        answers.insert(0, exchange.ack_message)
    assert len(answers) == 1, answers
    return answers[0]


def message_text(message: dict[str, Any]) -> str:
    """All text of a message (notification text, blocks, fields, buttons) as one string."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("text", "fields", "blocks", "elements", "options") or isinstance(
                    item, (dict, list)
                ):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            parts.append(value)

    walk(message)
    return "\n".join(parts)


def is_private(message: dict[str, Any]) -> bool:
    return message.get("response_type", "ephemeral") == "ephemeral"


def assert_no_patient_data(records: list[Recorded], orders: list[Any]) -> None:
    known = [detail for order in orders for detail in customer_details(order)]
    for record in records:
        assert find_patient_data(record.payload, known) == [], (
            f"patient data in a channel post: {record.name}"
        )


@contextmanager
def served(asgi_app: Any) -> Iterator[httpx.Client]:
    """Serve `asgi_app` with uvicorn on a free 127.0.0.1 port; yields an httpx client for it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(asgi_app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=10) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
