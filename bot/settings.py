"""The bot's settings, read from the environment (and `.env`) with pydantic-settings.

Every variable is optional at load time so that tests and the demo can build settings in code; each run mode
calls `missing_for(mode)` before anything connects and refuses to start with the missing names listed.
"""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from toolkit.vocabulary import LOW_STOCK_THRESHOLD

RunMode = Literal["socket", "http", "sandbox-socket", "sandbox-http"]

#: The toolkit's connection variables, needed whenever the bot talks to a real PharmaOne.
PHARMAONE_VARIABLES = ("P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY")

CommaList = Annotated[tuple[str, ...], NoDecode]


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class BotSettings(BaseSettings):
    """Everything the bot reads from its environment. Secrets are `SecretStr` so they never show in a repr."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    #: Base URL of Slack's Web API; the demo and the tests point it at the local stand-in.
    slack_api_url: str = Field("https://slack.com/api/", validation_alias=_env("SLACK_API_URL"))

    #: Slack user ids (U…/W…) and user-group ids (S…) that may change statuses and reveal customer data.
    operators: CommaList = Field((), validation_alias=_env("P1_OPERATORS"))
    #: Channels where reading is allowed; empty means every channel of the workspace.
    read_channels: CommaList = Field((), validation_alias=_env("P1_READ_CHANNELS"))
    timezone: str = Field("Europe/Berlin", validation_alias=_env("P1_TIMEZONE"))
    low_stock_threshold: int = Field(
        LOW_STOCK_THRESHOLD, ge=0, validation_alias=_env("P1_LOW_STOCK_THRESHOLD")
    )
    #: SQLite file of the bot's store (audit log and the other areas' tables); ":memory:" for tests.
    bot_db: str = Field("p1-bot.sqlite3", validation_alias=_env("P1_BOT_DB"))
    #: Seconds the bot waits for PharmaOne before it tells the user so.
    pharmaone_timeout: float = Field(10.0, gt=0, validation_alias=_env("P1_BOT_TIMEOUT"))
    #: Threads of the bot's own pool for the work done after the ack.
    workers: int = Field(16, ge=1, le=256, validation_alias=_env("P1_BOT_WORKERS"))

    #: The toolkit's connection variables (read here only to name the missing ones at start).
    p1_base_url: str | None = Field(None, validation_alias=_env("P1_BASE_URL"))
    p1_org_id: str | None = Field(None, validation_alias=_env("P1_ORG_ID"))
    p1_api_key: SecretStr | None = Field(None, validation_alias=_env("P1_API_KEY"))

    report_channel: str | None = Field(None, validation_alias=_env("P1_REPORT_CHANNEL"))
    report_time: str = Field("07:30", validation_alias=_env("P1_REPORT_TIME"))
    report_tz: str | None = Field(None, validation_alias=_env("P1_REPORT_TZ"))

    @field_validator("operators", "read_channels", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.replace(" ", ",").split(",") if part.strip())
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}; expected an IANA name like Europe/Berlin"
            ) from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def missing_for(self, mode: RunMode) -> list[str]:
        """The environment variables `mode` needs that are not set (empty when the bot can start)."""
        missing = []
        if self.slack_bot_token is None:
            missing.append("SLACK_BOT_TOKEN")
        if mode.endswith("socket") and self.slack_app_token is None:
            missing.append("SLACK_APP_TOKEN")
        if mode.endswith("http") and self.slack_signing_secret is None:
            missing.append("SLACK_SIGNING_SECRET")
        if not mode.startswith("sandbox"):
            values = (self.p1_base_url, self.p1_org_id, self.p1_api_key)
            missing.extend(name for name, value in zip(PHARMAONE_VARIABLES, values, strict=True) if not value)
        return missing


def secret_value(secret: SecretStr | None) -> str | None:
    return None if secret is None else secret.get_secret_value()
