"""PharmaOne Slack bot: `create_app(p1, *, slack_client=None, settings=None)` returns the Bolt app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_bolt import App


def create_app(p1: Any, *, slack_client: Any = None, settings: Any = None) -> App:
    """The Bolt app for `/p1` (see `bot.app.create_app`); imported lazily so `import bot` stays light."""
    from bot.app import create_app as build

    return build(p1, slack_client=slack_client, settings=settings)


__all__ = ["create_app"]
