"""What every figure shares: the result row, its target, and timing helpers."""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from toolkit.vocabulary import MAX_CONCURRENT_REQUESTS

T = TypeVar("T")


class BenchError(RuntimeError):
    """The benchmark found a wrong result (not a slow one): the run stops, whatever --check says."""


@dataclass(frozen=True)
class Target:
    """`ratio <op> value`, e.g. Target("<=", 2.0)."""

    op: str  # "<=" or ">="
    value: float

    def met(self, ratio: float) -> bool:
        return {"<=": operator.le, ">=": operator.ge}[self.op](ratio, self.value)

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass
class Row:
    """One line of the table: `figure` measured against `baseline` (same unit), their ratio, the target."""

    key: str
    title: str
    figure: float
    baseline: float
    unit: str
    target: Target | None  # None: shown for information only
    judged: bool = True  # False in --quick runs: sizes too small for the targets to mean anything
    speedup: bool = False  # the ratio is baseline / figure ("× faster") instead of figure / baseline
    notes: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        top, bottom = (self.baseline, self.figure) if self.speedup else (self.figure, self.baseline)
        return top / bottom if bottom else float("inf")

    @property
    def passed(self) -> bool | None:
        if self.target is None or not self.judged:
            return None
        return self.target.met(self.ratio)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(target=str(self.target) if self.target else None, ratio=self.ratio, passed=self.passed)
        return data


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def best_of(repeats: int, *fns: Callable[[], Any]) -> list[tuple[float, Any]]:
    """(seconds, result) of the fastest of `repeats` calls of each of `fns`, taken in turns (a, b, a, b...).

    The fastest run is the least disturbed by other work on the machine, and taking turns exposes every
    side to the same disturbances.
    """
    best: list[tuple[float, Any] | None] = [None] * len(fns)
    for _ in range(max(1, repeats)):
        for index, fn in enumerate(fns):
            seconds, result = timed(fn)
            if best[index] is None or seconds < best[index][0]:  # type: ignore[index]
                best[index] = (seconds, result)
    return [pair for pair in best if pair is not None]


def percentile(values: list[float], share: float) -> float:
    """The `share` (0..1) percentile by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Sizes:
    """How big each figure's workload is: the issue's sizes, or small ones for `--quick`."""

    listing_orders: int = 20_000
    latency_ms: float = 20
    concurrency: int = MAX_CONCURRENT_REQUESTS  # the toolkit client's max_concurrency (its default)
    repeats: int = 5
    frame_rows: int = 100_000
    memory_orders: int = 100_000
    bot_commands: int = 200
    bot_latency_ms: float = 2_000
    report_orders: int = 100_000
    quick: bool = False


FULL = Sizes()
QUICK = Sizes(
    listing_orders=2_000,
    latency_ms=5,
    repeats=2,
    frame_rows=10_000,
    memory_orders=10_000,
    bot_commands=20,
    bot_latency_ms=200,
    report_orders=5_000,
    quick=True,
)
