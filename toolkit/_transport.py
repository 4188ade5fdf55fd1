"""HTTP transport: authentication, retries with backoff and jitter, and error mapping, sync and async.

A `Call` describes one request; `_Policy` holds every decision (headers, what to retry, how long to wait,
which error to raise) so that `SyncTransport` and `AsyncTransport` differ only in how they wait for I/O.

Retry rules: a call marked `idempotent` (reads, PUT, status PATCH, order upsert, prescription ingest) is
retried on connection errors, timeouts, 429 and 5xx. A non-idempotent call (order requests, stock adjust)
is retried only when it provably never reached PharmaOne (connect error) or was refused with 429; after a
timeout, a dropped connection or a 5xx its fate is unknown and `call.unknown_outcome` is raised instead.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from toolkit import errors
from toolkit._auth import CachedToken, TokenCache, make_cached_token
from toolkit._redact import logger, redactor, sensitive_values
from toolkit.models import Token
from toolkit.vocabulary import MAX_CONCURRENT_REQUESTS

USER_AGENT = "pharmaone-ops-toolkit"
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 8.0
#: A Retry-After longer than this is not waited for: the RateLimitError is raised with `retry_after` set.
MAX_RETRY_AFTER_SECONDS = 60.0

#: Statuses whose Retry-After header is honoured.
_MAY_SAY_WHEN = frozenset({429, 502, 503, 504})

#: Failures that prove the request never left this machine.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Call:
    """One HTTP request as the resources describe it."""

    method: str
    url: str
    label: str  # for people: "GET /orders/ORD_..."; never contains query values or bodies
    params: dict[str, Any] | None = None
    json: Any = field(default=None, repr=False)  # may hold patient data: never in a repr
    auth: Literal["jwt", "apikey"] = "jwt"
    idempotent: bool = True
    #: For non-idempotent calls: builds the error raised when the outcome is unknown (gets the cause).
    unknown_outcome: Callable[[errors.PharmaOneError], errors.OutcomeUnknownError] | None = field(
        default=None, compare=False
    )


@dataclass(frozen=True)
class TransportConfig:
    org_id: str
    api_key: str
    token_url: str
    max_retries: int = 3
    timeout: float = 30.0


_DONE, _REFRESH, _RETRY = "done", "refresh", "retry"

TOKEN_PATH = "/auth/token"


def token_call(url: str) -> Call:
    """The key-for-JWT exchange (POST /auth/token with the `apikey` header); safe to retry."""
    return Call("POST", url, label=f"POST {TOKEN_PATH}", auth="apikey")


class _Policy:
    """Everything about a request/response that does not depend on sync or async I/O."""

    def __init__(self, config: TransportConfig) -> None:
        self.config = config
        redactor.add_secret(config.api_key)

    def cached_token(self, body: Any) -> CachedToken:
        """The cache entry for a token answer; a body without a token is an UnexpectedResponseError."""
        answer = Token.from_wire(body) if isinstance(body, dict) else None
        if answer is None or not answer.access_token:
            raise errors.UnexpectedResponseError("The answer to POST /auth/token has no access_token.")
        return make_cached_token(answer.access_token, answer.expires_in)

    def request(
        self, client: httpx.Client | httpx.AsyncClient, call: Call, token: str | None
    ) -> httpx.Request:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if call.auth == "jwt":
            headers["Authorization"] = f"Bearer {token}"
        else:
            headers["apikey"] = self.config.api_key
        params = {k: v for k, v in (call.params or {}).items() if v is not None}
        content = None
        if call.json is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(call.json, default=_jsonable, ensure_ascii=False).encode()
        return client.build_request(call.method, call.url, params=params, content=content, headers=headers)

    # --- responses ------------------------------------------------------------------------------------

    def judge(self, call: Call, response: httpx.Response, attempt: int, refreshed: bool) -> tuple[str, Any]:
        """(_DONE, body) | (_REFRESH, None) | (_RETRY, delay); raises the mapped error otherwise."""
        status = response.status_code
        logger.debug("%s -> %s (attempt %d)", call.label, status, attempt + 1)
        if status < 300:
            return _DONE, self._json(call, response)
        if status < 400:  # not followed: a redirect could carry the API key header to another host
            where = urlsplit(response.headers.get("location", ""))
            raise errors.UnexpectedResponseError(
                f"{call.label}: PharmaOne answered {status}, a redirect to {where.netloc}{where.path or ''} "
                "that is not followed; check the base URL (P1_BASE_URL / P1_SHOP_URL, https and path)."
            )
        if status == 401 and call.auth == "jwt" and not refreshed:
            logger.info("%s: access token refused (401); exchanging the API key once more", call.label)
            return _REFRESH, None
        error = self.status_error(call, response)
        retryable = status == 429 or (status >= 500 and call.idempotent)
        if retryable and attempt < self.config.max_retries:
            delay = self._delay(attempt, error.retry_after)
            if delay is not None:
                logger.warning("%s: PharmaOne answered %s; retrying in %.1f s", call.label, status, delay)
                return _RETRY, delay
        if status >= 500 and call.unknown_outcome is not None:
            raise call.unknown_outcome(error) from error
        raise error

    def after_failure(self, call: Call, exc: httpx.TransportError, attempt: int) -> float:
        """The delay before retrying after a transport failure; raises when it must not be retried."""
        unsent = isinstance(exc, _UNSENT)
        error = self.connection_error(call, exc)
        if (unsent or call.idempotent) and attempt < self.config.max_retries:
            delay = self._delay(attempt, None)
            logger.warning("%s: %s; retrying in %.1f s", call.label, type(exc).__name__, delay)
            return delay
        if not unsent and call.unknown_outcome is not None:
            raise call.unknown_outcome(error) from exc
        raise error from exc

    @staticmethod
    def _delay(attempt: int, retry_after: float | None) -> float | None:
        """Exponential backoff with jitter, or the server's Retry-After (None: too long to wait)."""
        if retry_after is not None:
            if retry_after > MAX_RETRY_AFTER_SECONDS:
                return None
            return retry_after + random.uniform(0, min(1.0, retry_after * 0.1))
        return min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt) * random.uniform(0.5, 1.0)

    def _json(self, call: Call, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            said = _readable(response.text)
            raise errors.UnexpectedResponseError(
                f"{call.label}: PharmaOne answered {response.status_code} with a body that is not JSON"
                + (f" ({redactor.text(said)})." if said else ".")
            ) from None

    # --- errors ---------------------------------------------------------------------------------------

    def status_error(self, call: Call, response: httpx.Response) -> errors.APIStatusError:
        """Map either error body shape (Kong's or the backend's) to the error class for the status."""
        status = response.status_code
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text[:2000] or None
        fields = body if isinstance(body, dict) else {}
        slug = _text(fields.get("error"))
        api_message = _text(fields.get("message")) or _detail(fields.get("detail"))
        if isinstance(body, str):  # not JSON: a proxy's HTML page or plain text
            api_message = _readable(body)
        request_id = _text(fields.get("request_id")) or _request_id_header(response.headers)
        patient = sensitive_values(call.json)  # an error may echo what was sent: a customer's name
        slug, api_message = (redactor.text(v, also=patient) if v else v for v in (slug, api_message))
        retry_after = _retry_after(response.headers.get("retry-after")) if status in _MAY_SAY_WHEN else None
        return errors.status_error_class(status)(
            self._status_message(call, status, slug, api_message, request_id, retry_after),
            status_code=status,
            error=slug,
            api_message=api_message,
            request_id=request_id,
            body=redactor.body(body),
            retry_after=retry_after,
        )

    def _status_message(
        self,
        call: Call,
        status: int,
        slug: str | None,
        api_message: str | None,
        request_id: str | None,
        retry_after: float | None,
    ) -> str:
        org = self.config.org_id
        said = ": ".join(part for part in (slug, api_message) if part) or "no details"
        if status == 401 and call.auth == "apikey":
            text = f"PharmaOne refused the API key for org {org}"
        elif status == 401:
            text = f"PharmaOne refused the access token for org {org} even after a fresh exchange ({said})"
        elif slug == "org_mismatch":
            text = f"{call.label}: the access token belongs to another org than {org} ({said})"
        elif slug == "insufficient_scope":
            text = f"{call.label}: the API key lacks a permission ({said})"
        elif status == 404:
            text = f"{call.label}: not found ({said})"
        elif status == 429:
            wait = f"; PharmaOne asks to wait {retry_after:g} s" if retry_after is not None else ""
            text = f"{call.label}: PharmaOne is limiting the request rate{wait}"
        elif status >= 500:
            text = f"{call.label}: PharmaOne had a server error {status} ({said})"
        else:
            text = f"{call.label}: PharmaOne refused the request with {status} ({said})"
        return f"{text} (request {request_id})" if request_id else text

    def connection_error(self, call: Call, exc: httpx.TransportError) -> errors.APIConnectionError:
        host = urlsplit(call.url).netloc
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, _UNSENT):
            return errors.APITimeoutError(
                f"{call.label}: PharmaOne at {host} did not answer within {self.config.timeout:g} s"
            )
        return errors.APIConnectionError(
            f"{call.label}: could not talk to PharmaOne at {host} ({type(exc).__name__})"
        )


def _jsonable(value: Any) -> Any:
    """Values analysts pass from DataFrames: numpy scalars, timestamps and dates."""
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    if hasattr(value, "isoformat"):  # datetime, date, pd.Timestamp
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be sent as JSON")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _request_id_header(headers: httpx.Headers) -> str | None:
    """The request id a gateway sets as a header (Kong 3: X-Kong-Request-Id) when the body has none."""
    return headers.get("x-request-id") or headers.get("x-kong-request-id")


def _detail(value: Any) -> str | None:
    """A FastAPI-style `detail`: a sentence, or a list of {loc, msg} problems."""
    if isinstance(value, list):
        problems = [item for item in value if isinstance(item, dict) and item.get("msg")]
        text = "; ".join(f"{'.'.join(map(str, p.get('loc') or []))}: {p['msg']}" for p in problems[:3])
        return text[:200] or None
    return _text(value)


def _readable(text: str) -> str | None:
    """One short line from a non-JSON error body: an HTML page's <title>, else its text without tags."""
    title = _HTML_TITLE.search(text)
    plain = title.group(1) if title else _HTML_TAG.sub(" ", text)
    return " ".join(plain.split())[:200] or None


_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")


def _retry_after(header: str | None) -> float | None:
    """Retry-After in seconds: a number or an HTTP date."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


#: Idle pooled connections are dropped after this long: before the 5 s after which common servers
#: (uvicorn, many proxies) close them, so a request is never written onto a connection the server is
#: closing at that moment, which would make an order request's fate unknown for nothing.
KEEPALIVE_EXPIRY_SECONDS = 4.0


def _limits(max_concurrency: int) -> httpx.Limits:
    return httpx.Limits(
        max_connections=max(10, max_concurrency * 2),
        max_keepalive_connections=max_concurrency,
        keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS,
    )


class SyncTransport:
    """Sends calls over one shared httpx.Client (thread-safe), exchanging and refreshing the JWT."""

    def __init__(
        self,
        config: TransportConfig,
        *,
        max_concurrency: int = MAX_CONCURRENT_REQUESTS,
        http: httpx.Client | None = None,
    ) -> None:
        self._policy = _Policy(config)
        self._tokens = TokenCache()
        self.http = http or httpx.Client(timeout=config.timeout, limits=_limits(max_concurrency))
        self.sleep: Callable[[float], None] = lambda delay: time.sleep(delay)  # looked up when called

    def send(self, call: Call) -> Any:
        attempt, refreshed = 0, False
        while True:
            token = self._tokens.get(self._exchange) if call.auth == "jwt" else None
            try:
                response = self.http.send(self._policy.request(self.http, call, token))
            except httpx.TransportError as exc:
                delay = self._policy.after_failure(call, exc, attempt)
            else:
                kind, value = self._policy.judge(call, response, attempt, refreshed)
                if kind == _DONE:
                    return value
                if kind == _REFRESH:
                    self._tokens.invalidate(token or "")
                    refreshed = True
                    continue
                delay = value
            attempt += 1
            self.sleep(delay)

    def _exchange(self) -> CachedToken:
        body = self.send(token_call(self._policy.config.token_url))
        return self._policy.cached_token(body)

    def close(self) -> None:
        self.http.close()


class AsyncTransport:
    """The asyncio twin of SyncTransport, over one httpx.AsyncClient."""

    def __init__(
        self,
        config: TransportConfig,
        *,
        max_concurrency: int = MAX_CONCURRENT_REQUESTS,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._policy = _Policy(config)
        self._tokens = TokenCache()
        self.http = http or httpx.AsyncClient(timeout=config.timeout, limits=_limits(max_concurrency))
        self.sleep: Callable[[float], Any] = lambda delay: asyncio.sleep(delay)  # looked up when called

    async def send(self, call: Call) -> Any:
        attempt, refreshed = 0, False
        while True:
            token = await self._tokens.aget(self._exchange) if call.auth == "jwt" else None
            try:
                response = await self.http.send(self._policy.request(self.http, call, token))
            except httpx.TransportError as exc:
                delay = self._policy.after_failure(call, exc, attempt)
            else:
                kind, value = self._policy.judge(call, response, attempt, refreshed)
                if kind == _DONE:
                    return value
                if kind == _REFRESH:
                    self._tokens.invalidate(token or "")
                    refreshed = True
                    continue
                delay = value
            attempt += 1
            await self.sleep(delay)

    async def _exchange(self) -> CachedToken:
        body = await self.send(token_call(self._policy.config.token_url))
        return self._policy.cached_token(body)

    async def close(self) -> None:
        await self.http.aclose()
