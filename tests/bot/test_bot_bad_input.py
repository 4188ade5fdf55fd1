"""Bad input gets a private answer that says what was wrong and what to type instead; nothing is changed."""

from __future__ import annotations

import pytest
from bot_harness import OPERATOR, is_private, message_text, only_answer


@pytest.mark.parametrize(
    ("text", "says", "suggests"),
    [
        (
            "ordr ORD_20260614_8v039dhnrv",
            "`ordr` is not a /p1 command",
            "Did you mean `/p1 order <order id>`?",
        ),
        ("order 12345", "`12345` is not an order id", "`/p1 order ORD_20260614_8v039dhnrv`"),
        ("order", "Give exactly one order id", "Usage: `/p1 order <order id>`"),
        ("status ORD_20260614_8v039dhnrv shipped_yesterday", "is not an order status", "`ready_pickup`"),
        ("status ORD_20260614_8v039dhnrv", "Give an order id and the new status", "Usage: `/p1 status"),
        ("stock", "Say which product", "e.g. `/p1 stock zainbow shop1`"),
    ],
)
def test_malformed_commands_are_answered_in_the_ack_privately(bot, sandbox, text, says, suggests):
    before = len(sandbox.received())
    exchange = bot.command(text, user_id=OPERATOR)
    answer = only_answer(exchange)
    assert exchange.ack_message is not None and is_private(answer)
    assert says in message_text(answer) and suggests in message_text(answer)
    assert len(sandbox.received()) == before  # refused before anything reached PharmaOne
    assert bot.runtime.store.latest_audit() == []


def test_an_unknown_order_id_is_answered_privately_after_asking_pharmaone(bot):
    answer = only_answer(bot.command("order ORD_20200101_doesnotexist"))
    assert is_private(answer)
    assert "PharmaOne has no order `ORD_20200101_doesnotexist`" in message_text(answer)
    assert "`/p1 orders`" in message_text(answer)
    assert bot.shared() == []


def test_an_unknown_shop_lists_the_shops(bot):
    answer = message_text(only_answer(bot.command("orders pending atlantis")))
    assert "There is no shop “atlantis”" in answer and "`shop1` (Demo Shop DEV)" in answer


def test_a_stock_query_without_matches_says_so(bot):
    answer = message_text(only_answer(bot.command("stock unobtainium")))
    assert "No product matches “unobtainium”" in answer
