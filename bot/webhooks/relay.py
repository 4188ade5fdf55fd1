"""The relay wired together: store table, routing, receiver and poster; as routes or a standalone app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from slack_sdk import WebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.store import Store
from bot.webhooks.deliveries import DeliveryLog
from bot.webhooks.poster import SlackPoster
from bot.webhooks.receiver import WEBHOOK_PATH, WebhookReceiver
from bot.webhooks.routing import Routing
from bot.webhooks.settings import WebhookSettings


class WebhookRelay:
    """PharmaOne deliveries in, Slack messages out: `start()` the poster, serve `routes`, then `close()`."""

    def __init__(
        self, settings: WebhookSettings, store: Store, slack_client: WebClient, **poster_options: Any
    ) -> None:
        self.settings = settings
        self.routing = Routing.from_settings(settings)
        self.deliveries = DeliveryLog(store)
        self.poster = SlackPoster(self.deliveries, slack_client, **poster_options)
        self.receiver = WebhookReceiver(
            secrets=settings.secret_values(),
            deliveries=self.deliveries,
            routing=self.routing,
            max_body_bytes=settings.max_body_bytes,
            on_recorded=self.poster.wake,
        )

    @property
    def routes(self) -> list[Route]:
        """`POST /webhooks/pharmaone`, to add to any Starlette app (the bot's HTTP mode mounts it)."""
        return [Route(WEBHOOK_PATH, self.receiver.handle, methods=["POST"])]

    def start(self) -> None:
        self.poster.start()

    def close(self) -> None:
        self.poster.close()


async def _healthz(_: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def create_app(relay: WebhookRelay) -> Starlette:
    """The standalone receiver (`p1 webhooks`): the relay's route and `/healthz`, posting while served."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        relay.start()
        try:
            yield
        finally:
            relay.close()

    return Starlette(routes=[*relay.routes, Route("/healthz", _healthz)], lifespan=lifespan)
