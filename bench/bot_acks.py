"""Figure 4: how fast the bot acks slash commands while PharmaOne is slow, and that each gets its answer.

The real Bolt app from `bot.create_app` is served in its HTTP mode (`bot.http.create_http_app` on uvicorn,
127.0.0.1); `bot.simulator.SlackSimulator` sends Slack-signed `/p1 order <id>` commands to `/slack/events`
from as many threads as there are commands, all released at once. The ack time is the simulator's, from
sending a command to its HTTP response. Answers go to the Slack stand-in's response URLs; the figure is only
valid when every command's answer arrived there.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import uvicorn

from bench.listing import bearer_client
from bench.measure import BenchError, Row, Sizes, Target, percentile
from bench.sandbox_process import Sandboxes
from bot.app import create_app, runtime_of
from bot.http import create_http_app
from bot.settings import BotSettings
from bot.simulator import Exchange, SlackSimulator
from bot.slack_standin import SlackStandIn
from toolkit import Client

ACK_BUDGET_MS = 100
TARGET = Target("<=", 1)
SIGNING_SECRET = "bench-signing-secret"
SANDBOX_ORDERS = 400
ANSWER_TIMEOUT_SECONDS = 600


@contextmanager
def serving(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise BenchError("the bot's HTTP server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def order_ids(sandboxes: Sandboxes, count: int) -> list[str]:
    """`count` real order ids (repeating when the sandbox has fewer)."""
    with bearer_client(sandboxes.get(SANDBOX_ORDERS)) as http:
        page = http.get("/orders", params={"limit": 200}).raise_for_status().json()
    ids = [row["id"] for row in page["data"]]
    return [ids[i % len(ids)] for i in range(count)]


def fire(simulator: SlackSimulator, texts: list[str]) -> list[Exchange]:
    """Send every command at once, one thread each; returns the exchanges in order."""
    start = threading.Barrier(len(texts))

    def send(text: str) -> Exchange:
        start.wait()
        return simulator.command(text)

    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        return list(pool.map(send, texts))


def run(sizes: Sizes, sandboxes: Sandboxes) -> list[Row]:
    texts = [f"order {order_id}" for order_id in order_ids(sandboxes, sizes.bot_commands)]
    sandbox = sandboxes.get(SANDBOX_ORDERS, latency_ms=sizes.bot_latency_ms)
    settings = BotSettings(
        _env_file=None,
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SIGNING_SECRET,
        bot_db=":memory:",
    )
    with (
        SlackStandIn() as standin,
        Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1,
    ):
        settings = settings.model_copy(update={"slack_api_url": standin.api_url})
        app = create_app(p1, settings=settings)
        try:
            with (
                serving(create_http_app(app)) as url,
                httpx.Client(
                    base_url=url, timeout=60, limits=httpx.Limits(max_connections=len(texts))
                ) as http,
            ):
                simulator = SlackSimulator(http, standin, SIGNING_SECRET)
                started = time.perf_counter()
                exchanges = fire(simulator, texts)
                refused = [e for e in exchanges if e.status != 200 or e.ack_message is not None]
                if refused:
                    raise BenchError(f"{len(refused)} commands were not simply acked: {refused[0].ack_body}")
                for exchange in exchanges:
                    exchange.wait_for_answers(1, timeout=ANSWER_TIMEOUT_SECONDS)
                answered = time.perf_counter() - started
        finally:
            runtime_of(app).shutdown()
    acks_ms = [exchange.ack_seconds * 1000 for exchange in exchanges]
    return [
        Row(
            "4",
            f"p99 ack of {len(texts)} concurrent /p1 order commands, PharmaOne answering in "
            f"{sizes.bot_latency_ms / 1000:g} s, vs {ACK_BUDGET_MS} ms",
            figure=percentile(acks_ms, 0.99),
            baseline=ACK_BUDGET_MS,
            unit="ms",
            target=TARGET,
            judged=not sizes.quick,
            notes=(
                f"acks: median {percentile(acks_ms, 0.5):.0f} ms, max {max(acks_ms):.0f} ms; all "
                f"{len(texts)} answered on their response_url after {answered:.1f} s "
                f"(bot pool {settings.workers} threads); HTTP mode on uvicorn"
            ),
            details={
                "acks_ms": sorted(round(ms, 2) for ms in acks_ms),
                "answered_seconds": answered,
                "latency_ms": sizes.bot_latency_ms,
                "bot_workers": settings.workers,
            },
        )
    ]
