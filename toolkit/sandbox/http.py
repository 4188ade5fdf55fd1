"""The one wrapper every route goes through: gateway/backend auth, JSON body, then the handler.

Handlers are plain functions `handler(call) -> dict | Reply | JsonText` that refuse with `ApiError`.
They run on the event loop itself: the database is one connection behind one lock, so handlers never ran
in parallel anyway, and handing each to a worker thread cost ~0.5 ms of CPU per request (GIL hand-offs),
a fifth of a 200-row page. Added latency is an `asyncio.sleep` before the handler, so slow requests
still overlap; the slowest handler (a report on 100,000 orders) holds the loop for tens of milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from toolkit.sandbox.errors import ApiError, KongError, invalid

if TYPE_CHECKING:
    from toolkit.sandbox.state import SandboxState

Auth = Literal["jwt", "key", "shop"]
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass
class Call:
    """What a handler gets: the sandbox state, the org (from URL or shop), path, query and JSON body."""

    state: SandboxState
    org_id: str
    params: dict[str, Any]
    query: QueryParams
    body: Any = None
    shop_id: str | None = None  # set by the shop proxy
    principal: Any = None  # the ApiKey ("key", "shop") or the JWT claims ("jwt")


@dataclass
class Reply:
    """A handler's answer with a status other than 200."""

    body: Any
    status: int = 200


@dataclass
class JsonText:
    """A handler's answer already rendered as JSON (by SQLite, for long lists), sent as it is with 200."""

    text: str


Handler = Callable[[Call], "dict[str, Any] | Reply | JsonText"]


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        raise invalid("body", "Request body is empty; send a JSON object", 400)
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise invalid("body", f"Request body is not valid JSON: {exc}", 400) from None
    if not isinstance(body, dict):
        raise invalid("body", f"Request body must be a JSON object, got {type(body).__name__}", 400)
    return body


def _authenticate(
    state: SandboxState, request: Request, auth: Auth, scope: str | None
) -> tuple[str, str | None, Any]:
    """(org_id, shop_id, principal) of an authorised request."""
    if auth == "shop":
        shop_id = request.path_params["shop_id"]
        if shop_id not in state.shop_orgs:
            raise KongError(404, "no Route matched with those values")
        record = state.keys.check_key(request, None)
        if record.org_id != state.shop_orgs[shop_id]:
            raise KongError()
        return record.org_id, shop_id, record
    org_id = request.path_params["org_id"]
    if auth == "key":
        return org_id, None, state.keys.check_key(request, org_id)
    return org_id, None, state.keys.check_token(request, org_id, scope)


def endpoint(
    handler: Handler, *, auth: Auth = "jwt", scope: str | None = None, reads_body: bool = True
) -> Callable:
    """A Starlette endpoint running `handler` after `auth` ("jwt" + `scope`, "key" or "shop") succeeded."""

    async def serve(request: Request) -> Response:
        state: SandboxState = request.app.state.sandbox
        try:
            org_id, shop_id, principal = _authenticate(state, request, auth, scope)
            body = await _json_body(request) if reads_body and request.method in BODY_METHODS else None
            call = Call(
                state, org_id, dict(request.path_params), request.query_params, body, shop_id, principal
            )
            result = handler(call)
        except (ApiError, KongError) as exc:
            return exc.response()
        if isinstance(result, JsonText):
            return Response(result.text.encode(), media_type=JSONResponse.media_type)
        reply = result if isinstance(result, Reply) else Reply(result)
        return JSONResponse(reply.body, status_code=reply.status)

    serve.__name__ = handler.__name__
    return serve
