"""API keys per org, the key-for-JWT exchange, and the checks every route makes (Kong first, then backend).

Keys derived from the seed stay the same across restarts, so a `p1 sandbox --db file` keeps its printed key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from toolkit import vocabulary as vocab
from toolkit.sandbox import jwt
from toolkit.sandbox.errors import ApiError, KongError


@dataclass
class ApiKey:
    org_id: str
    scopes: tuple[str, ...]
    active: bool = True


def presented_key(request: Request) -> str | None:
    """The API key in the `apikey` or `X-API-Key` header or the `?apikey=` query parameter."""
    return (
        request.headers.get("apikey")
        or request.headers.get("x-api-key")
        or request.query_params.get("apikey")
    )


class KeyRing:
    """The org keys (what Kong knows) and the JWT signing secret (what the backend knows)."""

    def __init__(self, seed: int, org_ids: list[str]) -> None:
        self._lock = threading.Lock()
        root = hashlib.sha256(f"pharmaone-sandbox:{seed}".encode()).digest()
        self._secret = hmac.new(root, b"jwt", hashlib.sha256).digest()
        self._keys: dict[str, ApiKey] = {}
        self.default_keys = {
            org_id: "p1sk_" + hmac.new(root, org_id.encode(), hashlib.sha256).hexdigest()[:32]
            for org_id in org_ids
        }
        for org_id, key in self.default_keys.items():
            self._keys[key] = ApiKey(org_id, vocab.SCOPES)

    def create(self, org_id: str, scopes: tuple[str, ...] | list[str] | None = None) -> str:
        if org_id not in self.default_keys:
            raise ValueError(f"unknown org {org_id!r}; the sandbox has {sorted(self.default_keys)}")
        chosen = tuple(vocab.SCOPES if scopes is None else scopes)
        unknown = sorted(set(chosen) - set(vocab.SCOPES))
        if unknown:
            raise ValueError(f"unknown scopes {unknown}; choose from {list(vocab.SCOPES)}")
        key = "p1sk_" + secrets.token_hex(16)
        with self._lock:
            self._keys[key] = ApiKey(org_id, chosen)
        return key

    def revoke(self, key: str) -> None:
        """Kong still knows a revoked key; the backend refuses it with a 401 in its own shape."""
        with self._lock:
            self._keys[key].active = False

    def check_key(self, request: Request, org_id: str | None) -> ApiKey:
        """The key of this request, or Kong's 401, the backend's 401, or org_mismatch if `org_id` differs."""
        key = presented_key(request)
        with self._lock:
            record = self._keys.get(key) if key else None
        if record is None:
            raise KongError()
        if not record.active:
            raise ApiError(401, vocab.ERROR_INVALID_API_KEY)
        if org_id is not None and record.org_id != org_id:
            raise ApiError(vocab.ORG_MISMATCH_STATUS, "org_mismatch", vocab.KEY_ORG_MISMATCH_MESSAGE)
        return record

    def issue_token(self, record: ApiKey, ttl: int) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "org_id": record.org_id,
            "scopes": list(record.scopes),
            "iss": vocab.JWT_ISSUER,
            "sub": vocab.JWT_SUBJECT,
            "iat": now,
            "exp": now + ttl,
        }
        return {"access_token": jwt.encode(claims, self._secret), "expires_in": ttl, "token_type": "Bearer"}

    def check_token(self, request: Request, org_id: str, scope: str | None) -> dict[str, Any]:
        """The verified claims, or 401 invalid_token / 403 org_mismatch / 403 insufficient_scope."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401, vocab.ERROR_INVALID_TOKEN, "Missing bearer token: send Authorization: Bearer <JWT>"
            )
        try:
            claims = jwt.decode(token.strip(), self._secret, time.time())
        except jwt.TokenError as exc:
            raise ApiError(401, vocab.ERROR_INVALID_TOKEN, str(exc)) from exc
        if claims.get("org_id") != org_id:
            raise ApiError(vocab.ORG_MISMATCH_STATUS, "org_mismatch", vocab.TOKEN_ORG_MISMATCH_MESSAGE)
        if scope is not None and scope not in claims.get("scopes", ()):
            raise ApiError(403, "insufficient_scope", f"Missing scope: {scope}")
        return claims
