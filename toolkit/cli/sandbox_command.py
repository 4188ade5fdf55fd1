"""`p1 sandbox`: serve a seeded PharmaOne on 127.0.0.1 until Ctrl-C, and print how to connect to it."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from toolkit.cli.app import app
from toolkit.sandbox import Sandbox

DEFAULT_PORT = 8765


def _fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(2)


@app.command("sandbox")
def sandbox_command(
    port: Annotated[
        int, typer.Option(help="Port on 127.0.0.1; 0 picks a free one. Example: --port 9000")
    ] = DEFAULT_PORT,
    db: Annotated[
        Path | None,
        typer.Option(
            help="SQLite file to keep the data in (reused if it exists); in memory if left out. "
            "Example: --db sandbox.sqlite3"
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the generated data: same seed, same data. Example: --seed 7")
    ] = 7,
    orders: Annotated[
        int, typer.Option(help="Orders to generate over the last 90 days. Example: --orders 100000")
    ] = 400,
    latency_ms: Annotated[
        float, typer.Option(help="Delay added to every answer. Example: --latency-ms 20")
    ] = 0,
    error_rate: Annotated[
        float, typer.Option(help="Share of requests answered 5xx. Example: --error-rate 0.1")
    ] = 0,
    rate_limit_rate: Annotated[
        float,
        typer.Option(help="Share of requests answered 429 with Retry-After. Example: --rate-limit-rate 0.05"),
    ] = 0,
    retry_after: Annotated[
        int, typer.Option(help="Retry-After seconds on those 429s. Example: --retry-after 2")
    ] = 1,
    drop_rate: Annotated[
        float, typer.Option(help="Share of connections dropped without an answer. Example: --drop-rate 0.02")
    ] = 0,
    token_ttl: Annotated[
        int, typer.Option(help="Lifetime of issued tokens in seconds. Example: --token-ttl 30")
    ] = 3600,
    webhook: Annotated[
        list[str] | None,
        typer.Option(
            help="URL that receives signed webhook deliveries (repeatable). "
            "Example: --webhook http://127.0.0.1:3000/webhooks/pharmaone"
        ),
    ] = None,
    webhook_secret: Annotated[
        str,
        typer.Option(
            envvar="P1_WEBHOOK_SECRET",
            help="Signing secret of the --webhook subscriptions. Example: --webhook-secret whsec_demo",
        ),
    ] = "sandbox-webhook-secret",
) -> None:
    """Serve a faithful, seeded PharmaOne sandbox on 127.0.0.1 until Ctrl-C.

    Example: p1 sandbox --orders 2000 --latency-ms 50 --error-rate 0.05
    """
    try:
        sandbox = Sandbox(
            seed=seed,
            orders=orders,
            db=str(db) if db else None,
            port=port,
            latency_ms=latency_ms,
            error_rate=error_rate,
            rate_limit_rate=rate_limit_rate,
            retry_after=retry_after,
            drop_rate=drop_rate,
            token_ttl=token_ttl,
            webhooks=[(url, webhook_secret) for url in webhook or ()],
        ).start()
    except OSError as exc:
        raise _fail(
            f"cannot serve on 127.0.0.1:{port} ({exc.strerror}); choose another --port, or --port 0"
        ) from None
    except sqlite3.Error as exc:
        raise _fail(f"cannot use --db {db}: {exc}") from None
    except (ValueError, RuntimeError) as exc:
        raise _fail(str(exc)) from None
    console = Console(highlight=False, soft_wrap=True)
    data = f"seed {seed}, {orders} orders" if sandbox.seeded else f"the data kept in {db}"
    console.print(f"[bold green]PharmaOne sandbox[/] running with {data}. Ctrl-C stops it.")
    console.print(f"  base URL  {sandbox.base_url}")
    console.print(f"  shop URL  {sandbox.shop_url}")
    console.print(f"  org id    {sandbox.org_id}")
    console.print(f"  API key   {sandbox.api_key}   (a sandbox key; org2's is {sandbox.api_keys['org2']})")
    console.print("\nConnect other shells with:\n", style="bold")
    for name, value in (
        ("P1_BASE_URL", sandbox.base_url),
        ("P1_ORG_ID", sandbox.org_id),
        ("P1_API_KEY", sandbox.api_key),
        ("P1_SHOP_URL", sandbox.shop_url),
    ):
        console.print(f"export {name}={value}")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        console.print("\nStopping the sandbox.")
    finally:
        sandbox.stop()
