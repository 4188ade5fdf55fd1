"""Figure 2: the toolkit's pages-to-DataFrame path against `pandas.json_normalize` plus the same dtypes.

The pages are real API pages (`GET /orders`, limit 200) fetched once from the sandbox and kept in memory.
The toolkit side runs `p1.orders.list()`'s own code (pagination, de-duplication, `toolkit.frames`) with a
runner that answers each page request from memory instead of the network, so no I/O is timed on either
side. Both sides must produce the same frame (checked).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from bench.listing import bearer_client, sequential_offset_pages
from bench.measure import BenchError, Row, Sizes, Target, best_of
from bench.sandbox_process import Sandboxes
from toolkit import frames
from toolkit._runner import Batch, Operation
from toolkit.resources import Orders
from toolkit.resources._base import Context
from toolkit.vocabulary import ORDERS_MAX_LIMIT

TARGET = Target("<=", 1.5)


def fetch_pages(sandboxes: Sandboxes, rows: int) -> dict[int, dict[str, Any]]:
    """offset -> the API's page body, for every page of a sandbox with `rows` orders."""
    sandbox = sandboxes.get(rows, latency_ms=0)
    with bearer_client(sandbox) as http:
        data = sequential_offset_pages(http, "/orders", ORDERS_MAX_LIMIT)
    return {
        offset: {
            "data": data[offset : offset + ORDERS_MAX_LIMIT],
            "pagination": {"limit": ORDERS_MAX_LIMIT, "offset": offset, "total": len(data)},
        }
        for offset in range(0, len(data), ORDERS_MAX_LIMIT)
    }


def toolkit_frame(pages: dict[int, dict[str, Any]]) -> pd.DataFrame:
    """`p1.orders.list()` with every page request answered from `pages`."""

    def answer(call: Any) -> dict[str, Any]:
        return pages[call.params["offset"]]

    def run_from_memory(operation: Operation[Any]) -> Any:
        step: Any = None
        while True:
            try:
                request = operation.send(step)
            except StopIteration as stop:
                return stop.value
            step = [answer(c) for c in request.calls] if isinstance(request, Batch) else answer(request)

    context = Context("http://in-memory", "org1", None, max_concurrency=8, progress=False)
    return Orders(context, run_from_memory).list()


def normalize_frame(pages: dict[int, dict[str, Any]]) -> pd.DataFrame:
    """The baseline: json_normalize over the same pages, then each column to the toolkit's dtype."""
    frame = pd.json_normalize([row for page in pages.values() for row in page["data"]])
    for name, dtype in frames.ORDERS.columns.items():
        if dtype == frames.TIME:
            frame[name] = pd.to_datetime(frame[name], utc=True, format="ISO8601").astype(dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame[list(frames.ORDERS.columns)]


def run(sizes: Sizes, sandboxes: Sandboxes) -> list[Row]:
    pages = fetch_pages(sandboxes, sizes.frame_rows)
    (toolkit_seconds, ours), (baseline_seconds, theirs) = best_of(
        sizes.repeats, lambda: toolkit_frame(pages), lambda: normalize_frame(pages)
    )
    try:
        pd.testing.assert_frame_equal(ours, theirs)
    except AssertionError as exc:
        raise BenchError(f"the toolkit's frame differs from json_normalize's: {exc}") from None
    return [
        Row(
            "2",
            f"pages -> DataFrame, {len(ours):,} orders in memory, vs json_normalize + dtypes",
            figure=toolkit_seconds,
            baseline=baseline_seconds,
            unit="s",
            target=TARGET,
            judged=not sizes.quick,
            notes=f"{len(pages)} pages of {ORDERS_MAX_LIMIT}; both sides give the same frame (checked)",
            details={"rows": len(ours), "pages": len(pages)},
        )
    ]
