"""Validation rules the forms apply as you type, as plain functions (testable without widgets).

Each rule returns `None` when the value is fine, else one sentence that says what is wrong and what
would be right. The forms show that sentence beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Pragmatic e-mail shape: something@domain.tld, no spaces, one @. Deliverability is not checked.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*\.[A-Za-z]{2,}$")


def email_problem(email: str, *, required: bool = True) -> str | None:
    """Whether `email` looks like an e-mail address (an empty value is fine unless `required`)."""
    email = email.strip()
    if not email:
        return "Enter the customer's e-mail, e.g. max@example.com." if required else None
    if not EMAIL_PATTERN.match(email):
        return f"'{email}' is not an e-mail address; expected something like max@example.com."
    return None


def customer_problems(name: str, email: str) -> dict[str, str]:
    """At least one of name and e-mail is required; an e-mail, when given, must look like one."""
    if not name.strip() and not email.strip():
        return {"customer": "Enter the customer's name or e-mail (at least one of the two)."}
    problem = email_problem(email, required=False)
    return {"customer_email": problem} if problem else {}


def quantity_problem(quantity: int | None, stock: int | None) -> str | None:
    """A line item's quantity must be a whole number from 1 to the product's stock."""
    if quantity is None or quantity < 1:
        return "Enter a quantity of at least 1."
    if stock is not None and quantity > stock:
        return f"Only {stock} in stock: choose a quantity from 1 to {stock}."
    return None


def shop_problem(shop_id: str | None, known_shops: Iterable[str]) -> str | None:
    """A shop must be chosen, and it must be one of the organisation's shops."""
    known = list(known_shops)
    if not shop_id:
        return "Choose a shop."
    if shop_id not in known:
        return f"Unknown shop '{shop_id}'; expected one of: {', '.join(known)}."
    return None


def address_problems(address: Mapping[str, str], labels: Mapping[str, str]) -> dict[str, str]:
    """Every address field is required for delivery; `labels` names each field for the message."""
    return {
        field: f"Enter the {labels[field]} for the delivery (or choose pickup)."
        for field in labels
        if not address.get(field, "").strip()
    }


def text_problem(value: str, *, what: str, example: str) -> str | None:
    """A required free-text value (e.g. the external reference) must not be blank."""
    if not value.strip():
        return f"Enter the {what}, e.g. {example}."
    return None
