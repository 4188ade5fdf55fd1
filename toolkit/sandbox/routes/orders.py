"""Reading orders: GET /orders (offset pages with `total`, newest first) and GET /orders/{orderId}.

Quirks kept: list items leave out `external_id` when an order has none; detail items use `quantity` and a
string `p1_id`; larger limits are capped to 200 and the pagination block reports the limit used.
"""

from __future__ import annotations

from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.db import Database
from toolkit.sandbox.errors import not_found
from toolkit.sandbox.http import Call
from toolkit.sandbox.lookups import list_filters


def summary_body(row: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"id": row["id"]}
    if row["external_id"] is not None:
        body["external_id"] = row["external_id"]
    body.update(
        shop_id=row["shop_id"],
        customer_name=row["customer_name"],
        status=row["status"],
        payment_status=row["payment_status"],
        total_amount=row["total_amount"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
    return body


def load_order(db: Database, org_id: str, order_id: str) -> dict[str, Any]:
    row = db.one("SELECT * FROM orders WHERE org_id = ? AND id = ?", org_id, order_id)
    if row is None:
        raise not_found(f"Order {order_id} not found in {org_id} (ids look like {vocab.ORDER_ID_EXAMPLE})")
    return row


def detail_body(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """The GET /orders/{id} body. Unset strings are "" (as prescriptions do), never null."""
    items = db.query(
        "SELECT p1_id, name, quantity, price FROM order_items WHERE order_id = ? ORDER BY line", row["id"]
    )
    for item in items:  # a line not tied to a product has no p1_id at all, as in the live example
        if item["p1_id"] is None:
            del item["p1_id"]
    body: dict[str, Any] = {"id": row["id"]}
    for optional in ("external_id", "order_number"):
        if row[optional] is not None:
            body[optional] = row[optional]
    body.update(
        status=row["status"],
        shop_id=row["shop_id"],
        customer_name=row["customer_name"],
        customer_email=row["customer_email"],
        total_amount=row["total_amount"],
        payment_status=row["payment_status"],
        payment_reference=row["payment_reference"] or "",
        shipped=bool(row["shipped"]),
        picked_up=bool(row["picked_up"]),
        cash_on_pickup=bool(row["cash_on_pickup"]),
        shipping_option=row["shipping_option"] or "",
        shipping_address={name: row[name] or "" for name in ("street", "city", "postal_code", "phone")},
        items=items,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
    return body


def list_orders(call: Call) -> dict[str, Any]:
    db = call.state.db
    limit, offset = v.query_offset_page(call.query, vocab.ORDERS_DEFAULT_LIMIT, vocab.ORDERS_MAX_LIMIT)
    condition, params = list_filters(call, vocab.ORDER_STATUSES)
    total = db.count(f"SELECT COUNT(*) FROM orders WHERE {condition}", *params)
    # The page's rowids come from a covering index, so the rows skipped by OFFSET are never read.
    rows = db.query(
        "SELECT id, external_id, shop_id, customer_name, status, payment_status, total_amount, created_at,"
        f" updated_at FROM orders WHERE rowid IN (SELECT rowid FROM orders WHERE {condition}"
        " ORDER BY created_at DESC, id LIMIT ? OFFSET ?) ORDER BY created_at DESC, id",
        *params,
        limit,
        offset,
    )
    return {
        "data": [summary_body(row) for row in rows],
        "pagination": {"limit": limit, "offset": offset, "total": total},
    }


def get_order(call: Call) -> dict[str, Any]:
    db = call.state.db
    return detail_body(db, load_order(db, call.org_id, call.params["order_id"]))
