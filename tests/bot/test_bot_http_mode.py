"""HTTP mode: /slack/events takes signed requests only; /healthz answers; other areas can add routes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import httpx
import pytest
from bot_harness import SIGNING_SECRET, message_text, served
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.http import EVENTS_PATH, create_http_app
from bot.simulator import SlackSimulator
from bot.slack_standin import SlackStandIn


@pytest.fixture
def http_bot(bot):
    extra = Route("/webhooks/pharmaone", lambda request: PlainTextResponse("relay"), methods=["POST"])
    with served(create_http_app(bot.app, [extra])) as client:
        yield bot, client


def test_healthz_and_extra_routes(http_bot):
    _, client = http_bot
    assert client.get("/healthz").json() == {"ok": True}
    assert client.post("/webhooks/pharmaone").text == "relay"


def test_a_signed_command_over_http_is_acked_and_answered(http_bot):
    bot, client = http_bot
    over_http = SlackSimulator(client, bot.standin, SIGNING_SECRET)
    exchange = over_http.command("stock zainbow")
    assert exchange.status == 200
    assert "Zainbow" in message_text(exchange.wait_for_answers()[0].payload)


@pytest.mark.parametrize("forgery", ["wrong secret", "stale timestamp", "no signature"])
def test_unsigned_or_badly_signed_requests_are_refused_and_do_nothing(http_bot, sandbox, forgery):
    bot, client = http_bot
    body = urlencode({"command": "/p1", "text": "stock zainbow", "user_id": "U0X", "channel_id": "C0X",
                      "team_id": "T0P1DEMO", "response_url": bot.standin.new_response_url()})  # fmt: skip
    if forgery == "wrong secret":
        headers = SlackSimulator(client, bot.standin, "not-the-secret").signed_headers(body)
    elif forgery == "stale timestamp":
        headers = bot.slack.signed_headers(body, timestamp=int(time.time()) - 600)
    else:
        headers = {"content-type": "application/x-www-form-urlencoded"}
    before = len(sandbox.received())
    reply = client.post(EVENTS_PATH, content=body, headers=headers)
    assert reply.status_code == 401
    assert bot.runtime.wait_idle(5)
    assert bot.standin.responses() == [] and len(sandbox.received()) == before


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_p1_bot_http_sandbox_serves_signed_commands(tmp_path):
    """`p1 bot --http --sandbox --port N` as a process: healthz, then a signed command answered end to end."""
    port = free_port()
    with SlackStandIn() as standin:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "P1_"))},
            "SLACK_BOT_TOKEN": "xoxb-process-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.api_url,
            "P1_BOT_DB": str(tmp_path / "bot.sqlite3"),
        }
        command = [sys.executable, "-c", "from bot.cli import app; app()", "bot", "--http", "--sandbox"]
        server = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, "p1 bot --http did not come up"
                time.sleep(0.2)
            with httpx.Client(base_url=base, timeout=10) as client:
                exchange = SlackSimulator(client, standin, SIGNING_SECRET).command("stock zainbow")
                assert exchange.status == 200
                assert "Zainbow" in message_text(exchange.wait_for_answers()[0].payload)
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=15)
        assert "Traceback" not in output
