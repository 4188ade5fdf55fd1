"""Verify and parse PharmaOne webhook deliveries (reference §13): for the bot's relay and analysts' receivers.

    raw = await request.body()
    if not verify(raw, request.headers.get(SIGNATURE_HEADER), secrets):
        return 401
    event = parse(raw)                      # a typed event, or WebhookPayloadError saying what is wrong
    if isinstance(event, OrderStatusUpdated):
        print(event.metadata.order_id, event.metadata.old_status, "->", event.metadata.new_status)

The signature is `sha256=` + the HMAC-SHA256 hex digest of the raw body keyed with the subscription's secret;
there is no timestamp, so replays are caught by de-duplicating on the delivery id, not here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from toolkit.vocabulary import WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT

SIGNATURE_HEADER = "X-PharmaOne-Signature"
EVENT_HEADER = "X-PharmaOne-Event"
DELIVERY_ID_HEADER = "X-PharmaOne-Delivery-Id"
SIGNATURE_PREFIX = "sha256="


def sign(raw_body: bytes, secret: str) -> str:
    """The `X-PharmaOne-Signature` value PharmaOne sends for `raw_body` signed with `secret`."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify(raw_body: bytes, signature_header: str | None, secrets: Iterable[str]) -> bool:
    """Whether `signature_header` signs `raw_body` with one of `secrets` (several while a secret is rotated).

    Every secret is compared, in constant time, whatever matched before, so timing tells nothing about
    which secret or how much of the digest was right.
    """
    secrets = [secret for secret in secrets if secret]
    if not secrets:
        raise ValueError("no webhook signing secret configured: give at least one non-empty secret")
    if not signature_header:
        return False
    presented = signature_header.strip().encode("utf-8", "surrogateescape")
    matched = False
    for secret in secrets:
        matched |= hmac.compare_digest(presented, sign(raw_body, secret).encode())
    return matched


class WebhookPayloadError(ValueError):
    """The body is no PharmaOne webhook envelope; the message says what is wrong, not what the body held."""


def _empty_as_none(value: Any) -> Any:
    """PharmaOne leaves unset strings as "" (reference §16.9); treat them as absent."""
    return None if value == "" else value


NonEmpty = Annotated[str, Field(min_length=1)]
MaybeText = Annotated[str | None, BeforeValidator(_empty_as_none)]


class _Lenient(BaseModel):
    """Fields PharmaOne adds later are kept, not refused; numeric ids become strings (p1_id is both)."""

    model_config = ConfigDict(extra="allow", frozen=True, coerce_numbers_to_str=True, populate_by_name=True)


# --- metadata per event ---------------------------------------------------------------------------------


class OrderMetadata(_Lenient):
    order_id: NonEmpty
    shop_id: MaybeText = None


class OrderCreatedMetadata(OrderMetadata):
    status: MaybeText = None
    payment_status: MaybeText = None
    total_amount: float | None = None


class OrderStatusMetadata(OrderMetadata):
    """Fired for a status move or a change of the shipped / picked_up flags (then both statuses are equal)."""

    old_status: MaybeText = None
    new_status: NonEmpty
    shipped: bool | None = None
    picked_up: bool | None = None


class OrderPaidMetadata(OrderMetadata):
    payment_status: MaybeText = None
    payment_reference: MaybeText = None


class OrderRequestMetadata(_Lenient):
    order_request_id: NonEmpty = Field(validation_alias=AliasChoices("order_request_id", "request_id", "id"))
    shop_id: MaybeText = None
    status: MaybeText = None
    source: MaybeText = None
    external_reference: MaybeText = None


class StockMetadata(_Lenient):
    p1_id: NonEmpty
    name: MaybeText = None
    stock_quantity: int = Field(validation_alias=AliasChoices("stock_quantity", "stockquantity"))
    shop_id: MaybeText = None
    threshold: int | None = None


class PrescriptionMetadata(_Lenient):
    prescription_id: NonEmpty = Field(validation_alias=AliasChoices("prescription_id", "id"))
    shop_id: MaybeText = None
    order_id: MaybeText = None
    old_status: MaybeText = None
    new_status: MaybeText = None


# --- events -----------------------------------------------------------------------------------------------


class WebhookEvent(_Lenient):
    """The documented envelope. Unknown event types parse into this class with `metadata` as a plain dict.

    `description` is free text written by PharmaOne and may name a customer: show people the typed
    metadata instead, and keep `description` out of shared channels (it is left out of the repr too).
    """

    id: NonEmpty
    org_id: NonEmpty
    event_type: NonEmpty
    title: str = ""
    description: str = Field(default="", repr=False)
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @property
    def is_known(self) -> bool:
        """Whether the type is in EVENT_MODELS (the test event too); unknown ones are recorded and skipped."""
        return self.event_type in EVENT_MODELS


class OrderCreated(WebhookEvent):
    metadata: OrderCreatedMetadata


class OrderUpdated(WebhookEvent):
    metadata: OrderMetadata


class OrderStatusUpdated(WebhookEvent):
    metadata: OrderStatusMetadata


class OrderMarkedPaid(WebhookEvent):
    metadata: OrderPaidMetadata


class OrderDeleted(WebhookEvent):
    metadata: OrderMetadata


class OrderRequestCreated(WebhookEvent):
    metadata: OrderRequestMetadata


class LowStock(WebhookEvent):
    metadata: StockMetadata


class OutOfStock(WebhookEvent):
    metadata: StockMetadata


class PrescriptionApproved(WebhookEvent):
    metadata: PrescriptionMetadata


class PaperlessSignatureCompleted(WebhookEvent):
    metadata: PrescriptionMetadata


class WebhookTest(WebhookEvent):
    """What the Manager's "Send test event" button sends (WEBHOOK_TEST_EVENT); its metadata means nothing."""


#: The typed event class for each known event type: vocabulary.WEBHOOK_EVENTS, then WEBHOOK_TEST_EVENT.
EVENT_MODELS: Mapping[str, type[WebhookEvent]] = MappingProxyType(
    dict(
        zip(
            WEBHOOK_EVENTS,
            (
                OrderCreated,
                OrderUpdated,
                OrderStatusUpdated,
                OrderMarkedPaid,
                OrderDeleted,
                OrderRequestCreated,
                LowStock,
                OutOfStock,
                PrescriptionApproved,
                PaperlessSignatureCompleted,
            ),
            strict=True,
        ),
        **{WEBHOOK_TEST_EVENT: WebhookTest},
    )
)


def parse(raw_body: bytes | str) -> WebhookEvent:
    """The typed event in a delivery body; an unknown `event_type` gives a plain `WebhookEvent`.

    Raises WebhookPayloadError naming what is missing or wrong (field names only, never their values).
    """
    try:
        document = json.loads(raw_body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookPayloadError(
            f"the body is not JSON ({type(exc).__name__} at position {getattr(exc, 'pos', 0)}): "
            "expected a JSON object with id, org_id, event_type, metadata and created_at"
        ) from None
    if not isinstance(document, dict):
        raise WebhookPayloadError(
            f"the body is a JSON {type(document).__name__}, expected an object with "
            "id, org_id, event_type, metadata and created_at"
        )
    event_type = document.get("event_type")
    model = EVENT_MODELS.get(event_type, WebhookEvent) if isinstance(event_type, str) else WebhookEvent
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        raise WebhookPayloadError(_describe(exc, event_type)) from None


def _describe(exc: ValidationError, event_type: object) -> str:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg'].lower()}"
        for error in exc.errors(include_input=False, include_url=False)
    )
    kind = f"{event_type} event" if isinstance(event_type, str) and event_type else "webhook event"
    return f"not a valid {kind}: {problems}"
