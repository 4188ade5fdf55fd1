"""One tree of errors for everything the toolkit can raise.

`PharmaOneError` is the root. Transport failures are `APIConnectionError` / `APITimeoutError`; answers with
an error status are `APIStatusError` subclasses (one per status), carrying the fields of both documented
body shapes: Kong's `{message, request_id}` and the backend's `{error, message?}`. Messages are written for
a person and never contain a key, a token or patient data (see `toolkit._redact`).
"""

from __future__ import annotations

from typing import Any


class PharmaOneError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class ConfigurationError(PharmaOneError):
    """The client's settings are missing or invalid (e.g. P1_API_KEY not set)."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class InvalidArgumentError(PharmaOneError, ValueError):
    """An argument was refused before any request was sent; the message says what was expected."""


class APIConnectionError(PharmaOneError):
    """PharmaOne could not be reached, or the connection broke before an answer arrived."""


class APITimeoutError(APIConnectionError):
    """PharmaOne did not answer in time."""


class UnexpectedResponseError(PharmaOneError):
    """PharmaOne answered with success, but with a body this client cannot read."""


class OutcomeUnknownError(PharmaOneError):
    """A non-idempotent write may or may not have happened (timeout, dropped connection or 5xx after sending).

    It is never resent automatically; check first, then decide.
    """


class OrderRequestOutcomeUnknown(OutcomeUnknownError):
    """An order request was sent but its fate is unknown. `external_reference` identifies it in Manager."""

    def __init__(self, message: str, *, external_reference: str) -> None:
        super().__init__(message)
        self.external_reference = external_reference


class AdjustOutcomeUnknown(OutcomeUnknownError):
    """A stock adjustment was sent but its fate is unknown; check the product's log before repeating it."""

    def __init__(self, message: str, *, p1_id: str) -> None:
        super().__init__(message)
        self.p1_id = p1_id


class APIStatusError(PharmaOneError):
    """PharmaOne answered with an error status. Both body shapes map into the same fields."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: str | None = None,
        api_message: str | None = None,
        request_id: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error
        self.message = api_message
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, error={self.error!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PermissionDeniedError(APIStatusError):
    """403: `insufficient_scope` (the key lacks a scope) or `org_mismatch` (token for another org)."""

    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429


class InternalServerError(APIStatusError):
    status_code = 500


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The subclass for an HTTP status (5xx -> InternalServerError, other codes -> APIStatusError)."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AdjustOutcomeUnknown",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "NotFoundError",
    "OrderRequestOutcomeUnknown",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "PharmaOneError",
    "RateLimitError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "status_error_class",
]
