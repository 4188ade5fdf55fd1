"""A scriptable PharmaOne stand-in for httpx.MockTransport that records every request it receives."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

#: The reference's example bodies (shared/api/examples), copied verbatim so the tests run from a clone.
EXAMPLES = Path(__file__).parent / "examples"

BASE_URL = "http://pharmaone.test"
SHOP_URL = "http://shop1.test"
ORG = "org1"
API_KEY = "sk-live-0123456789abcdef"
V2 = f"/api/v2/public/orgs/{ORG}"


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def make_jwt(exp_in: float | None = 3600, **claims: Any) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    payload = {"org_id": ORG, "scopes": ["orders.read"], **claims}
    if exp_in is not None:
        payload["exp"] = int(time.time() + exp_in)
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


Handler = Callable[[httpx.Request], httpx.Response]


class FakeAPI:
    """Routes by (method, path relative to the v2 org prefix or absolute); records each request."""

    def __init__(self, token_ttl: float = 3600) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.requests: list[httpx.Request] = []
        self.tokens: list[str] = []
        self._lock = threading.Lock()
        self.token_ttl = token_ttl
        self.token_delay = 0.0
        self.route("POST", "/auth/token", self._token)

    def route(self, method: str, path: str, handler: Handler | Any) -> None:
        """`handler` is a function of the request, or a JSON body answered with 200."""
        self.routes[(method, path)] = handler if callable(handler) else (lambda _req, body=handler: ok(body))

    def _token(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("apikey") != API_KEY:
            return httpx.Response(401, json=example("01_token.401_kong.json"))
        if self.token_delay:
            time.sleep(self.token_delay)
        token = make_jwt(self.token_ttl, n=len(self.tokens))
        with self._lock:
            self.tokens.append(token)
        return ok({"access_token": token, "expires_in": int(self.token_ttl), "token_type": "Bearer"})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        path = request.url.path
        relative = path[len(V2) :] if path.startswith(V2) else path
        handler = self.routes.get((request.method, relative))
        if handler is None:
            return httpx.Response(404, json={"error": "not_found", "message": f"no route {path}"})
        return handler(request)

    def sent(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        """Requests received other than token exchanges, optionally filtered."""
        return [
            r
            for r in self.requests
            if not r.url.path.endswith("/auth/token")
            and (method is None or r.method == method)
            and (path is None or r.url.path.endswith(path))
        ]

    def token_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/auth/token")]


def ok(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)
