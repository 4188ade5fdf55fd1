"""Bad days on purpose: latency, 5xx answers, 429 with Retry-After, dropped connections, scripted failures.

`FaultMiddleware` sits in front of every route. Latency is an `asyncio.sleep`, so concurrent requests overlap.
A dropped connection sends the status line and then closes the socket: the client sees a transport error.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from dataclasses import dataclass, fields

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toolkit import vocabulary as vocab

DROP = 0  # `status` of a scripted failure that drops the connection instead of answering


@dataclass
class Conditions:
    """The adjustable weather: every field can be changed at runtime with `Faults.configure`."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after: int = 1
    drop_rate: float = 0.0
    token_ttl: int = vocab.TOKEN_LIFETIME_SECONDS

    def validate(self) -> None:
        for name in ("error_rate", "rate_limit_rate", "drop_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a share between 0 and 1, got {getattr(self, name)!r}")
        if self.latency_ms < 0 or self.retry_after < 0:
            raise ValueError("latency_ms and retry_after must not be negative")
        if self.token_ttl < 1:
            raise ValueError(f"token_ttl must be at least 1 second, got {self.token_ttl!r}")


@dataclass
class Failure:
    status: int  # DROP for a dropped connection
    retry_after: int | None = None
    after_handler: bool = False  # the request is processed, then its answer is lost


@dataclass
class ScriptedFailure:
    remaining: int
    failure: Failure
    path_contains: str | None


class DroppedConnection(Exception):
    """Raised after the status line: uvicorn then closes the socket without a body."""


class _HideDroppedConnections(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


logging.getLogger("uvicorn.error").addFilter(_HideDroppedConnections())


class Faults:
    def __init__(self, conditions: Conditions, seed: int) -> None:
        conditions.validate()
        self.conditions = conditions
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._script: list[ScriptedFailure] = []

    def configure(self, **changes: float) -> None:
        known = {f.name for f in fields(Conditions)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown condition(s) {unknown}; known: {sorted(known)}")
        updated = Conditions(**{**self.conditions.__dict__, **changes})
        updated.validate()
        self.conditions = updated

    def fail_next(
        self,
        count: int,
        status: int = 503,
        retry_after: int | None = None,
        path_contains: str | None = None,
        after_handler: bool = False,
    ) -> None:
        if count < 1:
            raise ValueError(f"fail_next needs a count of at least 1, got {count}")
        if status != DROP and not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599) or 0 to drop, got {status}")
        if status == 429 and retry_after is None:
            retry_after = self.conditions.retry_after
        with self._lock:
            self._script.append(
                ScriptedFailure(count, Failure(status, retry_after, after_handler), path_contains)
            )

    def decide(self, path: str) -> Failure | None:
        """The failure this request gets, if any: scripted ones first, then the random rates."""
        with self._lock:
            for scripted in self._script:
                if scripted.path_contains is None or scripted.path_contains in path:
                    scripted.remaining -= 1
                    if scripted.remaining <= 0:
                        self._script.remove(scripted)
                    return scripted.failure
            conditions = self.conditions
            if self._rng.random() < conditions.drop_rate:
                return Failure(DROP)
            if self._rng.random() < conditions.rate_limit_rate:
                return Failure(429, conditions.retry_after)
            if self._rng.random() < conditions.error_rate:
                return Failure(self._rng.choice((500, 502, 503)))
        return None


def _failure_body(status: int, retry_after: int | None) -> dict[str, str]:
    if status == 429:
        return {
            "error": vocab.ERROR_RATE_LIMITED,
            "message": f"Too many requests; retry after {retry_after} s",
        }
    if status == 401:
        return {"error": vocab.ERROR_INVALID_TOKEN, "message": "Token expired"}
    if status >= 500:
        return {"error": vocab.ERROR_INTERNAL, "message": f"Upstream error {status}; please retry"}
    slug = {400: vocab.ERROR_VALIDATION, 422: vocab.ERROR_VALIDATION, 404: vocab.ERROR_NOT_FOUND}.get(status)
    return {"error": slug or "sandbox_fault", "message": f"Scripted failure with status {status}"}


async def _discard(message: Message) -> None:
    """Swallows the real answer of a request whose answer is to be lost."""


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        latency_ms = self.faults.conditions.latency_ms
        if latency_ms:
            await asyncio.sleep(latency_ms / 1000)
        failure = self.faults.decide(scope["path"])
        if failure is None:
            await self.app(scope, receive, send)
            return
        if failure.after_handler:
            await self.app(scope, receive, _discard)
        if failure.status == DROP:
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
            )
            raise DroppedConnection()
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
        response = JSONResponse(_failure_body(failure.status, failure.retry_after), failure.status, headers)
        await response(scope, receive, send)
