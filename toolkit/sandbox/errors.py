"""PharmaOne's two error shapes: Kong's `{message, request_id}` and the backend's `{error, message}`."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import JSONResponse

from toolkit import vocabulary as vocab


class ApiError(Exception):
    """A refusal in the backend's shape. `extra` adds keys (e.g. `field`); `headers` adds response headers."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message or error)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.error}
        if self.message is not None:
            body["message"] = self.message
        body.update(self.extra)
        return body

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


class KongError(Exception):
    """A refusal by the gateway, before the backend runs: `{message, request_id}`."""

    def __init__(self, status: int = 401, message: str = "Unauthorized") -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> JSONResponse:
        request_id = secrets.token_hex(16)
        return JSONResponse(
            {"message": self.message, "request_id": request_id},
            status_code=self.status,
            headers={"X-Kong-Request-Id": request_id},
        )


def invalid(field: str, message: str, status: int = 422) -> ApiError:
    """A validation refusal naming the field (400 malformed, 422 well-formed but refused)."""
    return ApiError(status, vocab.ERROR_VALIDATION, message, field=field)


def not_found(message: str) -> ApiError:
    return ApiError(404, vocab.ERROR_NOT_FOUND, message)


def conflict(error: str, message: str) -> ApiError:
    return ApiError(409, error, message)
