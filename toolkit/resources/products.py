"""Shop products (`/products`, page-numbered) and the org-inventory / shop-assignment writes."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pandas as pd

from toolkit import frames, validation
from toolkit.errors import InvalidArgumentError, OutcomeUnknownError, PharmaOneError
from toolkit.models import Product, WriteResult
from toolkit.pagination import numbered_pages
from toolkit.resources._base import Namespace, compact, operation
from toolkit.vocabulary import PRODUCTS_DEFAULT_LIMIT, PRODUCTS_MAX_LIMIT


class Products(Namespace):
    @operation
    def list(self, shop_id: str) -> Generator[Any, Any, pd.DataFrame]:
        """A shop's products: p1_id, name, slug, category, price, stock_quantity, available, shop_id."""
        shop_id = validation.text("shop_id", shop_id)

        def page(number: int, limit: int) -> Any:
            return self._call("GET", "/products", params={"shop_id": shop_id, "limit": limit, "page": number})

        rows = yield from numbered_pages(
            page,
            limit=PRODUCTS_MAX_LIMIT,
            concurrency=self._ctx.max_concurrency,
            progress=self._ctx.progress_bar(f"products of {shop_id}"),
            key="p1_id",
            documented_limit=PRODUCTS_DEFAULT_LIMIT,
        )
        frame = frames.to_frame(rows, frames.PRODUCTS)
        frame["shop_id"] = frame["shop_id"].fillna(shop_id)  # the listing is of this shop
        return frame

    @operation
    def get(self, p1_id: str | int, shop_id: str) -> Generator[Any, Any, Product]:
        p1_id = validation.p1_id(p1_id)
        params = {"shop_id": validation.text("shop_id", shop_id)}
        body = yield self._call("GET", f"/products/{p1_id}", params=params)
        return Product.from_wire(body)

    @operation
    def add_to_inventory(
        self, p1_id: str | int, initial_stock: int | None = None, price: float | None = None, **fields: Any
    ) -> Generator[Any, Any, WriteResult]:
        """Add a catalogue product to the org inventory (needed before attaching it to a shop)."""
        body = compact(
            p1_id=validation.p1_id(p1_id),
            initial_stock=None
            if initial_stock is None
            else validation.positive_int("initial_stock", initial_stock),
            price=None if price is None else validation.non_negative_number("price", price),
            **fields,
        )

        def unknown(cause: PharmaOneError) -> OutcomeUnknownError:
            return OutcomeUnknownError(
                f"Product {body['p1_id']} may or may not have been added to the inventory ({cause}). "
                "It was NOT sent again; check inventory.list() before repeating it."
            )

        answer = yield self._call_once("/products/add-to-inventory", body, unknown)
        return WriteResult.from_wire(answer)

    @operation
    def update(self, p1_id: str | int, **fields: Any) -> Generator[Any, Any, WriteResult]:
        """PUT product fields (name, slug, description, category, price, available...)."""
        p1_id = validation.p1_id(p1_id)
        if not fields:
            raise InvalidArgumentError(
                "update() needs at least one field, e.g. price=9.99 or available=False."
            )
        if fields.get("price") is not None:
            fields["price"] = validation.non_negative_number("price", fields["price"])
        answer = yield self._call("PUT", f"/products/{p1_id}", json=fields)
        return WriteResult.from_wire(answer)

    @operation
    def attach(self, shop_id: str, p1_id: str | int, **fields: Any) -> Generator[Any, Any, WriteResult]:
        """Offer an inventory product (stock > 0) in a shop."""
        return (yield from self._shop_write("/shops/attach-product", shop_id, p1_id, fields))

    @operation
    def detach(self, shop_id: str, p1_id: str | int, **fields: Any) -> Generator[Any, Any, WriteResult]:
        """Stop offering a product in a shop."""
        return (yield from self._shop_write("/shops/detach-product", shop_id, p1_id, fields))

    @operation
    def overrides(self, shop_id: str, p1_id: str | int, **fields: Any) -> Generator[Any, Any, WriteResult]:
        """Shop-specific overrides of a product (e.g. price=..., available=...)."""
        if not fields:
            raise InvalidArgumentError("overrides() needs at least one field to override, e.g. price=7.5.")
        return (yield from self._shop_write("/shops/product-overrides", shop_id, p1_id, fields))

    def _shop_write(
        self, path: str, shop_id: str, p1_id: str | int, fields: dict[str, Any]
    ) -> Generator[Any, Any, WriteResult]:
        body = {"shop_id": validation.text("shop_id", shop_id), "p1_id": validation.p1_id(p1_id), **fields}
        answer = yield self._call("POST", path, json=body)
        return WriteResult.from_wire(answer)
