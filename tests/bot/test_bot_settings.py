import pytest
from pydantic import ValidationError

from bot.settings import BotSettings


def test_lists_come_from_comma_separated_variables_and_secrets_stay_hidden(monkeypatch):
    monkeypatch.setenv("P1_OPERATORS", "U111, S222")
    monkeypatch.setenv("P1_READ_CHANNELS", "C1,C2")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("P1_LOW_STOCK_THRESHOLD", "25")
    settings = BotSettings(_env_file=None)
    assert settings.operators == ("U111", "S222")
    assert settings.read_channels == ("C1", "C2")
    assert settings.low_stock_threshold == 25
    assert "xoxb-very-secret" not in repr(settings)


def test_missing_variables_are_named_per_mode(no_settings_in_env):
    settings = BotSettings(_env_file=None)
    assert settings.missing_for("socket") == [
        "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY"
    ]  # fmt: skip
    assert settings.missing_for("sandbox-http") == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]


def test_an_unknown_time_zone_is_refused_with_an_example():
    with pytest.raises(ValidationError, match="Europe/Berlin"):
        BotSettings(_env_file=None, timezone="Mars/Olympus")
