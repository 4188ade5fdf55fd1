"""Reading orders: GET /orders (offset pages with `total`, newest first) and GET /orders/{orderId}.

Quirks kept: list items leave out `external_id` when an order has none; detail items use `quantity` and a
string `p1_id`; larger limits are capped to 200 and the pagination block reports the limit used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.db import Database
from toolkit.sandbox.errors import not_found
from toolkit.sandbox.http import Call, JsonText
from toolkit.sandbox.lookups import list_filters

#: The fields of a list item in the order PharmaOne sends them (`external_id` only when an order has one).
SUMMARY_FIELDS = (
    "id",
    "external_id",
    "shop_id",
    "customer_name",
    "status",
    "payment_status",
    "total_amount",
    "created_at",
    "updated_at",
)
NUMBER_FIELDS = frozenset({"total_amount"})


def _json_object_sql(fields: Iterable[str]) -> str:
    """SQL rendering one row as a JSON object with `fields` in order, as Python's json would (compact)."""
    members = [
        f"'{name}', json(json_number({name}))" if name in NUMBER_FIELDS else f"'{name}', {name}"
        for name in fields
    ]
    return f"json_object({', '.join(members)})"


#: A list item as JSON text: SQLite renders the 200 rows of a page, so Python never builds a dict per row.
SUMMARY_JSON_SQL = (
    f"CASE WHEN external_id IS NULL"
    f" THEN {_json_object_sql(name for name in SUMMARY_FIELDS if name != 'external_id')}"
    f" ELSE {_json_object_sql(SUMMARY_FIELDS)} END"
)


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


def list_orders(call: Call) -> JsonText:
    db = call.state.db
    limit, offset = v.query_offset_page(call.query, vocab.ORDERS_DEFAULT_LIMIT, vocab.ORDERS_MAX_LIMIT)
    condition, params = list_filters(call, vocab.ORDER_STATUSES)
    # The listing's order is remembered until the next write: a page is a slice of it, not an OFFSET scan.
    order = db.remembered_column(
        f"SELECT rowid FROM orders WHERE {condition} ORDER BY created_at DESC, id", *params
    )
    total, page = len(order), order[offset : offset + limit]
    items = db.column(
        f"SELECT {SUMMARY_JSON_SQL} FROM orders WHERE rowid IN (SELECT value FROM json_each(?))"
        " ORDER BY created_at DESC, id",
        json.dumps(page),
    )
    pagination = json.dumps({"limit": limit, "offset": offset, "total": total}, separators=(",", ":"))
    return JsonText(f'{{"data":[{",".join(items)}],"pagination":{pagination}}}')


def get_order(call: Call) -> dict[str, Any]:
    db = call.state.db
    return detail_body(db, load_order(db, call.org_id, call.params["order_id"]))
