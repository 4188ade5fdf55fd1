"""Argument checks that run before anything is sent. Each failure says what was wrong and what is expected."""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from toolkit.errors import InvalidArgumentError
from toolkit.vocabulary import (
    HISTORY_MAX_DAYS,
    ORDER_ID_EXAMPLE,
    ORDER_ID_PATTERN,
    ORDER_STATUSES,
    PRESCRIPTION_ID_PATTERN,
    PRESCRIPTION_STATUSES,
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_P1_ID = re.compile(r"^\d+$")


def _fail(name: str, value: Any, expected: str) -> InvalidArgumentError:
    shown = value if isinstance(value, int | float | bool | None) else repr(str(value)[:60])
    return InvalidArgumentError(f"{name} {shown} is not valid: expected {expected}.")


def order_id(value: Any) -> str:
    if not isinstance(value, str) or not ORDER_ID_PATTERN.match(value):
        raise _fail("order id", value, f"an id like {ORDER_ID_EXAMPLE} (ORD_<YYYYMMDD>_<letters and digits>)")
    return value


def prescription_id(value: Any) -> str:
    if not isinstance(value, str) or not PRESCRIPTION_ID_PATTERN.match(value):
        raise _fail("prescription id", value, "an id like org1-pq-CQ3TLK (<org>-pq-<6 letters or digits>)")
    return value


def choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise _fail(name, value, "one of " + ", ".join(allowed))
    return value


def order_status(value: Any) -> str:
    return choice("order status", value, ORDER_STATUSES)


def prescription_status(value: Any) -> str:
    return choice("prescription status", value, PRESCRIPTION_STATUSES)


def text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(name, value, "a non-empty string")
    return value


def optional_text(name: str, value: Any) -> str | None:
    return None if value is None else text(name, value)


def _is_int(value: Any) -> bool:
    """Python and numpy integers (values taken from a DataFrame), but not booleans."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def p1_id(value: Any) -> str:
    """Product ids travel as strings of digits; an int is accepted and converted."""
    if _is_int(value):
        value = str(int(value))
    if not isinstance(value, str) or not _P1_ID.match(value):
        raise _fail("p1_id", value, "a product id made of digits, e.g. '57672' or 57672")
    return value


def email(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise InvalidArgumentError(
            f"{name} is not an e-mail address: expected something like max@example.com."
        )
    return value


def positive_int(name: str, value: Any) -> int:
    if not _is_int(value) or value <= 0:
        raise _fail(name, value, "a whole number greater than 0")
    return int(value)


def integer(name: str, value: Any) -> int:
    if not _is_int(value):
        raise _fail(name, value, "a whole number")
    return int(value)


def non_negative_number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise _fail(name, value, "a number of 0 or more")
    return float(value)


def days(value: Any) -> int:
    if not _is_int(value) or not 1 <= value <= HISTORY_MAX_DAYS:
        raise _fail("days", value, f"a whole number from 1 to {HISTORY_MAX_DAYS}")
    return int(value)


def max_rows(value: Any) -> int | None:
    return None if value is None else positive_int("max_rows", value)


def day(name: str, value: Any) -> str | None:
    """A date as the API wants it (YYYY-MM-DD); accepts date, datetime or such a string."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise _fail(name, value, "a date as YYYY-MM-DD (e.g. 2026-06-01) or a datetime.date")


def date_range(from_name: str, start: str | None, to_name: str, end: str | None) -> None:
    if start and end and start > end:
        raise InvalidArgumentError(
            f"{from_name} {start} is after {to_name} {end}: expected {from_name} <= {to_name}."
        )


def month(name: str, value: Any) -> str | None:
    """A month as YYYY-MM; accepts date/datetime or such a string."""
    if value is None:
        return None
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    match = _MONTH.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise _fail(name, value, "a month as YYYY-MM (e.g. 2026-06)")
    return value


def order_request_items(items: Any) -> list[dict[str, Any]]:
    """At least one line; each with quantity > 0 and one of name, p1_id or product_id."""
    if isinstance(items, Mapping) or not isinstance(items, Iterable) or isinstance(items, str):
        raise InvalidArgumentError(
            "items must be a list of lines like {'name': 'Cannabis flos', 'quantity': 5}."
        )
    lines = list(items)
    if not lines:
        raise InvalidArgumentError(
            "items is empty: expected at least one line with a quantity greater than 0."
        )
    for number, item in enumerate(lines, start=1):
        if not isinstance(item, Mapping):
            raise InvalidArgumentError(
                f"item {number} is not a mapping: expected {{'name': ..., 'quantity': 5}}."
            )
        line = lines[number - 1] = dict(item)
        if not any(line.get(key) not in (None, "") for key in ("name", "p1_id", "product_id")):
            raise InvalidArgumentError(
                f"item {number} names no product: expected one of name, p1_id or product_id."
            )
        line["quantity"] = positive_int(f"item {number} quantity", line.get("quantity"))
        if line.get("p1_id") is not None:
            line["p1_id"] = p1_id(line["p1_id"])
        if line.get("price") is not None:
            line["price"] = non_negative_number(f"item {number} price", line["price"])
    return lines


def customer(name: str | None, email_address: str | None) -> None:
    if not name and not email_address:
        raise InvalidArgumentError("give customer_name or customer_email (at least one is required).")
    if name is not None:
        text("customer_name", name)
    if email_address is not None:
        email("customer_email", email_address)
