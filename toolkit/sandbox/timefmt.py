"""Timestamps as PharmaOne writes them: ISO-8601 UTC with `Z` and microseconds (nanoseconds on patches)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta


def iso(moment: datetime) -> str:
    """`2026-06-14T10:05:55.806759Z`: the form every stored and listed timestamp takes."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"


def iso_nanos(nanos: int) -> str:
    """`2026-06-14T11:44:21.735875899Z`: the 9-digit form of the PATCH /orders/{id}/status answer."""
    seconds, fraction = divmod(nanos, 1_000_000_000)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:09d}Z"


def now_nanos() -> int:
    return time.time_ns()


def from_nanos(nanos: int) -> datetime:
    return datetime.fromtimestamp(nanos // 1000 / 1_000_000, UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_iso(text: str) -> datetime:
    """Parses an ISO-8601 timestamp; a naive one is taken as UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def day_start(day: date) -> str:
    """The stored-timestamp string at which `day` begins (for range queries on ISO text columns)."""
    return iso(datetime(day.year, day.month, day.day, tzinfo=UTC))


def day_end_exclusive(day: date) -> str:
    return day_start(day + timedelta(days=1))
