"""HS256 JSON Web Tokens with the standard library (the sandbox needs no JWT dependency)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class TokenError(Exception):
    """The token is malformed, badly signed or expired; the message says which."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(signing_input: bytes, secret: bytes) -> str:
    return _b64encode(hmac.new(secret, signing_input, hashlib.sha256).digest())


def encode(claims: dict[str, Any], secret: bytes) -> str:
    header = _b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    return f"{header}.{payload}.{_sign(signing_input, secret)}"


def decode(token: str, secret: bytes, now: float) -> dict[str, Any]:
    """The verified claims of `token`; raises TokenError unless it is a valid, unexpired HS256 token."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("Malformed token")
    header_part, payload_part, signature = parts
    try:
        header = json.loads(_b64decode(header_part))
        claims = json.loads(_b64decode(payload_part))
    except ValueError as exc:
        raise TokenError("Malformed token") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        raise TokenError("Unsupported token algorithm")
    expected = _sign(f"{header_part}.{payload_part}".encode("ascii"), secret)
    if not hmac.compare_digest(expected, signature):
        raise TokenError("Invalid token signature")
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp <= now:
        raise TokenError("Token expired")
    return claims
