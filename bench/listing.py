"""Figure 1: full listings through the toolkit against a plain sequential httpx loop, and against the floor.

Both sides run against the same sandbox (in its own process, with added latency per request) with a token
already in hand and a warm connection, so that only the listing itself is timed. The floor is what perfect
concurrency would cost: the first page alone (it tells how many there are), then the rest in waves of
`max_concurrency` pages, one latency each.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import httpx
import pandas as pd

from bench.measure import BenchError, Row, Sizes, Target, best_of
from bench.sandbox_process import Sandboxes, SandboxProcess
from toolkit import Client
from toolkit.vocabulary import ORDERS_MAX_LIMIT, PRESCRIPTIONS_MAX_LIMIT

SPEEDUP_TARGET = Target(">=", 8)
FLOOR_TARGET = Target("<=", 2)


def bearer_client(sandbox: SandboxProcess) -> httpx.Client:
    """A plain httpx client holding a JWT for the sandbox's org (what a hand-written script would do)."""
    prefix = f"{sandbox.base_url}/api/v2/public/orgs/{sandbox.org_id}"
    answer = httpx.post(f"{prefix}/auth/token", headers={"apikey": sandbox.api_key})
    token = answer.raise_for_status().json()["access_token"]
    return httpx.Client(base_url=prefix, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def sequential_offset_pages(http: httpx.Client, path: str, limit: int) -> list[dict[str, Any]]:
    """Every row of an offset listing, one page after the other, until `total` is covered or a short page."""
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        body = http.get(path, params={"limit": limit, "offset": offset}).raise_for_status().json()
        rows.extend(body["data"])
        offset += limit
        total = body.get("pagination", {}).get("total")
        if len(body["data"]) < limit or (total is not None and offset >= total):
            return rows


def floor_seconds(pages: int, concurrency: int, latency_ms: float) -> float:
    """(1 + ceil((pages - 1) / concurrency)) x latency: the first page, then full waves of the rest."""
    return (1 + math.ceil((pages - 1) / concurrency)) * latency_ms / 1000


def check_same_rows(frame: pd.DataFrame, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """The toolkit's frame holds the sequential loop's rows: same ids in the same order, same values."""
    if frame["id"].astype(str).tolist() != [str(row["id"]) for row in rows]:
        raise BenchError(
            f"the toolkit listed {len(frame)} rows, the sequential loop {len(rows)}, or their ids differ"
        )
    for column in columns:
        expected = pd.Series([row.get(column) for row in rows], dtype=frame[column].dtype)
        if not frame[column].reset_index(drop=True).equals(expected):
            raise BenchError(f"column {column!r} differs between the toolkit and the sequential loop")


def _compare(
    key: str,
    title: str,
    sandbox: SandboxProcess,
    toolkit_listing: Callable[[], pd.DataFrame],
    sequential: Callable[[], list[dict[str, Any]]],
    columns: tuple[str, ...],
    sizes: Sizes,
    target: Target | None,
) -> tuple[Row, int]:
    def listing_with_cpu() -> tuple[pd.DataFrame, float, float]:
        client, server = time.process_time(), sandbox.cpu_seconds()
        frame = toolkit_listing()
        return frame, time.process_time() - client, sandbox.cpu_seconds() - server

    (toolkit_seconds, (frame, client_cpu, server_cpu)), (sequential_seconds, rows) = best_of(
        sizes.repeats, listing_with_cpu, sequential
    )
    check_same_rows(frame, rows, columns)
    row = Row(
        key,
        title,
        figure=toolkit_seconds,
        baseline=sequential_seconds,
        unit="s",
        target=target,
        judged=not sizes.quick,
        speedup=True,
        notes=(
            f"{len(rows):,} rows, the same as the sequential loop's in the same order (checked); the "
            f"listing used {client_cpu:.2f} s CPU in the client and {server_cpu:.2f} s in the sandbox"
        ),
        details={"client_cpu_seconds": client_cpu, "sandbox_cpu_seconds": server_cpu},
    )
    return row, len(rows)


def run(sizes: Sizes, sandboxes: Sandboxes) -> list[Row]:
    sandbox = sandboxes.get(sizes.listing_orders, sizes.latency_ms)
    with (
        Client(
            sandbox.base_url,
            sandbox.org_id,
            sandbox.api_key,
            progress=False,
            max_concurrency=sizes.concurrency,
        ) as p1,
        bearer_client(sandbox) as http,
    ):
        p1.shops.list()  # exchanges the token and opens a connection: not part of the listing
        http.get("/shops").raise_for_status()
        speed, count = _compare(
            "1a",
            f"orders.list() vs sequential limit={ORDERS_MAX_LIMIT} loop",
            sandbox,
            p1.orders.list,
            lambda: sequential_offset_pages(http, "/orders", ORDERS_MAX_LIMIT),
            ("shop_id", "status", "payment_status", "total_amount"),
            sizes,
            SPEEDUP_TARGET,
        )
        pages = math.ceil(count / ORDERS_MAX_LIMIT)
        floor = Row(
            "1b",
            f"orders.list() vs floor ({pages} pages, concurrency {sizes.concurrency})",
            figure=speed.figure,
            baseline=floor_seconds(pages, sizes.concurrency, sizes.latency_ms),
            unit="s",
            target=FLOOR_TARGET,
            judged=not sizes.quick,
            notes=f"floor = (1 + ceil(({pages} - 1) / {sizes.concurrency})) x {sizes.latency_ms:g} ms",
        )
        prescriptions, _ = _compare(
            "1c",
            "prescriptions.list() (no total) vs sequential loop",
            sandbox,
            p1.prescriptions.list,
            lambda: sequential_offset_pages(http, "/prescriptions", PRESCRIPTIONS_MAX_LIMIT),
            ("shop_id", "status"),
            sizes,
            None,
        )
    for row in (speed, floor, prescriptions):
        row.details.update(
            latency_ms=sizes.latency_ms, orders=sizes.listing_orders, concurrency=sizes.concurrency
        )
    return [speed, floor, prescriptions]
