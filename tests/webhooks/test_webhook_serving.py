"""Running the relay: mounted on the bot's HTTP app, and `p1 webhooks` (settings check, --sandbox tour)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner
from webhook_helpers import SECRET, event_body, serve, signed_headers, wait_until

from bot.app import create_app as create_bot_app
from bot.app import runtime_of
from bot.cli import app as p1_cli
from bot.http import create_http_app
from bot.settings import BotSettings
from bot.webhooks.serve import WebhookSetupError, bot_webhook_routes

WEBHOOK_VARIABLES = ("P1_WEBHOOK_SECRETS", "P1_WEBHOOK_CHANNEL", "P1_WEBHOOK_CHANNELS", "SLACK_BOT_TOKEN")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in WEBHOOK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    return monkeypatch


@pytest.fixture
def bot_app(p1, slack):
    settings = BotSettings(
        _env_file=None,
        slack_bot_token="xoxb-test",
        slack_signing_secret="signing-secret",
        slack_api_url=slack.api_url,
        bot_db=":memory:",
    )
    app = create_bot_app(p1, settings=settings)
    yield app
    runtime_of(app).shutdown()


def test_the_bot_serves_no_webhook_route_unless_secrets_are_set(clean_env, bot_app):
    runtime = runtime_of(bot_app)
    with bot_webhook_routes(runtime.store, runtime.slack, Console(quiet=True)) as routes:
        assert routes == []


def test_secrets_without_a_channel_are_refused_by_name(clean_env, bot_app):
    clean_env.setenv("P1_WEBHOOK_SECRETS", SECRET)
    runtime = runtime_of(bot_app)
    with (
        pytest.raises(WebhookSetupError, match=r"Set P1_WEBHOOK_CHANNEL \(or P1_WEBHOOK_CHANNELS\)"),
        bot_webhook_routes(runtime.store, runtime.slack, Console(quiet=True)),
    ):
        pass


def test_the_bots_http_app_relays_webhooks_with_its_store_and_slack_client(clean_env, bot_app, slack):
    clean_env.setenv("P1_WEBHOOK_SECRETS", SECRET)
    clean_env.setenv("P1_WEBHOOK_CHANNEL", "C0BOTHTTP")
    runtime = runtime_of(bot_app)
    raw = event_body("order_marked_paid", {"order_id": "ORD_20260614_8v039dhnrv"})
    with (
        bot_webhook_routes(runtime.store, runtime.slack, Console(quiet=True)) as routes,
        serve(create_http_app(bot_app, routes)) as base_url,
    ):
        assert httpx.get(base_url + "/healthz").status_code == 200
        answer = httpx.post(base_url + "/webhooks/pharmaone", content=raw, headers=signed_headers(raw))
        posted = [{"state": "posted"}]
        wait_until(lambda: runtime.store.query("SELECT state FROM webhook_relay") == posted, what="the post")
    assert answer.json()["status"] == "accepted"
    assert slack.posts()[0]["channel"] == "C0BOTHTTP"
    assert len(slack.posts()) == 1


def test_p1_webhooks_names_the_missing_settings(clean_env):
    result = CliRunner().invoke(p1_cli, ["webhooks"])
    assert result.exit_code == 2
    for name in ("P1_WEBHOOK_SECRETS", "P1_WEBHOOK_CHANNEL", "SLACK_BOT_TOKEN", "--sandbox"):
        assert name in result.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_p1_webhooks_sandbox_shows_the_relayed_events_in_the_terminal(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in WEBHOOK_VARIABLES}
    env["COLUMNS"] = "200"
    command = [sys.executable, "-c", "from bot.cli import app; app()", "webhooks", "--sandbox"]
    command += ["--host", "127.0.0.1", "--port", str(free_port())]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    expected = ("test delivery received", "awaiting_packing → ready_pickup", "Low stock:", "Ctrl-C stops")
    try:
        wait_until(
            lambda: all(part in "".join(output) for part in expected) or process.poll() is not None,
            timeout=90,
            what="the tour",
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        reader.join(5)
    text = "".join(output)
    assert all(part in text for part in expected), text
    assert text.count("Low stock:") == 1
    assert "Traceback" not in text
