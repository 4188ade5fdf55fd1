"""Helpers for the webhook relay tests: signed deliveries, the Slack stand-in seen from one test, a server."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from bot.slack_standin import SlackStandIn
from toolkit.webhooks import DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign

SECRET = "whsec_current"
OLD_SECRET = "whsec_previous"
DEFAULT_CHANNEL = "C0ORDERS"
STOCK_CHANNEL = "C0STOCK"
FAST_RETRIES = (0.05, 0.1, 0.2)


def event_body(event_type: str, metadata: dict[str, Any], **fields: Any) -> bytes:
    """A delivery body in the documented envelope."""
    body = {
        "id": str(uuid.uuid4()),
        "org_id": "org1",
        "event_type": event_type,
        "title": event_type.replace("_", " ").capitalize(),
        "description": "",
        "metadata": metadata,
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        **fields,
    }
    return json.dumps(body).encode()


def signed_headers(
    raw: bytes, *, secret: str = SECRET, delivery_id: str | None = None, signed_body: bytes | None = None
) -> dict[str, str]:
    """The headers PharmaOne sends with `raw` (signing `signed_body` instead, to forge a tampered body)."""
    headers = {
        "Content-Type": "application/json",
        DELIVERY_ID_HEADER: delivery_id or str(uuid.uuid4()),
        SIGNATURE_HEADER: sign(raw if signed_body is None else signed_body, secret),
    }
    with suppress(ValueError, TypeError, KeyError):
        headers[EVENT_HEADER] = json.loads(raw)["event_type"]
    return headers


@dataclass(frozen=True)
class SlackView:
    """The shared Slack stand-in, seen from one test: only what was sent since the test began."""

    standin: SlackStandIn
    since: int

    @property
    def api_url(self) -> str:
        return self.standin.api_url

    def posts(self) -> list[dict[str, Any]]:
        records = self.standin.records(self.since)
        return [r.payload for r in records if r.kind == "api" and r.name == "chat.postMessage"]


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll `condition` every 20 ms until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve `app` with uvicorn on a free 127.0.0.1 port in a thread; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="webhook-test-server", daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, what="uvicorn to start")
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
