"""The bot's HTTP mode: a Starlette app with `/slack/events` (signed requests only) and `/healthz`.

Other areas add their routes with `extra_routes` (the webhook relay mounts `/webhooks/pharmaone`). Bolt's
dispatch is synchronous, so it runs in a worker thread: one slow request never holds up the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

EVENTS_PATH = "/slack/events"


def create_http_app(bolt_app: App, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        bolt_response = await run_in_threadpool(bolt_app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"ok": True})

    routes: list[BaseRoute] = [
        Route(EVENTS_PATH, slack_events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        *extra_routes,
    ]
    return Starlette(routes=routes)
