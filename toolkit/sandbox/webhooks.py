"""Outbound webhooks: HMAC-signed deliveries with the documented `X-PharmaOne-*` headers, retried on failure.

One background thread with its own httpx client works through a queue ordered by due time. Every delivery
(one event to one subscription) has its own UUID, kept on every retry; each attempt is recorded in the
`webhook_deliveries` table.
"""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from toolkit import vocabulary as vocab
from toolkit.sandbox.db import Database
from toolkit.sandbox.timefmt import iso, utcnow
from toolkit.webhooks import sign

EVENT_TITLES = {
    "order_created": "Order created",
    "order_updated": "Order updated",
    "order_status_updated": "Order status updated",
    "order_marked_paid": "Order marked paid",
    "order_deleted": "Order deleted",
    "order_request_created": "Order request received",
    "low_stock": "Low stock",
    "out_of_stock": "Out of stock",
    "prescription_approved": "Prescription approved",
    "paperless_signature_completed": "Paperless signature completed",
    vocab.WEBHOOK_TEST_EVENT: "Test event",
}
DELIVERY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Subscription:
    org_id: str
    url: str
    secret: str = field(repr=False)
    events: frozenset[str] | None = None  # None: every event

    def wants(self, event_type: str) -> bool:
        return self.events is None or event_type in self.events or event_type == vocab.WEBHOOK_TEST_EVENT


@dataclass
class _Delivery:
    delivery_id: str
    subscription: Subscription
    event_type: str
    body: bytes
    attempts: int = 0


class WebhookDispatcher:
    def __init__(self, db: Database, retry_delays: Iterable[float]) -> None:
        self._db = db
        self.retry_delays = tuple(retry_delays)
        self._subscriptions: list[Subscription] = []
        self._queue: list[tuple[float, int, _Delivery]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._in_flight = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
        self._thread.start()

    def subscribe(
        self, url: str, secret: str, events: Iterable[str] | None = None, org_id: str = "org1"
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"webhook url must start with http:// or https://, got {url!r}")
        if not secret:
            raise ValueError("a webhook subscription needs a signing secret")
        chosen = frozenset(events) if events is not None else None
        unknown = sorted((chosen or frozenset()) - set(vocab.WEBHOOK_EVENTS))
        if unknown:
            raise ValueError(f"unknown webhook event(s) {unknown}; known: {list(vocab.WEBHOOK_EVENTS)}")
        with self._wake:
            if sum(s.org_id == org_id for s in self._subscriptions) >= vocab.WEBHOOK_MAX_SUBSCRIPTIONS:
                raise ValueError(
                    f"{org_id} already has {vocab.WEBHOOK_MAX_SUBSCRIPTIONS} webhook subscriptions"
                )
            self._subscriptions.append(Subscription(org_id, url, secret, chosen))

    def emit(self, org_id: str, event_type: str, description: str, metadata: dict[str, Any]) -> str:
        """Queues one delivery per interested subscription; returns the event id."""
        event_id = str(uuid.uuid4())
        envelope = {
            "id": event_id,
            "org_id": org_id,
            "event_type": event_type,
            "title": EVENT_TITLES[event_type],
            "description": description,
            "metadata": metadata,
            "created_at": iso(utcnow()),
        }
        body = json.dumps(envelope, ensure_ascii=False).encode()
        with self._wake:
            targets = [s for s in self._subscriptions if s.org_id == org_id and s.wants(event_type)]
        for subscription in targets:
            delivery = _Delivery(str(uuid.uuid4()), subscription, event_type, body)
            stamp = iso(utcnow())
            self._db.execute(
                "INSERT INTO webhook_deliveries (delivery_id, event_id, org_id, event_type, url, body,"
                " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                delivery.delivery_id,
                event_id,
                org_id,
                event_type,
                subscription.url,
                body.decode(),
                stamp,
                stamp,
            )
            self._schedule(delivery, 0.0)
        return event_id

    def send_test_event(self, org_id: str = "org1") -> str:
        return self.emit(org_id, vocab.WEBHOOK_TEST_EVENT, "Test event sent from the sandbox", {"test": True})

    def deliveries(self) -> list[dict[str, Any]]:
        rows = self._db.query("SELECT * FROM webhook_deliveries ORDER BY created_at, delivery_id")
        for row in rows:
            row["body"] = json.loads(row["body"])
        return rows

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Waits until no delivery is queued or in flight (retries included); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._wake:
            while self._queue or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._wake.wait(min(remaining, 0.05))
        return True

    def close(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        self._thread.join(timeout=DELIVERY_TIMEOUT_SECONDS + 1)

    def _schedule(self, delivery: _Delivery, delay: float) -> None:
        with self._wake:
            heapq.heappush(self._queue, (time.monotonic() + delay, next(self._order), delivery))
            self._wake.notify_all()

    def _next_due(self) -> _Delivery | None:
        with self._wake:
            while not self._stopping:
                if self._queue and self._queue[0][0] <= time.monotonic():
                    self._in_flight += 1
                    return heapq.heappop(self._queue)[2]
                wait = self._queue[0][0] - time.monotonic() if self._queue else None
                self._wake.wait(wait)
        return None

    def _run(self) -> None:
        with httpx.Client(timeout=DELIVERY_TIMEOUT_SECONDS) as client:
            while (delivery := self._next_due()) is not None:
                try:
                    self._attempt(client, delivery)
                finally:
                    with self._wake:
                        self._in_flight -= 1
                        self._wake.notify_all()

    def _attempt(self, client: httpx.Client, delivery: _Delivery) -> None:
        delivery.attempts += 1
        headers = {
            "Content-Type": "application/json",
            "X-PharmaOne-Event": delivery.event_type,
            "X-PharmaOne-Delivery-Id": delivery.delivery_id,
            "X-PharmaOne-Signature": sign(delivery.body, delivery.subscription.secret),
        }
        status_code, error = None, None
        try:
            response = client.post(delivery.subscription.url, content=delivery.body, headers=headers)
            status_code = response.status_code
            if not response.is_success:
                error = f"HTTP {status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        retries_left = delivery.attempts <= len(self.retry_delays)
        state = "delivered" if error is None else ("retrying" if retries_left else "failed")
        self._db.execute(
            "UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status_code = ?, last_error = ?,"
            " updated_at = ? WHERE delivery_id = ?",
            state,
            delivery.attempts,
            status_code,
            error,
            iso(utcnow()),
            delivery.delivery_id,
        )
        if state == "retrying":
            self._schedule(delivery, self.retry_delays[delivery.attempts - 1])
