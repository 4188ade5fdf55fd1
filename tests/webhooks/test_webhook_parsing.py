"""toolkit.webhooks.parse: the documented envelope into typed events, tolerant, clear on bad bodies."""

import json
from datetime import UTC, datetime

import pytest

from toolkit.vocabulary import WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT
from toolkit.webhooks import (
    EVENT_MODELS,
    LowStock,
    OrderRequestCreated,
    OrderStatusUpdated,
    PrescriptionApproved,
    WebhookEvent,
    WebhookPayloadError,
    WebhookTest,
    parse,
)

#: The reference's example delivery (shared/api/examples/webhook.order_status_updated.json).
EXAMPLE_BODY = {
    "id": "uuid-event-id",
    "org_id": "org1",
    "event_type": "order_status_updated",
    "title": "Order status updated",
    "description": "Order ORD_20260605_abc123 updated via external API",
    "metadata": {
        "order_id": "ORD_20260605_abc123",
        "old_status": "awaiting_packing",
        "new_status": "ready_pickup",
    },
    "created_at": "2026-06-05T12:00:00Z",
}


def envelope(event_type: str, metadata: dict, **fields) -> bytes:
    body = {**EXAMPLE_BODY, "event_type": event_type, "metadata": metadata, **fields}
    return json.dumps(body).encode()


def test_every_vocabulary_event_and_the_test_event_have_a_typed_model():
    assert tuple(EVENT_MODELS) == (*WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT)


def test_the_test_event_is_known():
    event = parse(envelope(WEBHOOK_TEST_EVENT, {"test": True}))
    assert isinstance(event, WebhookTest)
    assert event.is_known


def test_the_reference_example_parses_into_a_typed_status_event():
    event = parse(json.dumps(EXAMPLE_BODY).encode())
    assert isinstance(event, OrderStatusUpdated)
    assert event.metadata.order_id == "ORD_20260605_abc123"
    assert (event.metadata.old_status, event.metadata.new_status) == ("awaiting_packing", "ready_pickup")
    assert event.created_at == datetime(2026, 6, 5, 12, tzinfo=UTC)
    assert event.is_known


def test_stock_events_accept_the_inventory_spelling_and_integer_ids():
    event = parse(
        envelope("low_stock", {"p1_id": 57672, "name": "Zainbow", "stockquantity": 4, "shop_id": "shop1"})
    )
    assert isinstance(event, LowStock)
    assert (event.metadata.p1_id, event.metadata.stock_quantity) == ("57672", 4)


def test_extra_fields_are_kept_not_refused():
    event = parse(
        envelope("low_stock", {"p1_id": "1", "stock_quantity": 0, "warehouse": "B"}, delivery_hint="x")
    )
    assert event.metadata.model_extra == {"warehouse": "B"}
    assert event.model_extra == {"delivery_hint": "x"}


def test_empty_strings_are_absent_values():
    event = parse(envelope("prescription_approved", {"prescription_id": "org1-pq-CQ3TLK", "order_id": ""}))
    assert isinstance(event, PrescriptionApproved)
    assert event.metadata.order_id is None


def test_order_request_ids_are_accepted_under_their_plain_name():
    event = parse(envelope("order_request_created", {"id": "08ec979e", "shop_id": "shop1", "source": "pos"}))
    assert isinstance(event, OrderRequestCreated)
    assert event.metadata.order_request_id == "08ec979e"


def test_unknown_event_types_parse_into_the_base_event():
    event = parse(envelope("inventory_recounted", {"anything": [1, 2]}))
    assert type(event) is WebhookEvent
    assert not event.is_known
    assert event.metadata == {"anything": [1, 2]}


def test_naive_timestamps_are_taken_as_utc():
    event = parse(envelope("order_deleted", {"order_id": "ORD_1"}, created_at="2026-06-05T12:00:00"))
    assert event.created_at.tzinfo is UTC


def test_the_description_stays_out_of_the_repr():
    event = parse(envelope("order_created", {"order_id": "ORD_1"}, description="Order for Max Mustermann"))
    assert "Mustermann" not in repr(event)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "JSON list, expected an object"),
        (b'"text"', "JSON str, expected an object"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(raw, expected):
    with pytest.raises(WebhookPayloadError, match=expected):
        parse(raw)


def test_missing_envelope_fields_are_named():
    with pytest.raises(WebhookPayloadError) as caught:
        parse(json.dumps({"event_type": "order_created", "metadata": {"order_id": "ORD_1"}}))
    message = str(caught.value)
    assert "order_created event" in message
    for field in ("id", "org_id", "created_at"):
        assert f"{field}: field required" in message


def test_missing_metadata_fields_of_a_known_event_are_named_without_values():
    raw = envelope("order_status_updated", {"order_id": "ORD_1", "customer_name": "Max Mustermann"})
    with pytest.raises(WebhookPayloadError, match=r"metadata\.new_status: field required") as caught:
        parse(raw)
    assert "Mustermann" not in str(caught.value)


def test_wrongly_typed_fields_are_refused():
    with pytest.raises(WebhookPayloadError, match=r"metadata\.stock_quantity"):
        parse(envelope("out_of_stock", {"p1_id": "1", "stock_quantity": "lots"}))
    with pytest.raises(WebhookPayloadError, match="created_at"):
        parse(envelope("order_deleted", {"order_id": "ORD_1"}, created_at="yesterday"))


def test_empty_ids_are_refused():
    with pytest.raises(WebhookPayloadError, match=r"metadata\.order_id"):
        parse(envelope("order_marked_paid", {"order_id": ""}))
