"""An ad-hoc order request being put together: the state behind `OrderForm`, without any widget.

The draft knows its line items, customer, shipping and destination, checks them with the rules of
`toolkit.widgets.validation`, and turns itself into the arguments of the toolkit call that sends it. The body
shown as a preview is built by that same toolkit call (see `request_preview`), so it is exactly what is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from toolkit.models import OrderRequestResult
from toolkit.resources.order_requests import new_external_reference
from toolkit.vocabulary import ORDER_REQUEST_ADDRESS_FIELDS, PAYMENT_STATUSES, SHIPPING_OPTIONS
from toolkit.widgets import validation
from toolkit.widgets.request_preview import request_body

PICKUP = SHIPPING_OPTIONS[0]  # the vocabulary lists pickup ("Abholung") first
DELIVERY = SHIPPING_OPTIONS[1]

Target = Literal["v2", "v1", "shop"]
#: Where an order can be sent, with the words the form shows for each.
TARGETS: dict[Target, str] = {
    "v2": "Order request v2 (JWT)",
    "v1": "Order request v1 (API key)",
    "shop": "Telemedicine shop proxy",
}

#: What each address field is called in messages.
ADDRESS_LABELS: dict[str, str] = dict(
    zip(ORDER_REQUEST_ADDRESS_FIELDS, ("street", "postal code", "city", "phone number"), strict=True)
)


@dataclass(frozen=True)
class Product:
    """A product a shop offers, as far as an order needs it."""

    p1_id: str
    name: str
    price: float
    stock: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Product:
        return cls(str(row["p1_id"]), str(row["name"]), float(row["price"]), int(row["stock_quantity"]))


def offered_products(frame: pd.DataFrame) -> list[Product]:
    """The products of a `p1.products.list(shop_id)` frame an order may use (available, priced, in stock)."""
    usable = (
        frame["available"].fillna(False).astype(bool) & frame["price"].notna() & (frame["stock_quantity"] > 0)
    )
    return [Product.from_row(row) for row in frame[usable].sort_values("name").to_dict("records")]


@dataclass
class LineItem:
    product: Product
    quantity: int

    @property
    def line_total(self) -> float:
        return round(self.product.price * self.quantity, 2)

    def as_request_item(self) -> dict[str, Any]:
        return {
            "p1_id": self.product.p1_id,
            "name": self.product.name,
            "quantity": self.quantity,
            "price": self.product.price,
        }


@dataclass
class OrderDraft:
    shop_id: str | None = None
    items: dict[str, LineItem] = field(default_factory=dict)  # by p1_id, in the order they were added
    customer_name: str = ""
    customer_email: str = ""
    shipping_option: str = PICKUP
    address: dict[str, str] = field(default_factory=lambda: dict.fromkeys(ORDER_REQUEST_ADDRESS_FIELDS, ""))
    payment_status: str = PAYMENT_STATUSES[0]
    target: Target = "v2"
    external_reference: str = field(default_factory=new_external_reference)

    def add_item(self, product: Product, quantity: int | None) -> str | None:
        """Add `quantity` of `product` (merged with a line already there); the problem if refused."""
        current = self.items[product.p1_id].quantity if product.p1_id in self.items else 0
        problem = validation.quantity_problem(quantity, product.stock - current)
        if problem:
            return problem if not current else f"{problem} ({current} already in the order)"
        self.items[product.p1_id] = LineItem(product, current + int(quantity or 0))
        return None

    def remove_item(self, p1_id: str) -> None:
        self.items.pop(p1_id, None)

    @property
    def total(self) -> float:
        return round(sum(item.line_total for item in self.items.values()), 2)

    def problems(self, known_shops: Iterable[str]) -> dict[str, str]:
        """Every reason the draft cannot be sent yet, by field name (empty when it can)."""
        problems: dict[str, str] = {}
        shop = validation.shop_problem(self.shop_id, known_shops)
        if shop:
            problems["shop"] = shop
        if not self.items:
            problems["items"] = "Add at least one product to the order."
        for item in self.items.values():
            quantity = validation.quantity_problem(item.quantity, item.product.stock)
            if quantity:
                problems["items"] = f"{item.product.name}: {quantity}"
        problems.update(validation.customer_problems(self.customer_name, self.customer_email))
        if self.shipping_option == DELIVERY:
            problems.update(validation.address_problems(self.address, ADDRESS_LABELS))
        reference = validation.text_problem(
            self.external_reference, what="external reference", example=new_external_reference()
        )
        if reference:
            problems["external_reference"] = reference
        return problems

    def call_arguments(self) -> dict[str, Any]:
        """Keyword arguments of `order_requests.create` (or `.external` for the shop proxy)."""
        arguments: dict[str, Any] = {
            "items": [item.as_request_item() for item in self.items.values()],
            "customer_name": self.customer_name.strip() or None,
            "customer_email": self.customer_email.strip() or None,
            "external_reference": self.external_reference.strip(),
            "shipping_option": self.shipping_option,
            "payment_status": self.payment_status,
            "total_amount": self.total,
        }
        if self.shipping_option == DELIVERY:
            arguments.update({name: value.strip() for name, value in self.address.items()})
        if self.target != "shop":
            arguments.update(shop_id=self.shop_id, api=self.target)
        return arguments

    def _operation(self, p1: Any) -> Any:
        return p1.order_requests.external if self.target == "shop" else p1.order_requests.create

    def body(self, p1: Any) -> Any:
        """The JSON body the toolkit will send for this draft (built by the toolkit, not sent)."""
        return request_body(self._operation(p1), **self.call_arguments())

    def submit(self, p1: Any) -> OrderRequestResult:
        """Send the order request once (the toolkit never resends it on its own)."""
        return self._operation(p1)(**self.call_arguments())
