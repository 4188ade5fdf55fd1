"""The sandbox's ASGI application: the routes behind the request recorder and the fault injector."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from toolkit.sandbox.errors import KongError
from toolkit.sandbox.faults import FaultMiddleware
from toolkit.sandbox.recorder import RecorderMiddleware, RequestLog
from toolkit.sandbox.routes import api_routes
from toolkit.sandbox.state import SandboxState


async def _gateway_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods are answered by the gateway, as Kong does, not by the backend."""
    if isinstance(exc, HTTPException) and exc.status_code == 405:
        return KongError(405, "Method not allowed").response()
    if isinstance(exc, HTTPException) and exc.status_code == 404:
        return KongError(404, "no Route matched with those values").response()
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return JSONResponse({"error": "http_error", "message": str(exc)}, status_code=status)


def build_app(state: SandboxState, request_log: RequestLog) -> Starlette:
    app = Starlette(
        routes=api_routes(),
        middleware=[
            Middleware(RecorderMiddleware, log=request_log),
            Middleware(FaultMiddleware, faults=state.faults),
        ],
        exception_handlers={HTTPException: _gateway_error},
    )
    app.state.sandbox = state
    return app
