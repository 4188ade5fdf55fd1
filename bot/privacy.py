"""The one check for patient data in anything the bot is about to share (or, in tests, has shared).

It looks for e-mail addresses and phone numbers anywhere in a Slack payload (nested blocks, JSON strings
inside form fields) and for the known details of the customers involved (name, e-mail, street, phone,
postal code). The bot runs it before every post to a channel; the tests run it on everything recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w.:])(?:(?:\+|00)\d[\d \-/()]{6,}\d|0\d{2,5}[ \-/]?\d{5,})(?![\w.:])")


class PatientDataLeak(RuntimeError):
    """Raised instead of posting a payload that would show patient data in a shared channel."""


def customer_details(order: Any) -> list[str]:
    """The patient-identifying values of an order model (or dict), to look for verbatim."""

    def field(obj: Any, name: str) -> Any:
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)

    address = field(order, "shipping_address") or {}
    values = [field(order, "customer_name"), field(order, "customer_email")]
    values += [field(address, name) for name in ("street", "phone", "postal_code")]
    return [str(v) for v in values if v not in (None, "") and len(str(v).strip()) >= 3]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in "[{":
            try:
                yield from _strings(json.loads(stripped))
                return
            except ValueError:
                pass
        yield value


def find_patient_data(payload: Any, known: Iterable[str] = ()) -> list[str]:
    """Everything in `payload` that looks like patient data (empty list when it is safe to share)."""
    known_patterns = [
        re.compile(r"(?<!\w)" + re.escape(value.strip()) + r"(?!\w)", re.IGNORECASE) for value in known
    ]
    found: list[str] = []
    for text in _strings(payload):
        found += EMAIL.findall(text)
        found += PHONE.findall(text)
        found += [m.group(0) for pattern in known_patterns for m in pattern.finditer(text)]
    return found


def ensure_shareable(payload: Any, known: Iterable[str] = ()) -> None:
    """Raise `PatientDataLeak` (naming only what kind of data, never the data) if `payload` shows any."""
    found = find_patient_data(payload, known)
    if found:
        raise PatientDataLeak(f"refused to post to a channel: {len(found)} patient detail(s) in the message")
