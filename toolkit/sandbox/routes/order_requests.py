"""Order requests (staff-reviewed orders) on three doors: v2 with a JWT, v1 with the API key, and the shop
proxy's `/api/v1/external-order`, which takes org and shop from its URL.

All three share one envelope `{external_reference, source, payload}` and one validation. A repeated
`external_reference` of the same org is answered with the first request's result; nothing new is stored.
The shop proxy refuses a body that names `shop_id` or `org_id` (the reference says the partner must not send
them), with a 422 naming the field.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.errors import invalid
from toolkit.sandbox.http import Call
from toolkit.sandbox.lookups import org_shop
from toolkit.sandbox.timefmt import iso, utcnow

ENVELOPE_FIELDS = ("external_reference", "source", "payload")
ITEM_REFERENCES = ("name", "p1_id", "product_id")
PRESCRIPTION_FIELDS = ("prescription_pdf_base64", "prescription_pdf_url")


def _check_items(payload: dict[str, Any]) -> None:
    has_prescription = any(payload.get(name) for name in PRESCRIPTION_FIELDS)
    items = payload.get("items")
    if items is None and has_prescription:
        return
    if not isinstance(items, list) or (not items and not has_prescription):
        raise invalid(
            "payload.items",
            "payload.items must be a non-empty list of {name or p1_id or product_id, quantity > 0},"
            " unless a prescription PDF (prescription_pdf_base64 or prescription_pdf_url) is sent instead",
        )
    for index, item in enumerate(items):
        where = f"payload.items[{index}]."
        if not isinstance(item, dict):
            raise invalid(f"payload.items[{index}]", f"payload.items[{index}] must be a JSON object")
        if "qty" in item and "quantity" not in item:
            raise invalid(
                where + "quantity", f"{where}quantity is required (order requests use quantity, not qty)"
            )
        quantity = v.whole(item, "quantity", where=where)
        if quantity is None or quantity <= 0:
            raise invalid(
                where + "quantity", f"{where}quantity must be a whole number above 0, got {quantity!r}"
            )
        if not any(item.get(name) not in (None, "") for name in ITEM_REFERENCES):
            raise invalid(
                where + "name", f"payload.items[{index}] needs one of: {', '.join(ITEM_REFERENCES)}"
            )
        v.money(item, "price", where=where)


def _check_prescription(payload: dict[str, Any]) -> None:
    encoded = v.text(payload, "prescription_pdf_base64", where="payload.")
    if encoded is not None:
        try:
            base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise invalid(
                "payload.prescription_pdf_base64", "payload.prescription_pdf_base64 is not Base64"
            ) from None
    url = v.text(payload, "prescription_pdf_url", where="payload.")
    if url is not None and not url.startswith(("https://", "http://")):
        raise invalid("payload.prescription_pdf_url", "payload.prescription_pdf_url must be an http(s) URL")


def _refuse_injected_fields(body: dict[str, Any]) -> None:
    """The shop proxy sets org and shop from its URL; a body naming either is refused, not overridden."""
    payload = body["payload"] if isinstance(body.get("payload"), dict) else {}
    for name in ("shop_id", "org_id"):
        if name in payload or name in body:
            field = f"payload.{name}" if name in payload else name
            raise invalid(
                field, f"{name} is set by the shop proxy from its URL; leave {field} out of the body"
            )


def _check_payload(call: Call, payload: dict[str, Any]) -> str:
    """Validates the payload; returns the shop the request is for."""
    db = call.state.db
    if call.shop_id is not None:
        shop_id = call.shop_id
    else:
        shop_id = v.text(payload, "shop_id", required=True, where="payload.")
        org_shop(db, call.org_id, shop_id, field="payload.shop_id")
    name = v.text(payload, "customer_name", where="payload.")
    email = v.text(payload, "customer_email", where="payload.")
    if name is None and email is None:
        raise invalid("payload.customer_name", "payload needs customer_email or customer_name (or both)")
    if email is not None and "@" not in email:
        raise invalid("payload.customer_email", f"payload.customer_email {email!r} is not an e-mail address")
    _check_items(payload)
    _check_prescription(payload)
    v.money(payload, "total_amount", where="payload.")
    v.choice(payload, "payment_status", vocab.PAYMENT_STATUSES, where="payload.")
    v.choice(payload, "shipping_option", vocab.SHIPPING_OPTIONS, where="payload.")
    v.flag(payload, "cash_on_pickup", where="payload.")
    for field in ("external_id", *vocab.ORDER_REQUEST_ADDRESS_FIELDS):
        v.text(payload, field, where="payload.")
    return shop_id


def _submit(call: Call, api: str) -> dict[str, Any]:
    """Stores the request (or finds the first one with this external_reference); returns its result."""
    body, db = call.body, call.state.db
    if call.shop_id is not None:
        _refuse_injected_fields(body)
    v.only_known(body, ENVELOPE_FIELDS)
    reference = v.text(body, "external_reference")
    source = v.text(body, "source")
    payload = v.obj(body, "payload", required=True)
    shop_id = _check_payload(call, payload)
    created = False
    with db.transaction():
        first = (
            db.one(
                "SELECT id, status FROM order_requests WHERE org_id = ? AND external_reference = ?",
                call.org_id,
                reference,
            )
            if reference is not None
            else None
        )
        if first is None:
            first = {"id": str(uuid.uuid4()), "status": vocab.ORDER_REQUEST_STATUS}
            db.insert(
                "order_requests",
                {
                    "id": first["id"],
                    "org_id": call.org_id,
                    "api": api,
                    "shop_id": shop_id,
                    "external_reference": reference,
                    "source": source,
                    "status": first["status"],
                    "payload": json.dumps(payload, ensure_ascii=False),
                    "created_at": iso(utcnow()),
                },
            )
            created = True
    if created:
        call.state.webhooks.emit(
            call.org_id,
            "order_request_created",
            f"Order request {first['id']} received from {source or 'an integration'}",
            {
                "order_request_id": first["id"],
                "external_reference": reference,
                "shop_id": shop_id,
                "source": source,
                "api": api,
            },
        )
    return {
        "id": first["id"],
        "status": first["status"],
        "message": vocab.ORDER_REQUEST_MESSAGE,
        "external_reference": reference,
    }


def create_v2(call: Call) -> dict[str, Any]:
    return _submit(call, "v2")


def create_v1(call: Call) -> dict[str, Any]:
    """The v1 answer has no `external_reference` (as the live example shows)."""
    result = _submit(call, "v1")
    del result["external_reference"]
    return result


def create_external(call: Call) -> dict[str, Any]:
    return _submit(call, "shop")
