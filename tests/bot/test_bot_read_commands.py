"""/p1 help, order, orders and stock against the shared sandbox, through signed requests and the real app."""

from __future__ import annotations

import re

import pandas as pd
from bot_harness import OPERATOR, assert_no_patient_data, is_private, message_text, only_answer

from bot.privacy import customer_details, find_patient_data
from bot.views import local_time
from toolkit.vocabulary import next_order_statuses


def test_help_lists_what_the_caller_may_run_with_an_example_each(bot):
    reader_help = message_text(only_answer(bot.command("help")))
    for usage in (
        "/p1 help",
        "/p1 order <order id>",
        "/p1 orders [status] [shop]",
        "/p1 stock",
        "/p1 report",
    ):
        assert usage in reader_help
    assert reader_help.count("e.g. `/p1 ") == 5  # one example per command the reader may run
    assert "/p1 status <order id>" not in reader_help and "`status`" in reader_help  # named as operators-only

    operator_help = message_text(only_answer(bot.command("", user_id=OPERATOR)))  # bare /p1 is help
    assert "/p1 status <order id> <status>" in operator_help
    assert operator_help.count("e.g. `/p1 ") == 6


def test_order_card_shows_the_order_but_never_the_customer(bot, p1, sandbox):
    order_id = p1.orders.list(max_rows=1)["id"].iloc[0]
    order = p1.orders.get(order_id)
    shop_name = p1.shops.list().set_index("shop_id")["name"][order.shop_id]

    card = only_answer(bot.command(f"order {order_id}"))
    assert card["response_type"] == "in_channel"
    text = message_text(card)
    zone = bot.runtime.settings.zone
    for expected in (order_id, shop_name, order.status, order.payment_status, f"€{order.total_amount:,.2f}"):
        assert expected in text
    assert local_time(order.created_at, zone) in text and local_time(order.updated_at, zone) in text
    assert re.search(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} CES?T", text)  # Europe/Berlin by default
    for item in order.items:
        assert (
            f"{item.quantity} × {item.name} — €{item.price:,.2f} = *€{item.quantity * item.price:,.2f}*"
            in text
        )
    assert "Shipped" in text and "Picked up" in text and "Cash on pickup" in text
    assert find_patient_data(card, customer_details(order)) == []
    labels = [
        e.get("text", {}).get("text") or e["placeholder"]["text"]
        for b in card["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert "Show customer" in labels
    assert ("Move to status…" in labels) == bool(next_order_statuses(order.status))


def test_show_customer_is_private_and_only_for_operators(bot, p1):
    order_id = p1.orders.list(max_rows=1)["id"].iloc[0]
    order = p1.orders.get(order_id)
    card = only_answer(bot.command(f"order {order_id}"))

    denied = only_answer(bot.click(card, "Show customer"))
    assert is_private(denied) and "operator" in message_text(denied)
    assert order.customer_name not in message_text(denied)

    shown = only_answer(bot.click(card, "Show customer", user_id=OPERATOR))
    assert is_private(shown)
    for detail in (
        order.customer_name,
        order.customer_email,
        order.shipping_address.phone,
        order.shipping_address.street,
    ):
        assert detail in message_text(shown)
    audit = [(e.command, e.user_id, e.decision) for e in bot.runtime.store.latest_audit()]
    assert audit == [("show_customer", OPERATOR, "allowed"), ("show_customer", "U0READER", "denied")]
    assert_no_patient_data(bot.shared(), [order])


def test_orders_lists_the_newest_ten_and_counts_by_status(bot, p1):
    everything = p1.orders.list()
    answer = only_answer(bot.command("orders"))
    text = message_text(answer)
    newest = everything.sort_values("created_at", ascending=False)["id"].head(10)
    listed = re.findall(r"`(ORD_\w+)`", text)
    assert listed == list(newest)
    for status, count in everything["status"].value_counts().items():
        assert f"{status}: *{count}*" in text
    assert_no_patient_data(bot.shared(), [])
    assert not any(name in text for name in everything["customer_name"].dropna().unique())


def test_orders_filters_by_status_and_shop_name(bot, p1):
    shops = p1.shops.list().set_index("shop_id")["name"]
    orders = p1.orders.list()
    shop_id = "shop3"  # "Weed Bank": a name of two words, typed in lower case below
    status = orders[orders["shop_id"] == shop_id]["status"].mode().iloc[0]
    expected = p1.orders.list(status=status, shop_id=shop_id)
    text = message_text(only_answer(bot.command(f"orders {status} {shops[shop_id].lower()}")))
    listed = re.findall(r"`(ORD_\w+)`", text)
    newest_first = expected.sort_values(["created_at", "id"], ascending=[False, True], kind="stable")
    assert listed == list(newest_first["id"].head(10))
    assert f"{status}: *{len(expected)}*" in text
    assert f"Orders — status {status} · {shops[shop_id]}" in text


def test_stock_matches_partial_names_in_any_case_with_stock_and_price(bot, p1):
    inventory = p1.inventory.list()
    row = inventory[inventory["name"].str.contains("Zainbow")].iloc[0]
    answer = only_answer(bot.command("stock ZAINBOW"))
    assert answer["response_type"] == "in_channel"
    text = message_text(answer)
    assert f"`{row.p1_id}` {row['name']} — *{row.stock_quantity}* in stock · €{row.price:,.2f}" in text

    by_id = message_text(only_answer(bot.command(f"stock {row.p1_id}")))
    assert f"`{row.p1_id}`" in by_id and row["name"] in by_id


def test_stock_shows_at_most_ten_rows_and_says_how_many_more(bot, p1):
    inventory = p1.inventory.list()
    word = "a"
    matches = inventory[inventory["name"].str.lower().str.contains(word)]
    assert len(matches) > 10, "the seed should have more than ten products with an a"
    text = message_text(only_answer(bot.command(f"stock {word}")))
    assert len(re.findall(r"\* in stock ·", text)) == 10
    assert f"{len(matches) - 10} more match" in text


def test_low_stock_is_marked_under_the_configured_threshold(make_bot, p1):
    inventory = p1.inventory.list()
    row = inventory[inventory["name"].str.contains("Zainbow")].iloc[0]
    high = make_bot(p1, low_stock_threshold=int(row.stock_quantity))
    assert ":warning: *low*" in message_text(only_answer(high.command("stock zainbow")))
    low = make_bot(p1, low_stock_threshold=int(row.stock_quantity) - 1)
    assert ":warning:" not in message_text(only_answer(low.command("stock zainbow")))


def test_stock_in_one_shop_uses_that_shops_products(bot, p1):
    products = p1.products.list("shop3")
    name = products["name"].iloc[0]
    word = name.split()[-1]
    text = message_text(only_answer(bot.command(f"stock {word} Weed Bank")))
    assert "Weed Bank" in text
    expected = products[products["name"].str.lower().str.contains(word.lower())]
    for row in expected.head(10).itertuples():
        assert f"`{row.p1_id}` {row.name} — *{row.stock_quantity}*" in text


def test_reading_can_be_limited_to_listed_channels(make_bot, p1):
    limited = make_bot(p1, read_channels=("C0ALLOWED",))
    refused = limited.command("stock zainbow", channel_id="C0ELSEWHERE")
    assert "<#C0ALLOWED>" in message_text(only_answer(refused))
    assert refused.answers() == []
    allowed = limited.command("stock zainbow", channel_id="C0ALLOWED")
    assert "Zainbow" in message_text(only_answer(allowed))


def test_order_frames_are_what_the_views_expect(p1):
    """The views read these columns; a rename in the toolkit should fail here, not in Slack."""
    orders = p1.orders.list(max_rows=1)
    assert {"id", "shop_id", "status", "payment_status", "total_amount", "created_at"} <= set(orders.columns)
    assert isinstance(orders["created_at"].dtype, pd.DatetimeTZDtype)
    assert {"p1_id", "name", "stock_quantity", "price"} <= set(p1.inventory.list().columns)


def test_a_channel_message_with_patient_data_is_held_back(bot, p1, monkeypatch):
    """The last line of defence: even a view that leaked the customer would not reach the channel."""
    from bot.commands import order as order_command

    def leaky_card(order, shop_name, zone):
        return {"text": f"Order {order.id} for {order.customer_name}", "blocks": []}

    monkeypatch.setattr(order_command, "order_card", leaky_card)
    order_id = p1.orders.list(max_rows=1)["id"].iloc[0]
    answer = only_answer(bot.command(f"order {order_id}"))
    assert is_private(answer) and "held back" in message_text(answer)
    assert p1.orders.get(order_id).customer_name not in message_text(answer)
    assert bot.shared() == []
