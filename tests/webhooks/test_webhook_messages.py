"""One message per known event, from ids and statuses only; unknown events render nothing."""

from __future__ import annotations

import json

import pytest
from webhook_helpers import event_body

from bot.privacy import find_patient_data
from bot.webhooks.messages import render
from toolkit.webhooks import EVENT_MODELS, parse

PATIENT = {
    "customer_name": "Erika Musterfrau",
    "customer_email": "erika@example.com",
    "phone": "+49 170 7654321",
}

ORDER = "ORD_20260614_8v039dhnrv"
STOCK = {"p1_id": 57672, "name": "24/1 IUVO KC OJ Zainbow", "stockquantity": 4, "shop_id": "shop1"}

#: event type -> (metadata, what the text must say)
CASES = {
    "order_created": (
        {
            "order_id": ORDER,
            "shop_id": "shop1",
            "status": "pending",
            "total_amount": 42.5,
        },
        [f":new: New order `{ORDER}`", "shop shop1", "42.50 EUR", "pending"],
    ),
    "order_updated": ({"order_id": ORDER}, [f"Order `{ORDER}` updated"]),
    "order_status_updated": (
        {
            "order_id": ORDER,
            "old_status": "awaiting_packing",
            "new_status": "ready_pickup",
        },
        [f"`{ORDER}` awaiting_packing → ready_pickup"],
    ),
    "order_marked_paid": (
        {"order_id": "ORD_1", "shop_id": "shop3"},
        ["Order `ORD_1` marked paid", "shop shop3"],
    ),
    "order_deleted": ({"order_id": "ORD_1"}, ["Order `ORD_1` deleted"]),
    "order_request_created": (
        {"id": "08ec979e-67fc", "shop_id": "shop1", "source": "pos-system", "external_reference": "POS-123"},
        ["order request `08ec979e-67fc`", "from pos-system", "ref `POS-123`", "shop shop1"],
    ),
    "low_stock": (
        {**STOCK, "threshold": 10},
        ["Low stock: *24/1 IUVO KC OJ Zainbow* (p1_id 57672): 4 left (threshold 10)", "shop shop1"],
    ),
    "out_of_stock": (
        {"p1_id": "57674", "name": "Moonlight Nectar", "stock_quantity": 0},
        ["Out of stock: *Moonlight Nectar* (p1_id 57674): 0 left"],
    ),
    "prescription_approved": (
        {"prescription_id": "org1-pq-8LLI8R", "shop_id": "shop1", "order_id": "ORD_1"},
        ["Prescription `org1-pq-8LLI8R` approved", "order `ORD_1`"],
    ),
    "paperless_signature_completed": (
        {"prescription_id": "org1-pq-8LLI8R", "order_id": ""},
        ["Prescription `org1-pq-8LLI8R` signature completed"],
    ),
    "webhook_test": ({"test": True}, ["PharmaOne test delivery received"]),
}


def test_every_known_event_has_a_case():
    assert set(CASES) == set(EVENT_MODELS)


@pytest.mark.parametrize("event_type", EVENT_MODELS)
def test_each_event_says_what_happened_and_nothing_about_the_patient(event_type):
    metadata, expected = CASES[event_type]
    event = parse(event_body(event_type, {**metadata, **PATIENT}, description="For Erika Musterfrau"))
    message = render(event)
    assert message is not None
    for part in expected:
        assert part in message.text
    assert message.blocks[0]["text"]["text"] == message.text
    shown = json.dumps(message.as_dict())
    assert "Musterfrau" not in shown
    assert find_patient_data(message.as_dict(), PATIENT.values()) == []


def test_the_context_line_names_the_event_and_its_time():
    event = parse(event_body("order_deleted", {"order_id": "ORD_1"}, created_at="2026-06-05T12:00:00Z"))
    context = render(event).blocks[1]["elements"][0]["text"]
    assert "`order_deleted`" in context
    assert "<!date^1780660800^" in context and "2026-06-05 12:00 UTC" in context


def test_a_status_change_without_the_old_status_says_the_new_one():
    event = parse(event_body("order_status_updated", {"order_id": "ORD_1", "new_status": "shipped"}))
    assert render(event).text.endswith("`ORD_1` shipped")


def test_a_change_of_flags_only_says_the_flags():
    metadata = {
        "order_id": "ORD_1",
        "old_status": "ready_pickup",
        "new_status": "ready_pickup",
        "picked_up": True,
    }
    assert render(parse(event_body("order_status_updated", metadata))).text.endswith(
        "`ORD_1` ready_pickup · picked up: yes"
    )


def test_slack_control_characters_in_names_are_escaped():
    metadata = {"p1_id": "1", "name": "<!channel> & <https://evil|click>", "stock_quantity": 2}
    text = render(parse(event_body("low_stock", metadata))).text
    assert "<" not in text and ">" not in text
    assert "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;" in text


def test_unknown_events_render_nothing():
    assert render(parse(event_body("inventory_recounted", {"anything": 1}))) is None
