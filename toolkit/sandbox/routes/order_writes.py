"""Changing orders: POST /orders (upsert on external_id + shop_id), PUT /orders/{id}, PATCH …/status.

All three go through `_apply`, which checks a status change against `vocabulary.ORDER_TRANSITIONS` (409
invalid_transition otherwise; the same status again is a no-op) and tells which webhooks the change fires.
Quirk kept: upsert line items use `qty`, not `quantity`.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.db import Database
from toolkit.sandbox.errors import ApiError, invalid
from toolkit.sandbox.http import Call, Reply
from toolkit.sandbox.lookups import org_shop
from toolkit.sandbox.routes.orders import detail_body, load_order
from toolkit.sandbox.timefmt import from_nanos, iso, iso_nanos, now_nanos, parse_iso

ADDRESS_FIELDS = ("street", "city", "postal_code", "phone")
TEXT_FIELDS = ("customer_name", "customer_email", "payment_reference", "order_number")
FLAG_FIELDS = ("shipped", "picked_up", "cash_on_pickup")
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    *FLAG_FIELDS,
    "status",
    "payment_status",
    "shipping_option",
    "shipping_address",
    "items",
    "total_amount",
)
UPSERT_FIELDS = (*EDITABLE_FIELDS, "shop_id", "external_id", "order_datetime")
PATCH_FIELDS = ("status", "shipped", "picked_up", "payment_status")


#: An order line as stored: (p1_id or None, name, quantity, price).
Line = tuple[str | None, str, int, float]


@dataclass
class Changes:
    """Validated column values and, when the body has items, the new order lines."""

    columns: dict[str, Any] = field(default_factory=dict)
    items: list[Line] | None = None


def _items(db: Database, org_id: str, raw: Any) -> list[Line]:
    if not isinstance(raw, list) or not raw:
        raise invalid("items", "items must be a non-empty list of {p1_id or name, qty, price}")
    items = []
    for index, item in enumerate(raw):
        where = f"items[{index}]."
        if not isinstance(item, dict):
            raise invalid(f"items[{index}]", f"items[{index}] must be a JSON object")
        if "quantity" in item and "qty" not in item:
            raise invalid(where + "qty", f"{where}qty is required (POST /orders items use qty, not quantity)")
        v.only_known(item, ("p1_id", "name", "qty", "price"), where=where)
        qty = v.whole(item, "qty", where=where)
        if qty is None or qty <= 0:
            raise invalid(where + "qty", f"{where}qty must be a whole number above 0, got {qty!r}")
        product, p1_id = None, None
        if item.get("p1_id") is not None:
            p1_id = v.product_id(item, where=where)
            product = db.one("SELECT name, price FROM products WHERE org_id = ? AND p1_id = ?", org_id, p1_id)
            if product is None:
                raise invalid(where + "p1_id", f"{where}p1_id {p1_id} is not in the inventory of {org_id}")
        name = v.text(item, "name", where=where) or (product and product["name"])
        price = v.money(item, "price", where=where)
        price = price if price is not None else (product and product["price"])
        if not name or price is None:
            raise invalid(
                where + "name", f"items[{index}] needs a p1_id of the inventory, or a name and a price"
            )
        items.append((None if p1_id is None else str(p1_id), name, qty, price))
    return items


def _parse_changes(db: Database, org_id: str, body: dict[str, Any]) -> Changes:
    changes = Changes()
    columns = changes.columns
    for name in TEXT_FIELDS:
        if name in body:
            columns[name] = v.text(body, name) or (
                None if name in ("payment_reference", "order_number") else ""
            )
    for name in FLAG_FIELDS:
        if body.get(name) is not None:
            columns[name] = int(v.flag(body, name))
    if body.get("status") is not None:
        columns["status"] = v.choice(body, "status", vocab.ORDER_STATUSES)
    if body.get("payment_status") is not None:
        columns["payment_status"] = v.choice(body, "payment_status", vocab.PAYMENT_STATUSES)
    if body.get("shipping_option") is not None:
        columns["shipping_option"] = v.choice(body, "shipping_option", vocab.SHIPPING_OPTIONS)
    address = v.obj(body, "shipping_address")
    if address is not None:
        v.only_known(address, ADDRESS_FIELDS, where="shipping_address.")
        for name in ADDRESS_FIELDS:
            if name in address:
                columns[name] = v.text(address, name, where="shipping_address.")
    if "items" in body:
        changes.items = _items(db, org_id, body["items"])
        columns["total_amount"] = round(sum(qty * price for _, _, qty, price in changes.items), 2)
    if body.get("total_amount") is not None:
        columns["total_amount"] = v.money(body, "total_amount")
    return changes


def _check_transition(order: dict[str, Any], new_status: str) -> None:
    allowed = vocab.next_order_statuses(order["status"])
    if new_status != order["status"] and new_status not in allowed:
        raise ApiError(
            409,
            vocab.ERROR_INVALID_TRANSITION,
            f"Order {order['id']} is {order['status']!r} and cannot move to {new_status!r};"
            f" allowed next statuses: {', '.join(allowed) or 'none (final status)'}",
            current_status=order["status"],
            allowed=list(allowed),
        )


def _current_items(db: Database, order_id: str) -> list[Line]:
    rows = db.query(
        "SELECT p1_id, name, quantity, price FROM order_items WHERE order_id = ? ORDER BY line", order_id
    )
    return [(row["p1_id"], row["name"], row["quantity"], row["price"]) for row in rows]


def _write_items(db: Database, order_id: str, items: list[Line]) -> None:
    db.execute("DELETE FROM order_items WHERE order_id = ?", order_id)
    columns = ("p1_id", "name", "quantity", "price")
    db.insert_many(
        "order_items",
        [
            {"order_id": order_id, "line": line, **dict(zip(columns, item, strict=True))}
            for line, item in enumerate(items, 1)
        ],
    )


def _apply(call: Call, order: dict[str, Any], changes: Changes, stamp: str) -> list[tuple[str, str, dict]]:
    """Writes the changes (inside the caller's transaction); returns the webhook events they fire."""
    db = call.state.db
    if "status" in changes.columns:
        _check_transition(order, changes.columns["status"])
    changed = {name: value for name, value in changes.columns.items() if order[name] != value}
    if changes.items is not None and changes.items != _current_items(db, order["id"]):
        _write_items(db, order["id"], changes.items)
        changed["items"] = True
    if not changed:
        return []
    columns = {name: value for name, value in changed.items() if name != "items"}
    columns["updated_at"] = stamp
    db.execute(
        f"UPDATE orders SET {', '.join(f'{name} = ?' for name in columns)} WHERE id = ?",
        *columns.values(),
        order["id"],
    )
    order_id, events = order["id"], []
    if any(name in changed for name in ("status", "shipped", "picked_up")):
        metadata = {
            "order_id": order_id,
            "old_status": order["status"],
            "new_status": changed.get("status", order["status"]),
        }
        metadata.update({name: bool(changed[name]) for name in ("shipped", "picked_up") if name in changed})
        events.append(("order_status_updated", f"Order {order_id} updated via external API", metadata))
    if changed.get("payment_status") == "paid":
        events.append(("order_marked_paid", f"Order {order_id} marked paid", {"order_id": order_id}))
    other = sorted(set(changed) - {"status", "shipped", "picked_up", "payment_status"})
    if other:
        events.append(("order_updated", f"Order {order_id} updated", {"order_id": order_id, "fields": other}))
    return events


def _emit(call: Call, events: list[tuple[str, str, dict]]) -> None:
    for event_type, description, metadata in events:
        call.state.webhooks.emit(call.org_id, event_type, description, metadata)


def _new_order_id(created: str) -> str:
    suffix = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(10))
    return f"ORD_{created[:10].replace('-', '')}_{suffix}"


def _create(call: Call, shop_id: str, external_id: str, changes: Changes, created: str, stamp: str) -> str:
    columns = changes.columns
    if not columns.get("customer_name"):
        raise invalid("customer_name", "customer_name is required when the order is new")
    if changes.items is None:
        raise invalid("items", "items are required when the order is new: [{p1_id or name, qty, price}]")
    order_id = _new_order_id(created)
    row = {
        "id": order_id,
        "org_id": call.org_id,
        "shop_id": shop_id,
        "external_id": external_id,
        "customer_email": "",
        "status": "pending",
        "payment_status": "pending",
        **columns,
        "created_at": created,
        "updated_at": stamp,
    }
    call.state.db.execute(
        f"INSERT INTO orders ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", *row.values()
    )
    _write_items(call.state.db, order_id, changes.items)
    return order_id


def upsert_order(call: Call) -> Reply:
    body, db = call.body, call.state.db
    v.only_known(body, UPSERT_FIELDS)
    shop_id = v.text(body, "shop_id", required=True)
    external_id = v.text(body, "external_id", required=True)
    org_shop(db, call.org_id, shop_id)
    stamp = iso(from_nanos(now_nanos()))
    created = stamp
    if body.get("order_datetime") is not None:
        try:
            created = iso(parse_iso(v.text(body, "order_datetime")))
        except ValueError:
            raise invalid(
                "order_datetime", "order_datetime must be ISO-8601, e.g. 2026-06-05T12:00:00Z"
            ) from None
    changes = _parse_changes(db, call.org_id, body)
    with db.transaction():
        existing = db.one(
            "SELECT * FROM orders WHERE org_id = ? AND shop_id = ? AND external_id = ?",
            call.org_id,
            shop_id,
            external_id,
        )
        if existing is None:
            order_id = _create(call, shop_id, external_id, changes, created, stamp)
            events = [("order_created", f"Order {order_id} created via external API", {"order_id": order_id})]
            events[0][2].update(shop_id=shop_id, external_id=external_id)
            status = vocab.ORDER_UPSERT_CREATED_STATUS
        else:
            order_id = existing["id"]
            events = _apply(call, existing, changes, stamp)
            status = vocab.ORDER_UPSERT_UPDATED_STATUS
        answer = detail_body(db, load_order(db, call.org_id, order_id))
    _emit(call, events)
    return Reply(answer, status)


def update_order(call: Call) -> dict[str, Any]:
    body, db = call.body, call.state.db
    v.only_known(body, EDITABLE_FIELDS)
    if not body:
        raise invalid("body", f"nothing to update; send one or more of: {', '.join(EDITABLE_FIELDS)}", 400)
    changes = _parse_changes(db, call.org_id, body)
    with db.transaction():
        order = load_order(db, call.org_id, call.params["order_id"])
        events = _apply(call, order, changes, iso(from_nanos(now_nanos())))
        answer = detail_body(db, load_order(db, call.org_id, order["id"]))
    _emit(call, events)
    return answer


def patch_status(call: Call) -> dict[str, Any]:
    body, db = call.body, call.state.db
    v.only_known(body, PATCH_FIELDS)
    if all(body.get(name) is None for name in PATCH_FIELDS):
        raise invalid(
            "status",
            f'send a status, e.g. {{"status": "awaiting_packing"}} ({", ".join(vocab.ORDER_STATUSES)})',
        )
    changes = _parse_changes(db, call.org_id, body)
    nanos = now_nanos()
    with db.transaction():
        order = load_order(db, call.org_id, call.params["order_id"])
        events = _apply(call, order, changes, iso(from_nanos(nanos)))
        current = load_order(db, call.org_id, order["id"])
    _emit(call, events)
    # always the 9-digit form; a no-op (same status again) answers the stored time padded to nanoseconds
    updated_at = iso_nanos(nanos) if events else current["updated_at"].removesuffix("Z") + "000Z"
    return {"order_id": current["id"], "status": current["status"], "updated_at": updated_at}
