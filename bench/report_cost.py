"""Figure 5: the daily report on many orders, end to end, against the time spent fetching its frames.

`toolkit.report.daily_report` runs on a client wrapped so that every namespace call (orders.list,
orders.get, shops.list...) is timed; the fetch time is the union of those intervals (calls overlap). The
measured figure is the whole report (fetch, computation) plus its chart; the target ≤ 2 means the report's
own work costs at most as much as its I/O. The computation alone is also timed, by running the report again
on the recorded answers (no I/O at all), and must give the same totals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from bench.measure import BenchError, Row, Sizes, Target, timed
from bench.sandbox_process import Sandboxes
from toolkit import Client
from toolkit.report import render_chart
from toolkit.report.fetch import daily_report

TARGET = Target("<=", 2)


def _key(namespace: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    return namespace, method, args, tuple(sorted(kwargs.items()))


class _Namespace:
    def __init__(self, call: Callable[[str, Any], Any], name: str) -> None:
        self._call, self._name = call, name

    def __getattr__(self, method: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: self._call(_key(self._name, method, args, kwargs))


class Recording:
    """A client stand-in that forwards every call to `p1`, timing it and keeping its answer."""

    def __init__(self, p1: Client) -> None:
        self._p1 = p1
        self._lock = threading.Lock()
        self.intervals: list[tuple[float, float]] = []
        self.answers: dict[tuple[Any, ...], Any] = {}

    def __getattr__(self, namespace: str) -> _Namespace:
        return _Namespace(self._forward, namespace)

    def _forward(self, key: tuple[Any, ...]) -> Any:
        namespace, method, args, kwargs = key
        started = time.perf_counter()
        answer = getattr(getattr(self._p1, namespace), method)(*args, **dict(kwargs))
        with self._lock:
            self.intervals.append((started, time.perf_counter()))
            self.answers[key] = answer
        return answer

    def busy_seconds(self) -> float:
        """How long at least one call was in flight."""
        total, reach = 0.0, float("-inf")
        for start, end in sorted(self.intervals):
            if end > reach:
                total += end - max(start, reach)
                reach = end
        return total


class Replay:
    """A client stand-in answering every call from a Recording, with no I/O."""

    def __init__(self, recording: Recording) -> None:
        self._answers = recording.answers

    def __getattr__(self, namespace: str) -> _Namespace:
        return _Namespace(self._answers.__getitem__, namespace)


def run(sizes: Sizes, sandboxes: Sandboxes) -> list[Row]:
    sandbox = sandboxes.get(sizes.report_orders, latency_ms=sizes.latency_ms)
    with Client(
        sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False, max_concurrency=sizes.concurrency
    ) as p1:
        p1.shops.list()  # token exchange and first connection: not the report's
        recording = Recording(p1)
        total, (report, chart) = timed(lambda: _report_and_chart(recording))
    computing, (replayed, _) = timed(lambda: _report_and_chart(Replay(recording)))
    if replayed.totals != report.totals:
        raise BenchError("the report computed from recorded answers differs from the live one")
    fetching = recording.busy_seconds()
    return [
        Row(
            "5",
            f"daily report + chart on {sizes.report_orders:,} orders vs fetching its frames",
            figure=total,
            baseline=fetching,
            unit="s",
            target=TARGET,
            judged=not sizes.quick,
            notes=(
                f"{len(recording.intervals)} calls at {sizes.latency_ms:g} ms latency; computing and "
                f"charting alone (on the recorded frames) {computing:.2f} s; chart {len(chart):,} bytes PNG"
            ),
            details={"computing_seconds": computing, "calls": len(recording.intervals)},
        )
    ]


def _report_and_chart(p1: Any) -> tuple[Any, bytes]:
    report = daily_report(p1)
    return report, render_chart(report)
