"""Slack's 3 seconds: the bot acks at once whatever PharmaOne does, answers later, and says when it cannot."""

from __future__ import annotations

import time

import pytest
from bot_harness import OPERATOR, is_private, message_text, only_answer

from toolkit import Client

GENEROUS_ACK_SECONDS = 1.0  # Slack allows 3 s; the bot needs milliseconds


@pytest.fixture
def slow_sandbox(make_sandbox):
    """`slow_sandbox(ms)`: a private sandbox answering after `ms` (the client's token is fetched before)."""
    clients = []

    def make(latency_ms: int):
        sandbox = make_sandbox()
        client = Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, max_retries=0)
        clients.append(client)
        inventory = client.inventory.list()
        sandbox.configure(latency_ms=latency_ms)
        return client, inventory

    yield make
    for client in clients:
        client.close()


def zainbow_line(inventory) -> str:
    row = inventory[inventory["name"].str.contains("Zainbow")].iloc[0]
    return f"`{row.p1_id}` {row['name']} — *{row.stock_quantity}* in stock"


def test_acks_stay_fast_while_pharmaone_takes_5_s_and_the_answer_comes_later(make_bot, slow_sandbox):
    client, inventory = slow_sandbox(5000)
    bot = make_bot(client)
    started = time.monotonic()
    exchanges = [bot.slack.command("stock zainbow") for _ in range(3)]
    assert all(e.status == 200 for e in exchanges)
    assert max(e.ack_seconds for e in exchanges) < GENEROUS_ACK_SECONDS
    assert all(e.answers() == [] for e in exchanges)  # nothing yet: PharmaOne is still thinking

    for exchange in exchanges:
        assert zainbow_line(inventory) in message_text(exchange.wait_for_answers(timeout=15)[0].payload)
    assert time.monotonic() - started >= 5


def test_acks_stay_fast_when_the_bots_own_pool_is_busy(make_bot, slow_sandbox):
    client, inventory = slow_sandbox(500)
    bot = make_bot(client, workers=1)  # every command after the first waits for the pool
    exchanges = [bot.slack.command("stock zainbow") for _ in range(4)]
    assert max(e.ack_seconds for e in exchanges) < GENEROUS_ACK_SECONDS
    for exchange in exchanges:
        assert zainbow_line(inventory) in message_text(exchange.wait_for_answers(timeout=15)[0].payload)


def test_a_read_that_takes_too_long_is_reported_and_changes_nothing(make_bot, make_sandbox):
    sandbox = make_sandbox()
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, max_retries=0) as client:
        client.shops.list()  # the token, before PharmaOne gets slow
        sandbox.configure(latency_ms=1500)
        bot = make_bot(client, pharmaone_timeout=0.5)
        exchange = bot.slack.command("stock zainbow")
        assert exchange.ack_seconds < GENEROUS_ACK_SECONDS
        answer = exchange.wait_for_answers(timeout=10)[0].payload
    assert is_private(answer)
    assert "PharmaOne did not answer in 0.5 s; nothing was changed." in message_text(answer)


def test_a_confirmed_change_that_times_out_is_audited_and_not_announced(make_bot, make_sandbox):
    sandbox = make_sandbox()
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, max_retries=0) as client:
        items = [{"name": "Test flos", "quantity": 1, "price": 5.0}]
        new = {"status": "awaiting_packing", "customer_name": "T. Est"}
        order_id = client.orders.upsert("shop1", "BOT-SLOW-1", items, **new).id
        bot = make_bot(client, pharmaone_timeout=0.5)
        question = only_answer(bot.command(f"status {order_id} ready_pickup", user_id=OPERATOR))
        sandbox.configure(latency_ms=1500)
        answer = only_answer(bot.click(question, "Confirm", user_id=OPERATOR))
        assert answer["replace_original"] is True
        assert "PharmaOne did not answer in 0.5 s; nothing was changed." in message_text(answer)
        assert bot.shared() == []  # the channel is not told of a change that did not happen
        assert bot.runtime.store.latest_audit()[0].result == "timeout"
        sandbox.configure(latency_ms=0)
        assert client.orders.get(order_id).status == "awaiting_packing"


def test_pharmaone_down_is_said_plainly(make_bot):
    with Client("http://127.0.0.1:9", "org1", "p1_unused_key", max_retries=0, timeout=2) as unreachable:
        bot = make_bot(unreachable)
        answer = only_answer(bot.command("order ORD_20260614_8v039dhnrv"))
    assert is_private(answer)
    assert "PharmaOne could not be reached; nothing was changed" in message_text(answer)
