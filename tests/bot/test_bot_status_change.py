"""/p1 status and the status menu: ask first, only operators, every attempt audited, no patient data."""

from __future__ import annotations

import json

from bot_harness import (
    GROUP_OPERATOR,
    OPERATOR,
    READER,
    assert_no_patient_data,
    is_private,
    message_text,
    only_answer,
)

from bot.simulator import Clickable
from bot.views import ACTION_CONFIRM_STATUS


def status_in_sandbox(sandbox, order_id: str) -> str:
    return sandbox.query("SELECT status FROM orders WHERE id = ?", order_id)[0]["status"]


def patches(sandbox, order_id: str) -> list[dict]:
    return sandbox.received(method="PATCH", path_contains=order_id)


def test_an_operator_confirms_and_the_channel_is_told_who_moved_what(bot, sandbox, new_order):
    order = new_order("awaiting_packing")
    question = only_answer(bot.command(f"status {order.id} ready_pickup", user_id=OPERATOR))
    assert is_private(question)
    assert "awaiting_packing" in message_text(question) and "ready_pickup" in message_text(question)
    assert status_in_sandbox(sandbox, order.id) == "awaiting_packing"  # nothing before the confirmation
    assert patches(sandbox, order.id) == []

    done = bot.click(question, "Confirm", user_id=OPERATOR)
    assert status_in_sandbox(sandbox, order.id) == "ready_pickup"
    replaced, announced = [a.payload for a in done.answers()]
    assert replaced["replace_original"] is True and "is now `ready_pickup`" in message_text(replaced)
    assert announced["response_type"] == "in_channel"
    assert announced["text"] == f"<@{OPERATOR}> moved {order.id} from awaiting_packing to ready_pickup"
    assert_no_patient_data(bot.shared(), [order])

    (entry,) = bot.runtime.store.latest_audit()
    assert (entry.user_id, entry.channel_id, entry.command, entry.decision, entry.result) == (
        OPERATOR, "C0PHARMACY", "status", "allowed", "ok"
    )  # fmt: skip
    assert entry.arguments["order_id"] == order.id and entry.arguments["status"] == "ready_pickup"


def test_a_reader_is_refused_privately_nothing_changes_and_it_is_audited(bot, sandbox, new_order):
    order = new_order("awaiting_packing")
    refused = only_answer(bot.command(f"status {order.id} ready_pickup"))
    assert is_private(refused) and "operator" in message_text(refused)
    assert "Nothing was changed" in message_text(refused)
    assert status_in_sandbox(sandbox, order.id) == "awaiting_packing"
    assert patches(sandbox, order.id) == []
    (entry,) = bot.runtime.store.latest_audit()
    assert (entry.user_id, entry.decision) == (READER, "denied")
    assert bot.shared() == []


def test_a_reader_clicking_an_operators_confirm_button_changes_nothing(bot, sandbox, new_order):
    order = new_order("awaiting_packing")
    question = only_answer(bot.command(f"status {order.id} ready_pickup", user_id=OPERATOR))
    refused = only_answer(bot.click(question, "Confirm", user_id=READER))
    assert is_private(refused) and "operator" in message_text(refused)
    assert status_in_sandbox(sandbox, order.id) == "awaiting_packing"
    assert patches(sandbox, order.id) == []
    assert [(e.user_id, e.decision) for e in bot.runtime.store.latest_audit()] == [(READER, "denied")]


def test_members_of_an_operator_group_may_change(bot, sandbox, new_order):
    order = new_order("pending")
    question = only_answer(bot.command(f"status {order.id} awaiting_packing", user_id=GROUP_OPERATOR))
    bot.click(question, "Confirm", user_id=GROUP_OPERATOR)
    assert status_in_sandbox(sandbox, order.id) == "awaiting_packing"
    assert bot.standin.calls("usergroups.users.list")


def test_cancel_changes_nothing_and_is_audited(bot, sandbox, new_order):
    order = new_order("awaiting_packing")
    question = only_answer(bot.command(f"status {order.id} cancelled", user_id=OPERATOR))
    cancelled = only_answer(bot.click(question, "Cancel", user_id=OPERATOR))
    assert cancelled["replace_original"] is True and "stays `awaiting_packing`" in message_text(cancelled)
    assert status_in_sandbox(sandbox, order.id) == "awaiting_packing"
    assert patches(sandbox, order.id) == []
    assert [e.decision for e in bot.runtime.store.latest_audit()] == ["cancelled"]


def test_an_impossible_change_says_which_moves_are_possible(bot, sandbox, new_order):
    order = new_order("awaiting_packing")
    refused = message_text(only_answer(bot.command(f"status {order.id} completed", user_id=OPERATOR)))
    assert "`ready_pickup`, `ready_shipping`, `cancelled`" in refused and "Nothing was changed" in refused
    assert patches(sandbox, order.id) == []
    assert [e.decision for e in bot.runtime.store.latest_audit()] == ["refused"]


def test_a_stale_confirmation_is_not_applied(bot, p1, sandbox, new_order):
    order = new_order("awaiting_packing")
    question = only_answer(bot.command(f"status {order.id} ready_pickup", user_id=OPERATOR))
    p1.orders.set_status(order.id, "cancelled")  # someone else, in Manager, meanwhile
    stale = only_answer(bot.click(question, "Confirm", user_id=OPERATOR))
    assert "moved since you asked" in message_text(stale)
    assert status_in_sandbox(sandbox, order.id) == "cancelled"
    assert bot.runtime.store.latest_audit()[0].result == "refused: order is now cancelled"


def test_the_status_menu_on_the_card_leads_to_the_same_confirmation(bot, sandbox, new_order):
    order = new_order("awaiting_packing")
    card = only_answer(bot.command(f"order {order.id}"))
    menu = next(e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"] if "options" in e)
    offered = [json.loads(o["value"])["status"] for o in menu["options"]]
    assert offered == ["ready_pickup", "ready_shipping", "cancelled"]

    question = only_answer(bot.click(card, "Move to status…", option="ready_shipping", user_id=OPERATOR))
    assert is_private(question) and "Confirm" in message_text(question)
    bot.click(question, "Confirm", user_id=OPERATOR)
    assert status_in_sandbox(sandbox, order.id) == "ready_shipping"
    assert_no_patient_data(bot.shared(), [order])


def test_a_confirm_for_an_impossible_move_is_refused_before_pharmaone(bot, sandbox, new_order):
    """Only Slack can send clicks (they are signed), but the bot checks the move again all the same."""
    order = new_order("awaiting_packing")
    value = json.dumps({"order_id": order.id, "from": "awaiting_packing", "to": "completed"})
    forged = Clickable("button", "Confirm", ACTION_CONFIRM_STATUS, f"status_confirm:{order.id}", value)
    exchange = bot.slack.click(forged, user_id=OPERATOR)
    assert bot.runtime.wait_idle(10)
    assert "cannot move to `completed`" in message_text(only_answer(exchange))
    assert patches(sandbox, order.id) == []
    assert bot.runtime.store.latest_audit()[0].result.startswith("refused: it is `awaiting_packing`")
