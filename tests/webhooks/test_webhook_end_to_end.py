"""The issue's check, end to end: the sandbox, subscribed to the receiver, changes things through a toolkit
Client; the right messages reach the Slack stand-in once each, although the first delivery's answer is lost
and the sandbox delivers it again; replayed, tampered, forged and malformed deliveries post nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from webhook_helpers import DEFAULT_CHANNEL, SECRET, STOCK_CHANNEL, serve, signed_headers, wait_until

from bot.privacy import customer_details, find_patient_data
from bot.webhooks import WebhookRelay, create_app
from toolkit import Client
from toolkit.vocabulary import LOW_STOCK_THRESHOLD
from toolkit.webhooks import DELIVERY_ID_HEADER, SIGNATURE_HEADER, sign

PATH = "/webhooks/pharmaone"


def _outcome(answer: bytes) -> str:
    """The receiver's status ("accepted", "duplicate") or error slug."""
    document = json.loads(answer)
    return document.get("status") or document["error"]


class LoseFirstAnswer:
    """ASGI wrapper in front of the receiver: keeps every delivery it sees, lets the receiver handle them all,
    but answers the first one with a 500 instead of the receiver's answer, as if that answer got lost."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[tuple[str, str]] = []  # (delivery id, the receiver's status)
        self._lock = threading.Lock()

    def answers_to(self, delivery_id: str) -> list[str]:
        return [status for answered, status in self.answers if answered == delivery_id]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {key.decode(): value.decode() for key, value in scope["headers"]}
        with self._lock:
            lose = not self.deliveries
            self.deliveries.append((headers, body))
        answer: dict[str, Any] = {}

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.body":
                answer["body"] = answer.get("body", b"") + message.get("body", b"")
            if not lose:
                await send(message)

        await self.app(scope, replay, capture)
        self.answers.append((headers.get(DELIVERY_ID_HEADER.lower(), ""), _outcome(answer["body"])))
        if lose:
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": b"lost"})


@dataclass(frozen=True)
class RelayedSandbox:
    p1: Client  # a toolkit Client on the sandbox (p1.sandbox_server)
    receiver: LoseFirstAnswer
    base_url: str  # the receiver's
    relay: WebhookRelay


@pytest.fixture
def relayed(make_relay) -> Iterator[RelayedSandbox]:
    """A relay served behind LoseFirstAnswer; a sandbox subscribed to it, retrying after 0.2, 0.5 and 1 s."""
    relay = make_relay()
    receiver = LoseFirstAnswer(create_app(relay))
    with serve(receiver) as base_url:
        subscription = {"url": base_url + PATH, "secret": SECRET}
        with Client.sandbox(webhooks=[subscription], webhook_retry_delays=(0.2, 0.5, 1.0)) as p1:
            yield RelayedSandbox(p1, receiver, base_url, relay)


def test_status_change_and_low_stock_reach_slack_once_each_and_bad_deliveries_post_nothing(relayed, slack):
    p1, receiver, sandbox = relayed.p1, relayed.receiver, relayed.p1.sandbox_server
    order_id = p1.orders.list(status="awaiting_packing", max_rows=1)["id"].iloc[0]
    patient = customer_details(p1.orders.get(order_id))
    p1.orders.set_status(order_id, "ready_pickup")
    stock = p1.inventory.list()
    product = stock[stock["stock_quantity"] > LOW_STOCK_THRESHOLD].iloc[0]
    p1.inventory.adjust(product["p1_id"], reason="e2e test", delta_on_hand=3 - int(product["stock_quantity"]))
    assert sandbox.wait_for_webhooks(timeout=60)
    deliveries = sandbox.webhook_deliveries()
    wait_until(lambda: len(slack.posts()) >= 2, what="both messages at the Slack stand-in")

    # What the sandbox did: two events, the first delivered again (same delivery id) once its answer got lost;
    # every delivery after the first of an id was answered "duplicate".
    assert [row["event_type"] for row in deliveries] == ["order_status_updated", "low_stock"]
    assert [row["status"] for row in deliveries] == ["delivered", "delivered"]
    assert deliveries[0]["attempts"] >= 2
    for row in deliveries:
        first, *again = receiver.answers_to(row["delivery_id"])
        assert first == "accepted"
        assert again == ["duplicate"] * (row["attempts"] - 1)

    # What the pharmacy saw: each change once, in its channel, without patient data.
    by_channel = {post["channel"]: post["text"] for post in slack.posts()}
    assert len(slack.posts()) == 2
    assert patient and find_patient_data(slack.posts(), patient) == []
    assert f"`{order_id}` awaiting_packing → ready_pickup" in by_channel[DEFAULT_CHANNEL]
    low = f"Low stock: *{product['name']}* (p1_id {product['p1_id']}): 3 left"
    assert f"{low} (threshold {LOW_STOCK_THRESHOLD})" in by_channel[STOCK_CHANNEL]

    # Bad deliveries to the live receiver: replayed as is or with a changed body, forged, malformed.
    headers, body = receiver.deliveries[0]
    signed = {name: headers[name.lower()] for name in (DELIVERY_ID_HEADER, SIGNATURE_HEADER)}
    tampered = body.replace(b'"ready_pickup"', b'"cancelled"')
    assert tampered != body
    malformed = b'{"event_type": "low_stock"}'
    bad = [
        (body, signed, 200),  # a replay: recorded already, nothing new
        (tampered, signed, 401),
        (body, {**signed, SIGNATURE_HEADER: sign(body, "guessed-secret")}, 401),
        (malformed, signed_headers(malformed), 400),
    ]
    with httpx.Client(base_url=relayed.base_url) as client:
        statuses = [client.post(PATH, content=raw, headers=extra).status_code for raw, extra, _ in bad]
        assert statuses == [expected for *_, expected in bad]
        sentinel = json.dumps({**json.loads(body), "id": "sentinel"}).encode()
        assert client.post(PATH, content=sentinel, headers=signed_headers(sentinel)).status_code == 200
    wait_until(lambda: relayed.relay.deliveries.counts() == {"posted": 3}, what="the sentinel post")
    assert len(slack.posts()) == 3


def test_payments_prescriptions_order_requests_and_empty_stock_reach_slack_without_patient_data(
    relayed, slack
):
    p1 = relayed.p1
    patient = {"customer_name": "Erika Musterfrau", "customer_email": "erika.musterfrau@example.com"}
    pending = p1.orders.list(status="pending")
    unpaid = pending[pending["payment_status"] == "pending"]  # a paid one would send no order_marked_paid
    order_id = unpaid["id"].iloc[0]
    p1.orders.update(order_id, payment_status="paid")
    prescription = p1.prescriptions.ingest("shop1", patient["customer_email"], status="approved")
    p1.prescriptions.ingest("shop1", patient["customer_email"], status="signed")
    stock = p1.inventory.list()
    product = stock[stock["stock_quantity"] > 0].iloc[-1]
    p1.inventory.adjust(product["p1_id"], reason="e2e test", delta_on_hand=-int(product["stock_quantity"]))
    item = {"name": product["name"], "quantity": 1, "price": 8.5}
    request = p1.order_requests.create("shop1", [item], external_reference="POS-E2E-1", **patient)
    assert p1.sandbox_server.wait_for_webhooks(timeout=60)
    wait_until(lambda: len(slack.posts()) >= 5, what="five messages")

    posts = [(post["channel"], post["text"]) for post in slack.posts()]
    expected = [
        (DEFAULT_CHANNEL, f"Order `{order_id}` marked paid"),
        (DEFAULT_CHANNEL, f"Prescription `{prescription.id}` approved · shop shop1"),
        (DEFAULT_CHANNEL, f"Prescription `{prescription.id}` signature completed · shop shop1"),
        (DEFAULT_CHANNEL, f"order request `{request.id}` to review in Manager · shop shop1"),
        (STOCK_CHANNEL, f"Out of stock: *{product['name']}* (p1_id {product['p1_id']}): 0 left"),
    ]
    assert len(posts) == len(expected)
    for channel, part in expected:
        assert sum(part in text for where, text in posts if where == channel) == 1, part
    assert "ref `POS-E2E-1`" in next(text for _, text in posts if "order request" in text)
    assert find_patient_data(slack.posts(), patient.values()) == []
