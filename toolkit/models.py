"""Single objects as pydantic models: wire names, unknown fields kept, patient data hidden from reprs.

`repr()`, `str()`, rich and the notebook display (`_repr_html_`) mask patient fields and secrets; the
attributes themselves hold the real values for whoever asks for them explicitly. `to_frame()` gives a
one-row DataFrame; nested parts (order items, shipping address, report sections) have their own frames.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Annotated, Any, ClassVar, Self

import pandas as pd
from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
)

from toolkit import frames
from toolkit._redact import MASK, SENSITIVE_KEYS
from toolkit.errors import UnexpectedResponseError


def _utc_timestamp(value: Any) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


#: A UTC timestamp that keeps nanoseconds (pd.Timestamp is a datetime subclass).
UtcTimestamp = Annotated[
    datetime | None,
    BeforeValidator(_utc_timestamp),
    PlainSerializer(lambda t: None if t is None else t.isoformat(), when_used="json"),
]


def _digits_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


#: `p1_id` is an int on some endpoints and a string on others; models always hold a string.
P1Id = Annotated[str | None, BeforeValidator(_digits_as_text)]


class P1Model(BaseModel):
    """Base of every model: wire names, extra fields allowed, patient fields masked when displayed."""

    model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True)

    #: Field names masked in repr/str/rich/HTML, on top of `toolkit._redact.SENSITIVE_KEYS`.
    hidden: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_wire(cls, body: Any) -> Self:
        """Parse an answer; a body that does not fit raises UnexpectedResponseError (a PharmaOneError)."""
        if isinstance(body, dict) and set(body) == {"data"} and isinstance(body["data"], dict):
            body = body["data"]  # one object wrapped like a list answer
        try:
            return cls.model_validate(body if body is not None else {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:3]
            )
            raise UnexpectedResponseError(
                f"PharmaOne answered with a {cls.__name__} this client cannot read ({problems})."
            ) from None

    def _is_hidden(self, name: str) -> bool:
        return name in self.hidden or name.lower() in SENSITIVE_KEYS

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, (MASK if name and self._is_hidden(name) and value is not None else value)

    def to_frame(self) -> pd.DataFrame:
        """This object as a one-row DataFrame (wire names, the same dtype rules as list frames)."""
        return frames.to_frame([self.model_dump()], frames.UNDECLARED)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(name)}</th><td>{self._html_value(name, value)}</td></tr>"
            for name, value in self.__iter__()
        )
        return f"<table><caption>{type(self).__name__}</caption>{rows}</table>"

    def _html_value(self, name: str, value: Any) -> str:
        if value is not None and self._is_hidden(name):
            return MASK
        if isinstance(value, P1Model):
            return value._repr_html_()
        if isinstance(value, list) and value and all(isinstance(v, P1Model) for v in value):
            return pd.DataFrame([item.model_dump() for item in value]).to_html(index=False, max_rows=20)
        return html.escape(str(value))


class Token(P1Model):
    access_token: str | None = None
    expires_in: int | float | None = None
    token_type: str | None = None


class Shop(P1Model):
    shop_id: str | None = None
    name: str | None = None
    is_active: bool | None = None


class OrderItem(P1Model):
    p1_id: P1Id = None
    name: str | None = None
    quantity: int | None = None
    price: float | None = None


class ShippingAddress(P1Model):
    hidden: ClassVar[frozenset[str]] = frozenset({"street", "phone"})

    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    phone: str | None = None


class Order(P1Model):
    """An order's detail (`GET /orders/{id}`)."""

    hidden: ClassVar[frozenset[str]] = frozenset({"customer_name", "customer_email", "shipping_address"})

    id: str | None = None
    external_id: str | None = None
    status: str | None = None
    shop_id: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    total_amount: float | None = None
    payment_status: str | None = None
    payment_reference: str | None = None
    shipped: bool | None = None
    picked_up: bool | None = None
    cash_on_pickup: bool | None = None
    shipping_address: ShippingAddress | None = None
    items: Annotated[list[OrderItem], BeforeValidator(lambda value: [] if value is None else value)] = []
    created_at: UtcTimestamp = None
    updated_at: UtcTimestamp = None

    def items_frame(self) -> pd.DataFrame:
        """The line items with a `line_total` (quantity × price) column."""
        return frames.to_frame([item.model_dump() for item in self.items], frames.ORDER_ITEMS)

    def shipping_address_frame(self) -> pd.DataFrame:
        rows = [self.shipping_address.model_dump()] if self.shipping_address else []
        return frames.to_frame(rows, frames.SHIPPING_ADDRESS)

    def to_frame(self) -> pd.DataFrame:
        """One row with the summary columns of `orders.list()` (items and address have their own frames)."""
        row = self.model_dump(exclude={"items", "shipping_address"})
        return frames.to_frame([row], frames.ORDERS)


class StatusChange(P1Model):
    """The answer to `PATCH /orders/{id}/status`; `updated_at` keeps all 9 fractional digits."""

    order_id: str | None = None
    status: str | None = None
    updated_at: UtcTimestamp = None


class WriteResult(P1Model):
    """An answer whose shape the reference does not show (order upsert/update, product writes)."""


class OrderRequestResult(P1Model):
    id: str | None = None
    status: str | None = None
    message: str | None = None
    external_reference: str | None = None


class Prescription(P1Model):
    hidden: ClassVar[frozenset[str]] = frozenset({"customer_email"})

    id: str | None = None
    status: str | None = None
    shop_id: str | None = None
    order_id: str | None = None
    customer_email: str | None = None
    created_at: UtcTimestamp = None

    def to_frame(self) -> pd.DataFrame:
        return frames.to_frame([self.model_dump()], frames.PRESCRIPTIONS)


class IngestResult(P1Model):
    id: str | None = None
    upsert: str | None = None


class InventoryAdjustResult(P1Model):
    status: str | None = None
    id: str | None = None


class Product(P1Model):
    p1_id: P1Id = None
    name: str | None = None
    slug: str | None = None
    category: str | None = None
    price: float | None = None
    #: `stock_quantity` on product routes, `stockquantity` on inventory rows: either is read.
    stock_quantity: int | None = Field(
        default=None, validation_alias=AliasChoices("stock_quantity", "stockquantity")
    )
    available: bool | None = None
    shop_id: str | None = None

    def to_frame(self) -> pd.DataFrame:
        return frames.to_frame([self.model_dump()], frames.PRODUCTS)


class Report(P1Model):
    """A report (`data` as PharmaOne sent it); `sections()` turns each part into a frame."""

    name: str = "report"
    data: Any = None

    def sections(self) -> dict[str, pd.DataFrame]:
        """One frame per part: a list becomes rows, a mapping one row; top-level numbers form `summary`."""
        if isinstance(self.data, list):
            return {"data": _rows_frame(self.data)}
        if self.data is None:
            return {}
        if not isinstance(self.data, dict):
            return {"summary": _rows_frame([self.data])}
        result: dict[str, pd.DataFrame] = {}
        scalars = {k: v for k, v in self.data.items() if not isinstance(v, dict | list)}
        if scalars:
            result["summary"] = _rows_frame([scalars])
        for key, value in self.data.items():
            if isinstance(value, list):
                result[key] = _rows_frame(value)
            elif isinstance(value, dict):
                result[key] = _rows_frame([value])
        return result

    def frame(self, section: str | None = None) -> pd.DataFrame:
        """One section as a frame (the only one, or `data` for list reports, when no name is given)."""
        parts = self.sections()
        if section is None and len(parts) == 1:
            return next(iter(parts.values()))
        if section not in parts:
            raise KeyError(
                f"report {self.name} has no section {section!r}; it has: {', '.join(parts) or 'none'}"
            )
        return parts[section]

    def to_frame(self) -> pd.DataFrame:
        """Every section in one frame: the only one as is, several stacked with a (section, row) index."""
        parts = self.sections()
        if len(parts) == 1:
            return next(iter(parts.values()))
        if not parts:
            return pd.DataFrame()
        return pd.concat(parts, names=["section", "row"])

    def __repr_args__(self) -> Any:
        """Only the name and the section names: reports may list top customers (patient data)."""
        yield "name", self.name
        yield "sections", list(self.sections())

    def _repr_html_(self) -> str:
        parts = self.sections()
        body = "".join(
            f"<h4>{html.escape(name)}</h4>{frame.to_html(max_rows=20)}" for name, frame in parts.items()
        )
        return f"<div><b>{html.escape(self.name)}</b>{body}</div>"


def _rows_frame(rows: list[Any]) -> pd.DataFrame:
    records = [row if isinstance(row, dict) else {"value": row} for row in rows]
    return frames.to_frame(records, frames.UNDECLARED)
