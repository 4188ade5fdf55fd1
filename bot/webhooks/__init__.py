"""The webhook relay: PharmaOne's signed deliveries, recorded once, posted to Slack per event type."""

from bot.webhooks.relay import WebhookRelay, create_app
from bot.webhooks.settings import WebhookSettings

__all__ = ["WebhookRelay", "WebhookSettings", "create_app"]
