"""Connection settings from the environment (P1_*) or a `.env` file, via pydantic-settings."""

from __future__ import annotations

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from toolkit.errors import ConfigurationError

ENV_PREFIX = "P1_"


class ClientSettings(BaseSettings):
    """P1_BASE_URL, P1_ORG_ID, P1_API_KEY are required; P1_SHOP_URL is needed only for external orders."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    base_url: str = Field(min_length=1)
    org_id: str = Field(min_length=1)
    api_key: SecretStr = Field(min_length=1)
    shop_url: str | None = None


def load_settings(**overrides: object) -> ClientSettings:
    """Read the settings, or raise ConfigurationError naming every missing or invalid variable."""
    try:
        return ClientSettings(**overrides)
    except ValidationError as exc:
        missing = tuple(
            f"{ENV_PREFIX}{str(err['loc'][0]).upper()}" for err in exc.errors() if err["type"] == "missing"
        )
        invalid = tuple(
            f"{ENV_PREFIX}{str(err['loc'][0]).upper()}" for err in exc.errors() if err["type"] != "missing"
        )
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing)}")
        if invalid:
            parts.append(f"invalid: {', '.join(invalid)}")
        raise ConfigurationError(
            "PharmaOne connection settings are incomplete ("
            + "; ".join(parts)
            + "). Set them in the environment or in a .env file.",
            missing=missing,
        ) from None
