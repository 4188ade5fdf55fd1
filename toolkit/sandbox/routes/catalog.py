"""Shops and products: GET /shops, /products (page-based), /products/{p1Id}, and the products.write routes.

Quirks kept: product bodies carry `p1_id` as a string and the stock as `stock_quantity`.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.db import Database
from toolkit.sandbox.errors import conflict, invalid, not_found
from toolkit.sandbox.http import Call, Reply
from toolkit.sandbox.lookups import inventory_product, org_shop
from toolkit.sandbox.timefmt import iso, utcnow

SHOP_PRODUCT_SQL = """
SELECT p.p1_id, COALESCE(sp.name_override, p.name) AS name, p.slug, p.category,
       COALESCE(sp.price_override, p.price) AS price, p.stock_quantity,
       (sp.available AND p.available AND p.stock_quantity > 0) AS available, sp.shop_id
FROM shop_products sp JOIN products p ON p.p1_id = sp.p1_id AND p.org_id = ?
WHERE sp.shop_id = ?"""
PRODUCT_UPDATE_FIELDS = ("name", "slug", "description", "category", "price", "available", "thc", "cbd")


def shop_product_body(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "p1_id": str(row["p1_id"]),
        "name": row["name"],
        "slug": row["slug"],
        "category": row["category"],
        "price": row["price"],
        "stock_quantity": row["stock_quantity"],
        "available": bool(row["available"]),
        "shop_id": row["shop_id"],
    }


def inventory_product_body(row: dict[str, Any]) -> dict[str, Any]:
    """An org-inventory product as the products.write routes answer it (string p1_id, stock_quantity)."""
    return {
        "p1_id": str(row["p1_id"]),
        "name": row["name"],
        "slug": row["slug"],
        "category": row["category"],
        "description": row["description"],
        "price": row["price"],
        "stock_quantity": row["stock_quantity"],
        "incoming_quantity": row["incoming_quantity"],
        "available": bool(row["available"]),
        "thc": row["thc"],
        "cbd": row["cbd"],
    }


def _shop_product(db: Database, org_id: str, shop_id: str, p1_id: int) -> dict[str, Any]:
    row = db.one(SHOP_PRODUCT_SQL + " AND sp.p1_id = ?", org_id, shop_id, p1_id)
    if row is None:
        raise not_found(f"Product {p1_id} is not listed in shop {shop_id}")
    return row


def list_shops(call: Call) -> dict[str, Any]:
    rows = call.state.db.query(
        "SELECT is_active, name, shop_id FROM shops WHERE org_id = ? ORDER BY rowid", call.org_id
    )
    return {
        "data": [
            {"is_active": bool(r["is_active"]), "name": r["name"], "shop_id": r["shop_id"]} for r in rows
        ]
    }


def _required_shop_query(call: Call) -> str:
    shop_id = call.query.get("shop_id")
    if not shop_id:
        raise invalid("shop_id", "shop_id is required, e.g. ?shop_id=shop1 (see GET /shops)", 400)
    org_shop(call.state.db, call.org_id, shop_id, status=400)
    return shop_id


def list_products(call: Call) -> dict[str, Any]:
    db = call.state.db
    shop_id = _required_shop_query(call)
    limit = v.query_int(
        call.query,
        "limit",
        vocab.PRODUCTS_DEFAULT_LIMIT,
        minimum=1,
        maximum=vocab.PRODUCTS_MAX_LIMIT,
        cap=True,
    )
    page = v.query_int(call.query, "page", 1, minimum=1)
    total = db.scalar("SELECT COUNT(*) FROM shop_products WHERE shop_id = ?", shop_id)
    rows = db.query(
        SHOP_PRODUCT_SQL + " ORDER BY p.p1_id LIMIT ? OFFSET ?",
        call.org_id,
        shop_id,
        limit,
        (page - 1) * limit,
    )
    return {
        "data": [shop_product_body(row) for row in rows],
        "pagination": {
            "page": page,
            "pageSize": limit,
            "total": total,
            "totalPages": math.ceil(total / limit),
        },
    }


def get_product(call: Call) -> dict[str, Any]:
    shop_id = _required_shop_query(call)
    return shop_product_body(
        _shop_product(call.state.db, call.org_id, shop_id, v.path_product_id(call.params["p1_id"]))
    )


def add_to_inventory(call: Call) -> Reply:
    body, db = call.body, call.state.db
    v.only_known(body, ("p1_id", "initial_stock", "price"))
    p1_id = v.product_id(body)
    initial_stock = v.whole(body, "initial_stock", default=1)
    if initial_stock < 0:
        raise invalid("initial_stock", f"initial_stock must not be negative, got {initial_stock}")
    price = v.money(body, "price")
    with db.transaction():
        item = db.one("SELECT * FROM catalog WHERE p1_id = ?", p1_id)
        if item is None:
            raise not_found(f"Product {p1_id} is not in the PharmaOne catalogue")
        if db.one("SELECT 1 FROM products WHERE org_id = ? AND p1_id = ?", call.org_id, p1_id):
            raise conflict(
                vocab.ERROR_ALREADY_EXISTS, f"Product {p1_id} is already in the inventory of {call.org_id}"
            )
        db.execute(
            "INSERT INTO products (org_id, p1_id, name, slug, category, description, thc, cbd, price,"
            " stock_quantity) SELECT ?, p1_id, name, slug, category, description, thc, cbd, ?, ? FROM catalog"
            " WHERE p1_id = ?",
            call.org_id,
            item["price"] if price is None else price,
            initial_stock,
            p1_id,
        )
        db.execute(
            "INSERT INTO inventory_log (id, org_id, p1_id, shop_id, delta_on_hand, delta_incoming, reason,"
            " stock_after, created_at) VALUES (?, ?, ?, NULL, ?, 0, 'Added to inventory', ?, ?)",
            str(uuid.uuid4()),
            call.org_id,
            p1_id,
            initial_stock,
            initial_stock,
            iso(utcnow()),
        )
        row = inventory_product(db, call.org_id, p1_id)
    return Reply(inventory_product_body(row), 201)


def update_product(call: Call) -> dict[str, Any]:
    body, db = call.body, call.state.db
    p1_id = v.path_product_id(call.params["p1_id"])
    v.only_known(body, PRODUCT_UPDATE_FIELDS)
    if not body:
        raise invalid(
            "body", f"nothing to update; send one or more of: {', '.join(PRODUCT_UPDATE_FIELDS)}", 400
        )
    changes: dict[str, Any] = {}
    for name in ("name", "slug", "description", "category"):
        if name in body:
            changes[name] = v.text(body, name, required=name != "description") or ""
    for name in ("price", "thc", "cbd"):
        if name in body:
            changes[name] = v.money(body, name)
    if "available" in body:
        changes["available"] = v.flag(body, "available")
    if changes.get("price") is None and "price" in changes:
        raise invalid("price", "price cannot be cleared; send a number of euros")
    with db.transaction():
        inventory_product(db, call.org_id, p1_id)
        assignments = ", ".join(f"{name} = ?" for name in changes)
        db.execute(
            f"UPDATE products SET {assignments} WHERE org_id = ? AND p1_id = ?",
            *changes.values(),
            call.org_id,
            p1_id,
        )
        row = inventory_product(db, call.org_id, p1_id)
    return inventory_product_body(row)


def _shop_and_product(call: Call, known: tuple[str, ...]) -> tuple[str, int]:
    v.only_known(call.body, known)
    shop_id = v.text(call.body, "shop_id", required=True)
    org_shop(call.state.db, call.org_id, shop_id)
    return shop_id, v.product_id(call.body)


def attach_product(call: Call) -> dict[str, Any]:
    db = call.state.db
    shop_id, p1_id = _shop_and_product(call, ("shop_id", "p1_id", "price", "available"))
    price, available = v.money(call.body, "price"), v.flag(call.body, "available")
    with db.transaction():
        product = inventory_product(db, call.org_id, p1_id)
        if product["stock_quantity"] <= 0:
            raise conflict(
                vocab.ERROR_INSUFFICIENT_STOCK,
                f"Product {p1_id} has no stock;"
                " adjust the inventory above zero before attaching it to a shop",
            )
        db.execute(
            "INSERT INTO shop_products (shop_id, p1_id, price_override, available) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (shop_id, p1_id) DO UPDATE SET price_override = COALESCE(excluded.price_override,"
            " price_override), available = excluded.available",
            shop_id,
            p1_id,
            price,
            1 if available is None else int(available),
        )
        return shop_product_body(_shop_product(db, call.org_id, shop_id, p1_id))


def detach_product(call: Call) -> dict[str, Any]:
    db = call.state.db
    shop_id, p1_id = _shop_and_product(call, ("shop_id", "p1_id"))
    with db.transaction():
        _shop_product(db, call.org_id, shop_id, p1_id)
        db.execute("DELETE FROM shop_products WHERE shop_id = ? AND p1_id = ?", shop_id, p1_id)
    return {"status": "ok", "shop_id": shop_id, "p1_id": str(p1_id)}


def product_overrides(call: Call) -> dict[str, Any]:
    """Sets the shop's own price, name or availability; a field sent as null clears that override."""
    db, body = call.state.db, call.body
    shop_id, p1_id = _shop_and_product(call, ("shop_id", "p1_id", "price", "name", "available"))
    changes: dict[str, Any] = {}
    if "price" in body:
        changes["price_override"] = v.money(body, "price")
    if "name" in body:
        changes["name_override"] = v.text(body, "name")
    if "available" in body:
        available = v.flag(body, "available")
        changes["available"] = 1 if available is None else int(available)
    if not changes:
        raise invalid("body", "nothing to override; send price, name and/or available", 400)
    with db.transaction():
        _shop_product(db, call.org_id, shop_id, p1_id)
        assignments = ", ".join(f"{name} = ?" for name in changes)
        db.execute(
            f"UPDATE shop_products SET {assignments} WHERE shop_id = ? AND p1_id = ?",
            *changes.values(),
            shop_id,
            p1_id,
        )
        return shop_product_body(_shop_product(db, call.org_id, shop_id, p1_id))
