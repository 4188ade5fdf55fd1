"""Block Kit views from the reference's example bodies: what they show and what they never show."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot_harness import message_text

from bot.privacy import customer_details, find_patient_data
from bot.views import customer_blocks, order_card
from toolkit.models import Order

BERLIN = ZoneInfo("Europe/Berlin")


def docs_order() -> Order:
    """The reference's GET /orders/{id} example (docs page)."""
    return Order.model_validate(
        {
            "id": "ORD_20260605_abc123", "external_id": "POS-999", "status": "awaiting_packing",
            "shop_id": "shop1", "customer_name": "Max Mustermann", "customer_email": "max@example.com",
            "total_amount": 42.99, "payment_status": "paid", "payment_reference": "TX-123",
            "shipped": False, "picked_up": False, "cash_on_pickup": True,
            "shipping_address": {"street": "Musterstr. 1", "city": "Berlin", "postal_code": "10115",
                                 "phone": "+49123456789"},
            "items": [{"p1_id": "12345", "name": "Cannabis flos", "quantity": 5, "price": 8.59}],
            "created_at": "2026-06-05T10:00:00Z", "updated_at": "2026-06-05T11:00:00Z",
        }
    )  # fmt: skip


def test_the_card_shows_numbers_items_flags_and_local_times_but_not_the_customer():
    order = docs_order()
    card = order_card(order, "Demo Shop DEV", BERLIN)
    text = message_text(card)
    for expected in ("ORD_20260605_abc123", "Demo Shop DEV", "`awaiting_packing`", "`paid`", "€42.99",
                     "05.06.2026 12:00 CEST", "05.06.2026 13:00 CEST", "5 × Cannabis flos — €8.59 = *€42.95*",
                     "Cash on pickup: *yes*", "Shipped: *no*"):  # fmt: skip
        assert expected in text, expected
    assert find_patient_data(card, customer_details(order)) == []
    assert "Berlin" not in text and "TX-123" not in text


def test_the_customer_view_has_every_detail():
    text = message_text(customer_blocks(docs_order()))
    for detail in ("Max Mustermann", "max@example.com", "+49123456789", "Musterstr. 1, 10115 Berlin"):
        assert detail in text


def test_a_sparse_order_still_renders():
    order = Order.model_validate(  # the live example: no status, no times, no flags
        {
            "id": "ORD_20260614_8v039dhnrv", "shop_id": "shop1", "customer_name": "Max Mustermann",
            "customer_email": "max@example.com",
            "items": [{"name": "24/1 IUVO KC OJ Zainbow", "quantity": 11, "price": 8.75}],
            "shipping_address": {"street": "Musterstr. 1", "city": "Berlin", "postal_code": "10115",
                                 "phone": "+49123456789"},
        }
    )  # fmt: skip
    text = message_text(order_card(order, "Demo Shop DEV", BERLIN))
    assert "11 × 24/1 IUVO KC OJ Zainbow — €8.75 = *€96.25*" in text and "Status*\n–" in text
    assert find_patient_data(order_card(order, "x", BERLIN), customer_details(order)) == []
