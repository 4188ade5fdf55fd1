"""Webhook deliveries to a tiny local receiver: signature, headers, envelope, retries, events that fire."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.sandbox.conftest import example, same_shape, v2_client
from toolkit import vocabulary as vocab

SECRET = "whsec_test_secret"


class Receiver:
    """Records every POST (headers and raw body) and answers with the scripted statuses, then 200."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), raw))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhooks/pharmaone"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def events(self) -> list[dict]:
        return [json.loads(raw) for _, raw in self.calls]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.server.shutdown()


def valid_signature(headers: dict[str, str], raw: bytes) -> bool:
    expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-PharmaOne-Signature"], expected)


def test_status_change_is_delivered_signed_with_the_documented_envelope(
    make_sandbox, receiver: Receiver
) -> None:
    sb = make_sandbox(orders=200, webhooks=[(receiver.url, SECRET)])
    order_id = sb.query("SELECT id FROM orders WHERE status = 'pending' AND org_id = 'org1'")[0]["id"]
    with v2_client(sb) as api:
        api.patch(f"/orders/{order_id}/status", json={"status": "awaiting_packing"})
    assert sb.wait_for_webhooks(10)
    ((headers, raw),) = receiver.calls
    assert valid_signature(headers, raw)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-PharmaOne-Event"] == "order_status_updated"
    uuid.UUID(headers["X-PharmaOne-Delivery-Id"])
    event = json.loads(raw)
    same_shape(event, example("webhook.order_status_updated.json"))
    assert set(event) == set(example("webhook.order_status_updated.json"))
    assert event["metadata"] == {
        "order_id": order_id,
        "old_status": "pending",
        "new_status": "awaiting_packing",
    }
    assert event["org_id"] == "org1" and event["title"] == "Order status updated"
    (delivery,) = sb.webhook_deliveries()
    assert delivery["status"] == "delivered" and delivery["attempts"] == 1 and delivery["body"] == event


def test_failed_deliveries_are_retried_with_the_same_delivery_id(make_sandbox, receiver: Receiver) -> None:
    receiver.statuses = [500, 503]
    sb = make_sandbox(orders=5, webhooks=[(receiver.url, SECRET)], webhook_retry_delays=(0.05, 0.05, 0.05))
    event_id = sb.send_test_event()
    assert sb.wait_for_webhooks(10)
    assert len(receiver.calls) == 3
    assert len({headers["X-PharmaOne-Delivery-Id"] for headers, _ in receiver.calls}) == 1
    assert {event["id"] for event in receiver.events()} == {event_id}
    assert all(valid_signature(headers, raw) for headers, raw in receiver.calls)
    (delivery,) = sb.webhook_deliveries()
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == ("delivered", 3, 200)


def test_a_delivery_gives_up_after_the_configured_retries(make_sandbox, receiver: Receiver) -> None:
    receiver.statuses = [500] * 10
    sb = make_sandbox(orders=5, webhooks=[(receiver.url, SECRET)], webhook_retry_delays=(0.05, 0.05))
    sb.send_test_event()
    assert sb.wait_for_webhooks(10)
    (delivery,) = sb.webhook_deliveries()
    assert (delivery["status"], delivery["attempts"], delivery["last_error"]) == ("failed", 3, "HTTP 500")


def test_unreachable_receivers_are_retried_too(make_sandbox, receiver: Receiver) -> None:
    receiver.server.shutdown()
    receiver.server.server_close()
    sb = make_sandbox(orders=5, webhooks=[(receiver.url, SECRET)], webhook_retry_delays=(0.05,))
    sb.send_test_event()
    assert sb.wait_for_webhooks(15)
    (delivery,) = sb.webhook_deliveries()
    assert (
        delivery["status"] == "failed" and delivery["attempts"] == 2 and "Connect" in delivery["last_error"]
    )


def test_stock_order_request_prescription_and_order_events(make_sandbox, receiver: Receiver) -> None:
    sb = make_sandbox(orders=5)
    sb.add_webhook(receiver.url, SECRET)
    with v2_client(sb) as api:
        level = sb.query("SELECT stock_quantity FROM products WHERE p1_id = 57672")[0]["stock_quantity"]
        api.post("/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": 5 - level, "reason": "count"})
        api.post("/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": -5, "reason": "sale"})
        api.post("/order-requests", json=example("06_order_request_v2.request.json"))
        api.post(
            "/prescriptions",
            json={"shop_id": "shop1", "customer_email": "a@example.com", "status": "approved"},
        )
        api.post(
            "/prescriptions", json={"shop_id": "shop1", "customer_email": "a@example.com", "status": "signed"}
        )
        order = api.post(
            "/orders",
            json={
                "shop_id": "shop1",
                "external_id": "E-1",
                "customer_name": "A",
                "items": [{"p1_id": 57672, "qty": 1, "price": 1.0}],
            },
        ).json()
        api.put(f"/orders/{order['id']}", json={"payment_status": "paid", "customer_email": "b@example.com"})
    assert sb.wait_for_webhooks(10)
    events = receiver.events()
    types = [event["event_type"] for event in events]
    assert types == [
        "low_stock",
        "out_of_stock",
        "order_request_created",
        "prescription_approved",
        "paperless_signature_completed",
        "order_created",
        "order_marked_paid",
        "order_updated",
    ]
    assert (
        events[0]["metadata"]["stock_quantity"] == 5
        and events[0]["metadata"]["threshold"] == vocab.LOW_STOCK_THRESHOLD
    )
    assert events[2]["metadata"]["external_reference"] == "POS-123"
    assert events[7]["metadata"]["fields"] == ["customer_email"]
    assert all(set(event) == set(example("webhook.order_status_updated.json")) for event in events)


def test_subscriptions_filter_events_but_always_get_test_events(make_sandbox, receiver: Receiver) -> None:
    sb = make_sandbox(orders=5, webhooks=[{"url": receiver.url, "secret": SECRET, "events": ["low_stock"]}])
    with v2_client(sb) as api:
        api.post("/order-requests", json=example("06_order_request_v2.request.json"))
    sb.send_test_event()
    assert sb.wait_for_webhooks(10)
    assert [event["event_type"] for event in receiver.events()] == [vocab.WEBHOOK_TEST_EVENT]


def test_subscription_rules(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with pytest.raises(ValueError, match="unknown webhook event"):
        sb.add_webhook("http://127.0.0.1:9/x", SECRET, ["order_teleported"])
    with pytest.raises(ValueError, match="secret"):
        sb.add_webhook("http://127.0.0.1:9/x", "")
    for number in range(vocab.WEBHOOK_MAX_SUBSCRIPTIONS):
        sb.add_webhook(f"http://127.0.0.1:9/{number}", SECRET)
    with pytest.raises(ValueError, match="already has 5"):
        sb.add_webhook("http://127.0.0.1:9/six", SECRET)
    sb.add_webhook("http://127.0.0.1:9/org2", SECRET, org_id="org2")
