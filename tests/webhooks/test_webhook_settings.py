"""P1_WEBHOOK_* settings and the routing they give."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.webhooks.routing import Routing
from bot.webhooks.settings import DEFAULT_MAX_BODY_BYTES, WebhookSettings


@pytest.fixture(autouse=True)
def no_ambient_settings(monkeypatch, tmp_path):
    """Only what the test sets: no inherited P1_WEBHOOK_* variables, no .env in the working directory."""
    for name in ("P1_WEBHOOK_SECRETS", "P1_WEBHOOK_CHANNEL", "P1_WEBHOOK_CHANNELS", "P1_WEBHOOK_MAX_BYTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("P1_WEBHOOK_SECRETS", " whsec_new , whsec_old,")
    monkeypatch.setenv("P1_WEBHOOK_CHANNEL", "C0DEFAULT")
    monkeypatch.setenv("P1_WEBHOOK_CHANNELS", '{"low_stock": "C0STOCK", "order_updated": null}')
    settings = WebhookSettings()
    assert settings.secret_values() == ["whsec_new", "whsec_old"]
    assert settings.channel == "C0DEFAULT"
    assert settings.channels == {"low_stock": "C0STOCK", "order_updated": None}
    assert settings.max_body_bytes == DEFAULT_MAX_BODY_BYTES
    assert settings.missing() == []


def test_secrets_never_show_in_the_repr(monkeypatch):
    monkeypatch.setenv("P1_WEBHOOK_SECRETS", "whsec_topsecret")
    assert "whsec_topsecret" not in repr(WebhookSettings())
    assert "whsec_topsecret" not in str(WebhookSettings().model_dump())


def test_missing_settings_are_named():
    assert WebhookSettings().missing() == [
        "P1_WEBHOOK_SECRETS",
        "P1_WEBHOOK_CHANNEL (or P1_WEBHOOK_CHANNELS)",
    ]
    assert WebhookSettings(secrets="s", channels={"low_stock": "C1"}).missing() == []


def test_an_unknown_event_in_the_channel_map_is_refused_with_the_valid_names(monkeypatch):
    monkeypatch.setenv("P1_WEBHOOK_CHANNELS", '{"low_stok": "C1"}')
    with pytest.raises(
        ValidationError, match=r"unknown event type\(s\) low_stok .*expected some of: order_created"
    ):
        WebhookSettings()


def test_a_channel_map_that_is_not_json_is_refused(monkeypatch):
    monkeypatch.setenv("P1_WEBHOOK_CHANNELS", "low_stock=C1")
    with pytest.raises(ValidationError, match="P1_WEBHOOK_CHANNELS is not JSON; expected an object like"):
        WebhookSettings()


def test_routing_uses_the_default_with_overrides_and_none_for_unknown_types():
    routing = Routing.from_settings(
        WebhookSettings(
            secrets="s", channel="C0DEFAULT", channels={"low_stock": "C0STOCK", "order_updated": ""}
        )
    )
    assert routing.channel_for("order_status_updated") == "C0DEFAULT"
    assert routing.channel_for("low_stock") == "C0STOCK"
    assert routing.channel_for("order_updated") is None
    assert routing.channel_for("inventory_recounted") is None


def test_without_a_default_only_mapped_events_are_posted():
    routing = Routing(None, {"out_of_stock": "C0STOCK"})
    assert {event: channel for event, channel in routing.channels.items() if channel} == {
        "out_of_stock": "C0STOCK"
    }
