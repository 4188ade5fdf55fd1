"""Org inventory: GET /inventory, POST /inventory/adjust, GET /inventory/{p1Id}/log and /history.

Quirks kept: inventory rows and log entries carry `p1_id` as an integer and the stock as `stockquantity`.
Stock never goes below zero (409 insufficient_stock); crossing the low-stock threshold fires a webhook.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.errors import conflict
from toolkit.sandbox.http import Call
from toolkit.sandbox.lookups import inventory_product, org_shop
from toolkit.sandbox.timefmt import day_start, iso, utcnow

ADJUST_FIELDS = ("p1_id", "delta_on_hand", "delta_incoming", "reason", "shop_id", "metadata")


def list_inventory(call: Call) -> dict[str, Any]:
    rows = call.state.db.query(
        """SELECT p.p1_id, p.name, p.stock_quantity, p.price, p.category,
                  COUNT(l.id) AS log_entries, MAX(l.created_at) AS last_activity
           FROM products p LEFT JOIN inventory_log l ON l.org_id = p.org_id AND l.p1_id = p.p1_id
           WHERE p.org_id = ? GROUP BY p.p1_id ORDER BY p.p1_id""",
        call.org_id,
    )
    return {
        "data": [
            {
                "p1_id": row["p1_id"],
                "name": row["name"],
                "stockquantity": row["stock_quantity"],
                "price": row["price"],
                "category": row["category"],
                "log_entries": row["log_entries"],
                "last_activity": row["last_activity"],
            }
            for row in rows
        ]
    }


def _stock_alert(before: int, after: int) -> str | None:
    """The webhook event a move from `before` to `after` units fires, if it crosses a threshold."""
    if after == 0 < before:
        return "out_of_stock"
    if 0 < after <= vocab.LOW_STOCK_THRESHOLD < before:
        return "low_stock"
    return None


def adjust(call: Call) -> dict[str, Any]:
    body, db = call.body, call.state.db
    v.only_known(body, ADJUST_FIELDS)
    p1_id = v.product_id(body)
    reason = v.text(body, "reason", required=True)
    delta_on_hand = v.whole(body, "delta_on_hand", default=0)
    delta_incoming = v.whole(body, "delta_incoming", default=0)
    shop_id = v.text(body, "shop_id")
    metadata = v.obj(body, "metadata") or {}
    if shop_id is not None:
        org_shop(db, call.org_id, shop_id)
    entry_id = str(uuid.uuid4())
    with db.transaction():
        product = inventory_product(db, call.org_id, p1_id)
        before = product["stock_quantity"]
        after, incoming = before + delta_on_hand, product["incoming_quantity"] + delta_incoming
        if after < 0:
            raise conflict(
                vocab.ERROR_INSUFFICIENT_STOCK,
                f"Stock of product {p1_id} is {before};"
                f" delta_on_hand {delta_on_hand} would take it below zero",
            )
        if incoming < 0:
            raise conflict(
                vocab.ERROR_INSUFFICIENT_STOCK,
                f"Incoming quantity of product {p1_id} is {product['incoming_quantity']};"
                f" delta_incoming {delta_incoming} would take it below zero",
            )
        db.execute(
            "UPDATE products SET stock_quantity = ?, incoming_quantity = ? WHERE org_id = ? AND p1_id = ?",
            after,
            incoming,
            call.org_id,
            p1_id,
        )
        db.execute(
            "INSERT INTO inventory_log (id, org_id, p1_id, shop_id, delta_on_hand, delta_incoming, reason,"
            " metadata, stock_after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            entry_id,
            call.org_id,
            p1_id,
            shop_id,
            delta_on_hand,
            delta_incoming,
            reason,
            json.dumps(metadata, ensure_ascii=False),
            after,
            iso(utcnow()),
        )
    alert = _stock_alert(before, after)
    if alert:
        call.state.webhooks.emit(
            call.org_id,
            alert,
            f"{product['name']} is {'out of stock' if after == 0 else f'low on stock ({after} left)'}",
            {
                "p1_id": str(p1_id),
                "name": product["name"],
                "stock_quantity": after,
                "previous_stock_quantity": before,
                "threshold": vocab.LOW_STOCK_THRESHOLD,
            },
        )
    return {"status": "ok", "id": entry_id}


def log(call: Call) -> dict[str, Any]:
    db, p1_id = call.state.db, v.path_product_id(call.params["p1_id"])
    inventory_product(db, call.org_id, p1_id)
    rows = db.query(
        "SELECT id, p1_id, shop_id, delta_on_hand, delta_incoming, reason, metadata, created_at"
        " FROM inventory_log WHERE org_id = ? AND p1_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
        call.org_id,
        p1_id,
        vocab.INVENTORY_LOG_LIMIT,
    )
    for row in rows:  # an entry without shop context has shop_id "" (unset strings are never null)
        row["metadata"] = json.loads(row["metadata"])
        row["shop_id"] = row["shop_id"] or ""
    return {"data": rows}


def history(call: Call) -> dict[str, Any]:
    """One row per day of the window, oldest first: the day's changes and the stock at the end of the day."""
    db, p1_id = call.state.db, v.path_product_id(call.params["p1_id"])
    days = v.query_int(
        call.query, "days", vocab.HISTORY_DEFAULT_DAYS, minimum=1, maximum=vocab.HISTORY_MAX_DAYS
    )
    product = inventory_product(db, call.org_id, p1_id)
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    rows = db.query(
        "SELECT substr(created_at, 1, 10) AS day, SUM(delta_on_hand) AS delta_on_hand,"
        " SUM(delta_incoming) AS delta_incoming, COUNT(*) AS entries FROM inventory_log"
        " WHERE org_id = ? AND p1_id = ? AND created_at >= ? GROUP BY day",
        call.org_id,
        p1_id,
        day_start(first),
    )
    by_day = {row["day"]: row for row in rows}
    stock, data = product["stock_quantity"], []
    for offset in range(days):  # walk back from today's stock
        day = (today - timedelta(days=offset)).isoformat()
        changes = by_day.get(day, {"delta_on_hand": 0, "delta_incoming": 0, "entries": 0})
        data.append(
            {
                "date": day,
                "delta_on_hand": changes["delta_on_hand"],
                "delta_incoming": changes["delta_incoming"],
                "entries": changes["entries"],
                "stock_quantity": stock,
            }
        )
        stock -= changes["delta_on_hand"]
    data.reverse()
    return {"p1_id": p1_id, "days": days, "data": data}
