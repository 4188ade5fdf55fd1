"""Which Slack channel, if any, each PharmaOne event type goes to."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.webhooks.settings import WebhookSettings
from toolkit.webhooks import EVENT_MODELS


class Routing:
    """A default channel for every known event type, with per-event overrides (None: post nothing).

    Event types this project does not know are never posted: they are recorded and skipped.
    """

    def __init__(self, default: str | None = None, overrides: Mapping[str, str | None] | None = None) -> None:
        self._channels = MappingProxyType(
            {event: (overrides or {}).get(event, default) for event in EVENT_MODELS}
        )

    @classmethod
    def from_settings(cls, settings: WebhookSettings) -> Routing:
        return cls(settings.channel, settings.channels)

    def channel_for(self, event_type: str) -> str | None:
        return self._channels.get(event_type)

    @property
    def channels(self) -> Mapping[str, str | None]:
        """Event type -> channel (None where nothing is posted), for the start-up banner."""
        return self._channels
