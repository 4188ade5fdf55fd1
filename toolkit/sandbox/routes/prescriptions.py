"""Prescriptions: GET /prescriptions (offset pages without `total`), GET /prescriptions/{id}, POST (ingest).

Quirks kept: unset `order_id` / `customer_email` are "" (never null); ids look like `org1-pq-8LLI8R`.
Ingest upserts on (shop_id, the first of vocabulary.PRESCRIPTION_INGEST_KEY_FIELDS that is set), else on
(shop_id, customer_email); every other field (the shop frontends' Title-Case keys) is stored as it came.
"""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.errors import invalid, not_found
from toolkit.sandbox.http import Call
from toolkit.sandbox.lookups import list_filters, org_shop
from toolkit.sandbox.timefmt import iso, utcnow

COLUMNS = "id, status, shop_id, order_id, customer_email, created_at"
#: Fields with a column of their own; everything else in an ingest body is kept in `fields`.
COLUMN_FIELDS = ("shop_id", "customer_email", "status", "order_id", "org_id")
STATUS_EVENTS = {"approved": "prescription_approved", "signed": "paperless_signature_completed"}


def list_prescriptions(call: Call) -> dict[str, Any]:
    limit, offset = v.query_offset_page(
        call.query, vocab.PRESCRIPTIONS_DEFAULT_LIMIT, vocab.PRESCRIPTIONS_MAX_LIMIT
    )
    condition, params = list_filters(call, vocab.PRESCRIPTION_STATUSES)
    rows = call.state.db.query(
        f"SELECT {COLUMNS} FROM prescriptions WHERE {condition}"
        " ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
        *params,
        limit,
        offset,
    )
    return {"data": rows, "pagination": {"limit": limit, "offset": offset}}


def get_prescription(call: Call) -> dict[str, Any]:
    prescription_id = call.params["prescription_id"]
    row = call.state.db.one(
        f"SELECT {COLUMNS} FROM prescriptions WHERE org_id = ? AND id = ?", call.org_id, prescription_id
    )
    if row is None:
        raise not_found(
            f"Prescription {prescription_id} not found in {call.org_id} (ids look like org1-pq-8LLI8R)"
        )
    return row


def _ingest_key(body: dict[str, Any], email: str) -> str:
    for field in vocab.PRESCRIPTION_INGEST_KEY_FIELDS:
        value = body.get(field)
        if value not in (None, ""):
            return f"{field}:{value}"
    return f"email:{email.lower()}"


def _new_id(org_id: str) -> str:
    return f"{org_id}-pq-" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(6))


def ingest(call: Call) -> dict[str, Any]:
    body, db = call.body, call.state.db
    shop_id = v.text(body, "shop_id", required=True)
    org_shop(db, call.org_id, shop_id)
    email = v.text(body, "customer_email", required=True)
    if "@" not in email:
        raise invalid("customer_email", f"customer_email {email!r} is not an e-mail address")
    if body.get("org_id") not in (None, call.org_id):
        raise invalid("org_id", f"org_id comes from the URL ({call.org_id}); leave it out or send the same")
    status = v.choice(body, "status", vocab.PRESCRIPTION_STATUSES)
    order_id = v.text(body, "order_id")
    extra = {name: value for name, value in body.items() if name not in COLUMN_FIELDS}
    key, stamp = _ingest_key(body, email), iso(utcnow())
    with db.transaction():
        existing = db.one(
            "SELECT id, status, fields FROM prescriptions"
            " WHERE org_id = ? AND shop_id = ? AND ingest_key = ?",
            call.org_id,
            shop_id,
            key,
        )
        if existing is None:
            prescription_id, old_status = _new_id(call.org_id), None
            while db.one("SELECT 1 FROM prescriptions WHERE id = ?", prescription_id):
                prescription_id = _new_id(call.org_id)
            db.insert(
                "prescriptions",
                {
                    "id": prescription_id,
                    "org_id": call.org_id,
                    "shop_id": shop_id,
                    "status": status or "new",
                    "order_id": order_id or "",
                    "customer_email": email,
                    "ingest_key": key,
                    "fields": json.dumps(extra, ensure_ascii=False),
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
        else:
            prescription_id, old_status = existing["id"], existing["status"]
            fields = json.loads(existing["fields"]) | extra
            db.execute(
                "UPDATE prescriptions SET customer_email = ?, status = COALESCE(?, status),"
                " order_id = COALESCE(?, order_id), fields = ?, updated_at = ? WHERE id = ?",
                email,
                status,
                order_id,
                json.dumps(fields, ensure_ascii=False),
                stamp,
                prescription_id,
            )
    event = STATUS_EVENTS.get(status or "") if status != old_status else None
    if event:
        call.state.webhooks.emit(
            call.org_id,
            event,
            f"Prescription {prescription_id} is {status}",
            {
                "prescription_id": prescription_id,
                "shop_id": shop_id,
                "old_status": old_status,
                "new_status": status,
            },
        )
    return {"id": prescription_id, "upsert": "ok"}
