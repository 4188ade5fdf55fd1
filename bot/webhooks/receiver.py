"""The HTTP endpoint PharmaOne delivers to: size limit, signature, delivery id, parse, record, then 2xx.

Nothing is posted from here: a delivery is recorded with the message it should produce, the answer goes
back, and the poster posts it. A refused delivery gets a 4xx whose body says why and is logged by its reason
only (never its content); a redelivery of a recorded delivery gets 200 and adds nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable, Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.privacy import PatientDataLeak, ensure_shareable
from bot.webhooks.deliveries import DeliveryLog, Recorded
from bot.webhooks.messages import render
from bot.webhooks.routing import Routing
from toolkit.webhooks import (
    DELIVERY_ID_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    WebhookEvent,
    WebhookPayloadError,
    parse,
    verify,
)

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/pharmaone"
DELIVERY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class Refused(Exception):
    """A delivery answered with a 4xx/5xx: its status, error slug and a sentence saying what was wrong."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


class WebhookReceiver:
    def __init__(
        self,
        *,
        secrets: Sequence[str],
        deliveries: DeliveryLog,
        routing: Routing,
        max_body_bytes: int,
        on_recorded: Callable[[], None] = lambda: None,
    ) -> None:
        if not any(secrets):
            raise ValueError("the webhook receiver needs at least one signing secret (P1_WEBHOOK_SECRETS)")
        self._secrets = tuple(secrets)
        self._deliveries = deliveries
        self._routing = routing
        self._max_body_bytes = max_body_bytes
        self._on_recorded = on_recorded

    async def handle(self, request: Request) -> JSONResponse:
        try:
            delivery_id, event, outcome = await self._receive(request)
        except Refused as refused:
            log.warning(
                "webhook delivery refused with %s (%s): %s", refused.status, refused.error, refused.message
            )
            return JSONResponse(
                {"error": refused.error, "message": refused.message}, status_code=refused.status
            )
        except sqlite3.Error as exc:  # not recorded: a non-2xx makes PharmaOne deliver again later
            log.error("webhook delivery not recorded: store error %s", type(exc).__name__)
            return JSONResponse(
                {
                    "error": "store_unavailable",
                    "message": "the delivery could not be recorded; deliver it again",
                },
                status_code=503,
            )
        log.info("webhook %s (%s): %s", delivery_id, event.event_type, outcome)
        if outcome is Recorded.ACCEPTED:
            self._on_recorded()
        return JSONResponse({"status": str(outcome), "delivery_id": delivery_id})

    async def _receive(self, request: Request) -> tuple[str, WebhookEvent, Recorded]:
        raw = await self._read_body(request)
        if not verify(raw, request.headers.get(SIGNATURE_HEADER), self._secrets):
            raise Refused(
                401,
                "invalid_signature",
                f"{SIGNATURE_HEADER} is missing or does not sign this body with a configured secret; "
                "expected sha256=<HMAC-SHA256 hex of the raw body>",
            )
        delivery_id = request.headers.get(DELIVERY_ID_HEADER, "")
        if not DELIVERY_ID.match(delivery_id):
            raise Refused(
                400,
                "invalid_delivery_id",
                f"{DELIVERY_ID_HEADER} is missing or malformed; expected a delivery UUID",
            )
        try:
            event = parse(raw)
        except WebhookPayloadError as exc:
            raise Refused(400, "invalid_payload", str(exc)) from None
        announced = request.headers.get(EVENT_HEADER)
        if announced is not None and announced != event.event_type:
            raise Refused(
                400,
                "event_mismatch",
                f"{EVENT_HEADER} names another event type than the body's event_type; they must be equal",
            )
        outcome = await run_in_threadpool(self._record, delivery_id, event, hashlib.sha256(raw).hexdigest())
        if outcome is Recorded.CONFLICT:
            raise Refused(
                409,
                "delivery_conflict",
                f"delivery {delivery_id} was already received with a different body; nothing was posted",
            )
        return delivery_id, event, outcome

    async def _read_body(self, request: Request) -> bytes:
        too_large = Refused(
            413, "payload_too_large", f"the body is larger than {self._max_body_bytes} bytes, the limit here"
        )
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_body_bytes:
            raise too_large
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > self._max_body_bytes:
                raise too_large
        return bytes(body)

    def _record(self, delivery_id: str, event: WebhookEvent, body_sha256: str) -> Recorded:
        channel = self._routing.channel_for(event.event_type)
        message = render(event) if channel else None
        skip_reason = None
        if not event.is_known:
            skip_reason = "unknown event type"
        elif message is not None:
            try:
                ensure_shareable(message.as_dict())
            except PatientDataLeak as leak:
                skip_reason = str(leak)
                log.error("webhook %s (%s): %s", delivery_id, event.event_type, leak)
        return self._deliveries.record(
            delivery_id=delivery_id,
            event_id=event.id,
            event_type=event.event_type,
            body_sha256=body_sha256,
            channel=channel,
            message=message.as_dict() if message else None,
            skip_reason=skip_reason,
        )
