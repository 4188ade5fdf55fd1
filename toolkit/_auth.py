"""The JWT cache: one exchange at a time, refreshed before it expires and after a 401.

The expiry comes from the token's `exp` claim when it has one, else from `expires_in`. A token is refreshed
when less than `REFRESH_MARGIN` of its lifetime is left. Many threads (or tasks) asking at once wait for one
exchange; a 401 invalidates only the token that was refused, so twenty refused calls still cause one exchange.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from toolkit.vocabulary import TOKEN_LIFETIME_SECONDS

#: Refresh when less than this share of the lifetime is left (at least 5 s, at most 60 s before expiry).
REFRESH_MARGIN = 0.1


@dataclass(frozen=True)
class CachedToken:
    value: str
    expires_at: float  # time.monotonic() deadline
    refresh_at: float

    def usable(self, now: float) -> bool:
        return now < self.refresh_at


def jwt_exp(token: str) -> float | None:
    """The `exp` claim (Unix seconds) of a JWT, read without verifying it; None if absent or unreadable."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        exp = claims.get("exp")
        return float(exp) if isinstance(exp, int | float) else None
    except (IndexError, ValueError, AttributeError):
        return None


def make_cached_token(access_token: str, expires_in: float | None) -> CachedToken:
    """Work out when a freshly received token expires and when to refresh it."""
    now_wall, now = time.time(), time.monotonic()
    lifetime = float(expires_in) if expires_in else float(TOKEN_LIFETIME_SECONDS)
    exp = jwt_exp(access_token)
    if exp is not None:
        lifetime = min(lifetime, exp - now_wall)
    lifetime = max(lifetime, 0.0)
    margin = min(max(lifetime * REFRESH_MARGIN, 5.0), 60.0, lifetime / 2)
    return CachedToken(access_token, now + lifetime, now + lifetime - margin)


class TokenCache:
    """Holds the current token; `get`/`aget` return it, exchanging the key when it is missing or stale."""

    def __init__(self) -> None:
        self._token: CachedToken | None = None
        self._lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None  # created on first use, inside the client's event loop

    def current(self) -> str | None:
        token = self._token
        return token.value if token and token.usable(time.monotonic()) else None

    def invalidate(self, refused: str) -> None:
        """Forget the token a 401 refused (unless another caller already replaced it)."""
        with self._lock:
            if self._token is not None and self._token.value == refused:
                self._token = None

    def get(self, exchange: Callable[[], CachedToken]) -> str:
        token = self.current()
        if token:
            return token
        with self._lock:
            token = self.current()
            if token:
                return token
            self._token = exchange()
            return self._token.value

    async def aget(self, exchange: Callable[[], Awaitable[CachedToken]]) -> str:
        token = self.current()
        if token:
            return token
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        async with self._async_lock:
            token = self.current()
            if token:
                return token
            fresh = await exchange()
            self._token = fresh
            return fresh.value
