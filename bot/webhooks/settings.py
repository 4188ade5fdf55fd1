"""The relay's settings: signing secrets, where each event type goes, and how big a delivery may be.

P1_WEBHOOK_SECRETS=whsec_new,whsec_old        # comma-separated: every one verifies (rotation)
P1_WEBHOOK_CHANNEL=C0123456789                # default channel for every known event type
P1_WEBHOOK_CHANNELS='{"low_stock": "C0STOCK", "order_updated": null}'   # per-event overrides; null = none
"""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from toolkit.webhooks import EVENT_MODELS

#: Ours (the reference gives no limit): envelopes are a few hundred bytes, so 64 KiB leaves ample room.
DEFAULT_MAX_BODY_BYTES = 64 * 1024


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class WebhookSettings(BaseSettings):
    """Secrets are `SecretStr`, so they never show in a repr or a log line."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    secrets: Annotated[tuple[SecretStr, ...], NoDecode] = Field(
        (), validation_alias=_env("P1_WEBHOOK_SECRETS")
    )
    channel: str | None = Field(None, validation_alias=_env("P1_WEBHOOK_CHANNEL"))
    channels: Annotated[dict[str, str | None], NoDecode] = Field(
        {}, validation_alias=_env("P1_WEBHOOK_CHANNELS")
    )
    max_body_bytes: int = Field(
        DEFAULT_MAX_BODY_BYTES, ge=1024, le=10 * 1024 * 1024, validation_alias=_env("P1_WEBHOOK_MAX_BYTES")
    )

    @field_validator("secrets", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("channel")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("channels", mode="before")
    @classmethod
    def _json_object(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value) if value.strip() else {}
        except json.JSONDecodeError:
            raise ValueError(
                'P1_WEBHOOK_CHANNELS is not JSON; expected an object like {"low_stock": "C0123ABC", '
                '"order_updated": null}'
            ) from None

    @field_validator("channels")
    @classmethod
    def _known_events(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        unknown = sorted(set(value) - set(EVENT_MODELS))
        if unknown:
            raise ValueError(
                f"unknown event type(s) {', '.join(unknown)} in P1_WEBHOOK_CHANNELS; "
                f"expected some of: {', '.join(EVENT_MODELS)}"
            )
        return {event: (channel or "").strip() or None for event, channel in value.items()}

    def secret_values(self) -> list[str]:
        return [secret.get_secret_value() for secret in self.secrets]

    def missing(self) -> list[str]:
        """The variables the relay cannot start without (empty when it can)."""
        missing = [] if self.secrets else ["P1_WEBHOOK_SECRETS"]
        if self.channel is None and not any(self.channels.values()):
            missing.append("P1_WEBHOOK_CHANNEL (or P1_WEBHOOK_CHANNELS)")
        return missing
