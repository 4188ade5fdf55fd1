"""Keeps secrets and patient data out of logs, reprs and error messages.

Two kinds of things are hidden: secrets the client knows (its API key, the current JWT), which are replaced
wherever they appear, and patient data, recognised by field name in bodies (customer name, e-mail, phone,
street...) and by shape in free text (e-mail addresses, phone numbers, anything that looks like a JWT).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

MASK = "***"

#: Body keys whose values are patient data or secrets (compared case-insensitively).
SENSITIVE_KEYS = frozenset(
    {
        "customer_name",
        "customer_email",
        "email",
        "phone",
        "street",
        "address_street",
        "address_phone",
        "shipping_address",
        "access_token",
        "apikey",
        "api_key",
        "authorization",
        "prescription_pdf_base64",
    }
)

_PATTERNS = (
    re.compile(r"eyJ[\w-]+\.[\w-]+(?:\.[\w-]*)?"),  # a JWT (header.payload[.signature])
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # an e-mail address
    re.compile(r"(?<![\w.])(?:\+|00|0)\d[\d ()/-]{6,}\d(?!\w)"),  # a phone number (+49..., 0049..., 030...)
)


class Redactor:
    """Masks the registered secrets and every pattern above in text; thread-safe."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secret(self, secret: str | None) -> None:
        if secret and len(secret) >= 4:
            with self._lock:
                self._secrets.add(secret)

    def text(self, value: str, also: Iterable[str] = ()) -> str:
        """`value` with secrets, patterns and the strings in `also` (a request's patient fields) masked."""
        with self._lock:
            known = self._secrets | {item for item in also if len(item) >= 3}
        for secret in sorted(known, key=len, reverse=True):
            value = value.replace(secret, MASK)
        for pattern in _PATTERNS:
            value = pattern.sub(MASK, value)
        return value

    def body(self, value: Any) -> Any:
        """A copy of a JSON body with sensitive keys masked and free text redacted."""
        if isinstance(value, dict):
            return {
                key: MASK if str(key).lower() in SENSITIVE_KEYS else self.body(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.body(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def sensitive_values(body: Any) -> set[str]:
    """The text values under sensitive keys anywhere in a JSON body (the patient fields a request sent)."""
    if isinstance(body, dict):
        found: set[str] = set()
        for key, item in body.items():
            if str(key).lower() in SENSITIVE_KEYS:
                found |= _strings(item)
            else:
                found |= sensitive_values(item)
        return found
    if isinstance(body, list):
        return set().union(*(sensitive_values(item) for item in body))
    return set()


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_strings(item) for item in value))
    return set()


class RedactingFilter(logging.Filter):
    """A logging filter that redacts a record's formatted message with the given redactor."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._redactor.text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


#: The process-wide redactor: every client registers its API key here.
redactor = Redactor()

#: The toolkit's logger. Everything the toolkit logs goes through it, and through this filter.
logger = logging.getLogger("toolkit")
logger.addFilter(RedactingFilter(redactor))
