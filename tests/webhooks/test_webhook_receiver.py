"""The receiver over HTTP: verification, exactly-once recording, routing and refusals that post nothing."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from webhook_helpers import (
    DEFAULT_CHANNEL,
    OLD_SECRET,
    STOCK_CHANNEL,
    event_body,
    serve,
    signed_headers,
    wait_until,
)

from bot.store import Store
from bot.webhooks import create_app
from toolkit.webhooks import DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER

PATH = "/webhooks/pharmaone"
STATUS_METADATA = {
    "order_id": "ORD_20260605_abc123",
    "old_status": "awaiting_packing",
    "new_status": "ready_pickup",
}


@pytest.fixture
def relay(make_relay):
    return make_relay()


@contextmanager
def http_client(relay) -> Iterator[httpx.Client]:
    """An HTTP client for the relay's standalone app, served by uvicorn on 127.0.0.1."""
    with serve(create_app(relay)) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


@pytest.fixture
def client(relay):
    with http_client(relay) as served:
        yield served


def deliver(client, raw: bytes, **header_options) -> httpx.Response:
    return client.post(PATH, content=raw, headers=signed_headers(raw, **header_options))


def settle(client, slack) -> None:
    """Deliver a sentinel event and wait for its post: everything recorded before it was posted by then."""
    marker = f"ORD_20260101_{uuid.uuid4().hex[:10]}"
    assert deliver(client, event_body("order_marked_paid", {"order_id": marker})).status_code == 200
    wait_until(lambda: any(marker in post["text"] for post in slack.posts()), what="the sentinel post")


def relayed(slack) -> list[dict]:
    """Posts other than the sentinels."""
    return [post for post in slack.posts() if "marked paid" not in post["text"]]


def test_a_signed_delivery_is_recorded_answered_and_posted_once(client, relay, slack):
    raw = event_body("order_status_updated", STATUS_METADATA)
    response = deliver(client, raw, delivery_id="d-1")
    assert response.status_code == 200
    assert response.json() == {"status": "accepted", "delivery_id": "d-1"}
    wait_until(lambda: relay.deliveries.get("d-1")["state"] == "posted", what="the post")
    (post,) = slack.posts()
    assert post["channel"] == DEFAULT_CHANNEL
    assert "ORD_20260605_abc123` awaiting_packing → ready_pickup" in post["text"]
    assert relay.deliveries.get("d-1")["slack_ts"]


def test_a_redelivery_posts_nothing_new(client, relay, slack):
    raw = event_body("order_status_updated", STATUS_METADATA)
    assert deliver(client, raw, delivery_id="d-2").json()["status"] == "accepted"
    again = deliver(client, raw, delivery_id="d-2")
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    settle(client, slack)
    assert len(relayed(slack)) == 1


def test_one_event_delivered_under_two_delivery_ids_is_posted_once(client, relay, slack):
    raw = event_body("order_status_updated", STATUS_METADATA)  # e.g. two subscriptions to this receiver
    assert deliver(client, raw, delivery_id="d-sub-1").json()["status"] == "accepted"
    assert deliver(client, raw, delivery_id="d-sub-2").json()["status"] == "duplicate"
    settle(client, slack)
    assert len(relayed(slack)) == 1
    second = relay.deliveries.get("d-sub-2")
    assert second["state"] == "skipped"
    assert "already received in delivery d-sub-1" in second["reason"]


def test_a_known_delivery_id_with_another_validly_signed_body_is_refused(client, slack):
    assert (
        deliver(client, event_body("order_status_updated", STATUS_METADATA), delivery_id="d-3").status_code
        == 200
    )
    other = event_body("order_status_updated", {**STATUS_METADATA, "new_status": "cancelled"})
    response = deliver(client, other, delivery_id="d-3")
    assert response.status_code == 409
    assert response.json()["error"] == "delivery_conflict"
    settle(client, slack)
    assert [post["text"] for post in relayed(slack)] == [relayed(slack)[0]["text"]]
    assert "cancelled" not in relayed(slack)[0]["text"]


def test_the_previous_secret_still_verifies_during_rotation(client, slack):
    response = deliver(client, event_body("order_status_updated", STATUS_METADATA), secret=OLD_SECRET)
    assert response.status_code == 200
    settle(client, slack)
    assert len(relayed(slack)) == 1


def test_events_go_to_their_routed_channel_and_routed_off_events_are_skipped(client, relay, slack):
    stock = {"p1_id": 57672, "name": "Zainbow", "stockquantity": 4, "shop_id": "shop1", "threshold": 10}
    assert deliver(client, event_body("low_stock", stock)).status_code == 200
    assert (
        deliver(client, event_body("order_updated", {"order_id": "ORD_1"}), delivery_id="d-off").status_code
        == 200
    )
    settle(client, slack)
    (post,) = relayed(slack)
    assert post["channel"] == STOCK_CHANNEL
    assert "Zainbow" in post["text"] and "4 left" in post["text"]
    skipped = relay.deliveries.get("d-off")
    assert (skipped["state"], skipped["reason"]) == ("skipped", "no channel for this event type")


def test_unknown_event_types_are_recorded_and_skipped_not_refused(client, relay, slack):
    response = deliver(client, event_body("inventory_recounted", {"whatever": 1}), delivery_id="d-unknown")
    assert response.status_code == 200
    assert relay.deliveries.get("d-unknown")["state"] == "skipped"
    assert relay.deliveries.get("d-unknown")["reason"] == "unknown event type"
    settle(client, slack)
    assert relayed(slack) == []


def test_no_patient_data_from_the_description_reaches_the_channel(client, slack):
    raw = event_body(
        "order_created",
        {"order_id": "ORD_20260605_abc123", "shop_id": "shop1", "customer_name": "Max Mustermann"},
        description="Order for Max Mustermann (max@example.com, +49 170 1234567)",
    )
    assert deliver(client, raw).status_code == 200
    settle(client, slack)
    (post,) = relayed(slack)
    text = json.dumps(post)
    assert "ORD_20260605_abc123" in text
    for detail in ("Mustermann", "max@example.com", "1234567"):
        assert detail not in text


def test_a_message_that_would_show_patient_data_is_recorded_but_not_posted(client, relay, slack):
    stock = {"p1_id": "1", "name": "reorder via max@example.com", "stock_quantity": 0, "shop_id": "shop1"}
    assert deliver(client, event_body("out_of_stock", stock), delivery_id="d-leak").status_code == 200
    assert relay.deliveries.get("d-leak")["state"] == "skipped"
    assert "patient detail" in relay.deliveries.get("d-leak")["reason"]
    settle(client, slack)
    assert relayed(slack) == []


# --- refusals: a 4xx with a reason, nothing recorded, nothing posted ------------------------------------

VALID = event_body("order_status_updated", STATUS_METADATA)


def without(headers: dict[str, str], name: str) -> dict[str, str]:
    return {key: value for key, value in headers.items() if key != name}


TAMPERED = VALID.replace(b"ready_pickup", b"cancelled")
INVALID = event_body("order_status_updated", {"order_id": "ORD_1"})
REFUSALS = {
    "wrong-secret": (VALID, signed_headers(VALID, secret="guessed"), 401, "invalid_signature"),
    "empty-signature": (VALID, {**signed_headers(VALID), SIGNATURE_HEADER: ""}, 401, "invalid_signature"),
    "no-signature": (VALID, without(signed_headers(VALID), SIGNATURE_HEADER), 401, "invalid_signature"),
    "tampered-body": (TAMPERED, signed_headers(TAMPERED, signed_body=VALID), 401, "invalid_signature"),
    "no-delivery-id": (VALID, without(signed_headers(VALID), DELIVERY_ID_HEADER), 400, "invalid_delivery_id"),
    "bad-delivery-id": (VALID, signed_headers(VALID, delivery_id="a b"), 400, "invalid_delivery_id"),
    "event-header-mismatch": (
        VALID,
        {**signed_headers(VALID), EVENT_HEADER: "order_marked_paid"},
        400,
        "event_mismatch",
    ),
    "not-json": (b"{not json", signed_headers(b"{not json"), 400, "invalid_payload"),
    "not-an-object": (b"[]", signed_headers(b"[]"), 400, "invalid_payload"),
    "missing-metadata-field": (INVALID, signed_headers(INVALID), 400, "invalid_payload"),
}


@pytest.mark.parametrize(("raw", "headers", "status", "error"), REFUSALS.values(), ids=REFUSALS.keys())
def test_bad_deliveries_are_refused_with_a_reason(client, relay, slack, raw, headers, status, error):
    response = client.post(PATH, content=raw, headers=headers)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["message"]
    assert relay.deliveries.counts() == {}
    settle(client, slack)
    assert relayed(slack) == []


def test_a_missing_field_is_named_in_the_answer(client):
    raw = event_body("low_stock", {"p1_id": "1", "name": "Zainbow"})
    response = client.post(PATH, content=raw, headers=signed_headers(raw))
    assert response.status_code == 400
    assert "metadata.stock_quantity: field required" in response.json()["message"]


def test_a_body_over_the_limit_is_refused_before_it_is_read_whole(make_relay):
    relay = make_relay(max_body_bytes=2048)
    big = event_body("order_created", {"order_id": "ORD_1", "note": "x" * 4096})
    with http_client(relay) as client:
        declared = client.post(PATH, content=big, headers=signed_headers(big))
        streamed = client.post(PATH, content=iter([big[:1000], big[1000:]]), headers=signed_headers(big))
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["error"] == "payload_too_large"
        assert "2048 bytes" in response.json()["message"]
    assert relay.deliveries.counts() == {}


def test_refusals_are_logged_by_reason_without_the_body(client, caplog):
    raw = event_body("order_status_updated", {"order_id": "ORD_1", "customer_name": "Max Mustermann"})
    with caplog.at_level(logging.INFO, logger="bot.webhooks"):
        assert deliver(client, raw).status_code == 400
        assert client.post(PATH, content=raw, headers=signed_headers(raw, secret="forged")).status_code == 401
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "invalid_payload" in logged and "invalid_signature" in logged
    assert "Mustermann" not in logged
    assert "forged" not in logged


def test_only_post_is_served(client):
    assert client.get(PATH).status_code == 405
    assert client.get("/healthz").json() == {"ok": True}


def test_a_store_that_cannot_record_gets_a_503_so_pharmaone_delivers_again(make_relay):
    store = Store()
    relay = make_relay(store=store)
    with http_client(relay) as client:
        store.close()
        response = deliver(client, VALID)
    assert response.status_code == 503
    assert response.json()["error"] == "store_unavailable"
