"""Lookups several route groups share, each refusing with a message that says what exists instead."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit.sandbox import validate as v
from toolkit.sandbox.db import Database
from toolkit.sandbox.errors import invalid, not_found
from toolkit.sandbox.http import Call


def org_shop(db: Database, org_id: str, shop_id: str, *, field: str = "shop_id", status: int = 422) -> dict:
    shop = db.one(
        "SELECT shop_id, name, is_active FROM shops WHERE org_id = ? AND shop_id = ?", org_id, shop_id
    )
    if shop is None:
        known = [row["shop_id"] for row in db.query("SELECT shop_id FROM shops WHERE org_id = ?", org_id)]
        raise invalid(
            field, f"{field} {shop_id!r} is not a shop of {org_id}; its shops: {', '.join(known)}", status
        )
    return shop


def inventory_product(db: Database, org_id: str, p1_id: int) -> dict[str, Any]:
    product = db.one("SELECT * FROM products WHERE org_id = ? AND p1_id = ?", org_id, p1_id)
    if product is None:
        raise not_found(f"Product {p1_id} is not in the inventory of {org_id}")
    return product


def list_filters(call: Call, statuses: Iterable[str]) -> tuple[str, list[str]]:
    """The WHERE clause of a list route: the org, and the optional `status` and `shop_id` filters."""
    status = v.query_choice(call.query, "status", statuses)
    shop_id = call.query.get("shop_id") or None
    if shop_id is not None:
        org_shop(call.state.db, call.org_id, shop_id, status=400)
    where, params = ["org_id = ?"], [call.org_id]
    for column, value in (("status", status), ("shop_id", shop_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(where), params
