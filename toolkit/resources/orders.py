"""`/orders`: list (offset pages with total), get, status PATCH, upsert (POST) and update (PUT)."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from toolkit import frames, validation
from toolkit.errors import InvalidArgumentError
from toolkit.models import Order, StatusChange, WriteResult
from toolkit.resources._base import Namespace, compact, operation
from toolkit.vocabulary import ORDERS_MAX_LIMIT, PAYMENT_STATUSES


class Orders(Namespace):
    @operation
    def list(
        self, status: str | None = None, shop_id: str | None = None, max_rows: int | None = None
    ) -> Generator[Any, Any, pd.DataFrame]:
        """Every order (newest first), each once, optionally filtered; at most `max_rows` rows."""
        filters = compact(
            status=None if status is None else validation.order_status(status),
            shop_id=validation.optional_text("shop_id", shop_id),
        )
        return (
            yield from self._offset_listing(
                "/orders",
                filters,
                max_limit=ORDERS_MAX_LIMIT,
                max_rows=validation.max_rows(max_rows),
                schema=frames.ORDERS,
            )
        )

    @operation
    def get(self, order_id: str) -> Generator[Any, Any, Order]:
        """One order with its items (`.items`, `.items_frame()`) and shipping address."""
        order_id = validation.order_id(order_id)
        body = yield self._call("GET", f"/orders/{order_id}")
        return Order.from_wire(body)

    @operation
    def set_status(self, order_id: str, status: str, **fields: Any) -> Generator[Any, Any, StatusChange]:
        """Move an order to `status`; further body fields (e.g. shipped=True) are passed through."""
        order_id = validation.order_id(order_id)
        body = {"status": validation.order_status(status), **fields}
        if "payment_status" in fields:
            validation.choice("payment_status", fields["payment_status"], PAYMENT_STATUSES)
        answer = yield self._call("PATCH", f"/orders/{order_id}/status", json=body)
        change = StatusChange.from_wire(answer)
        # an answer without them (e.g. 204 No Content) still confirms the change that was asked for
        change.order_id = change.order_id or order_id
        change.status = change.status or body["status"]
        return change

    @operation
    def upsert(
        self,
        shop_id: str,
        external_id: str,
        items: Iterable[Mapping[str, Any]] | None = None,
        *,
        order_number: str | None = None,
        order_datetime: datetime | str | None = None,
        **fields: Any,
    ) -> Generator[Any, Any, WriteResult]:
        """Create or update the order keyed by (external_id, shop_id); safe to repeat.

        Items may use `quantity` or the wire's `qty`; they are sent with `qty`, as POST /orders expects.
        """
        body = compact(
            shop_id=validation.text("shop_id", shop_id),
            external_id=validation.text("external_id", external_id),
            order_number=order_number,
            order_datetime=_iso(order_datetime),
            items=None if items is None else _upsert_items(items),
            **fields,
        )
        answer = yield self._call("POST", "/orders", json=body)
        return WriteResult.from_wire(answer)

    @operation
    def update(self, order_id: str, **fields: Any) -> Generator[Any, Any, WriteResult]:
        """PUT the given fields onto an order (the reference does not show the body: fields pass through)."""
        order_id = validation.order_id(order_id)
        if not fields:
            raise InvalidArgumentError(
                "update() needs at least one field to change, e.g. payment_status='paid'."
            )
        answer = yield self._call("PUT", f"/orders/{order_id}", json=fields)
        return WriteResult.from_wire(answer)


def _iso(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidArgumentError(
                "order_datetime has no timezone: expected an aware datetime (e.g. UTC)."
            )
        return value.isoformat().replace("+00:00", "Z")
    return value


def _upsert_items(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    lines = []
    for number, item in enumerate(items, start=1):
        line = dict(item)
        if "quantity" in line:
            line["qty"] = line.pop("quantity")
        line["qty"] = validation.positive_int(f"item {number} qty", line.get("qty"))
        if line.get("p1_id") is not None:
            line["p1_id"] = validation.p1_id(line["p1_id"])
        lines.append(line)
    return lines
