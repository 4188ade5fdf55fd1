"""Local days: parsing a report date and turning local days into UTC boundaries (DST-safe, via zoneinfo)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from toolkit.errors import InvalidArgumentError

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReportDateError(InvalidArgumentError):
    """A report day that cannot be reported on: malformed, in the future, or before the data begins."""


def zone(tz: str) -> ZoneInfo:
    """The time zone called `tz`, or a clear error naming a valid example."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgumentError(
            f"unknown time zone {tz!r}: use an IANA name such as 'Europe/Berlin'"
        ) from None


def local_today(tz: str, now: datetime | None = None) -> date:
    """Today's date in `tz` (at `now`, default the real time)."""
    return (now or datetime.now(UTC)).astimezone(zone(tz)).date()


def day_boundaries(first: date, days: int, tz: str) -> pd.DatetimeIndex:
    """The `days + 1` UTC instants of local midnight from `first` on: bucket i is [b[i], b[i+1]).

    Built with zoneinfo so a day is 23 or 25 hours long when the clocks change.
    """
    where = zone(tz)
    midnights = [datetime.combine(first + timedelta(days=i), time(), where) for i in range(days + 1)]
    return pd.DatetimeIndex([m.astimezone(UTC) for m in midnights]).as_unit("ns")


def parse_day(text: str) -> date:
    """A day written as YYYY-MM-DD; ReportDateError with an example otherwise."""
    cleaned = text.strip()
    if _ISO_DAY.match(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    example = datetime.now(UTC).date() - timedelta(days=1)
    raise ReportDateError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. {example:%Y-%m-%d}")


def parse_report_day(text: str | date | None, *, today: date, first_day: date | None = None) -> date:
    """The day to report on: `text` as YYYY-MM-DD (or a date), or yesterday when it is None or empty.

    Refuses (ReportDateError) a malformed date, a day after `today` and a day before `first_day` (when known).
    Today itself is allowed: it is reported as far as it has gone.
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        day = today - timedelta(days=1)
    else:
        day = text if isinstance(text, date) else parse_day(text)
    if day > today:
        raise ReportDateError(f"{day:%Y-%m-%d} is in the future: pick a day up to today ({today:%Y-%m-%d})")
    if first_day is not None and day < first_day:
        raise ReportDateError(
            f"{day:%Y-%m-%d} is before the data begins: the first order is from {first_day:%Y-%m-%d}"
        )
    return day
