"""Posts the daily report once a day at P1_REPORT_TIME in P1_REPORT_TZ to P1_REPORT_CHANNEL.

Each tick works out which local day is due (yesterday once today's report time has passed; before that,
the day before yesterday if it still needs a retry), claims it in the bot's SQLite store
(`bot.report_posts`: atomic, so restarts and replicas sharing the file never post a day twice), makes the
report and posts it. A day whose data cannot be fetched is announced in the channel with the reason (on its
first failure) and tried again with a growing delay until the next day's report is due; a day the report
refuses (before the data begins) is announced and not retried.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.privacy import PatientDataLeak
from bot.report_post import post_failure, post_summary, upload_chart
from bot.report_posts import ReportPosts
from bot.settings import BotSettings
from toolkit.errors import InvalidArgumentError
from toolkit.report import DailyReport, daily_report, render_chart
from toolkit.report.days import zone

if TYPE_CHECKING:
    from bot.runtime import BotRuntime

log = logging.getLogger(__name__)

#: Makes the report of a day and its chart (PNG bytes); raises when the data cannot be fetched.
ReportMaker = Callable[[date], tuple[DailyReport, bytes]]
Clock = Callable[[], datetime]

_instances = itertools.count(1)


@dataclass(frozen=True)
class ReportSchedule:
    channel: str
    at: time  # local time of day
    tz: str
    retry_delay: timedelta = timedelta(minutes=15)  # doubled per failed attempt, at most max_retry_delay
    max_retry_delay: timedelta = timedelta(hours=2)
    lease: timedelta = timedelta(minutes=15)  # a claim older than this was abandoned (crash while posting)

    @classmethod
    def from_settings(cls, settings: BotSettings) -> ReportSchedule | None:
        """The schedule configured by P1_REPORT_CHANNEL / P1_REPORT_TIME / P1_REPORT_TZ (None: no channel)."""
        if not settings.report_channel:
            return None
        tz = report_tz(settings)
        try:
            zone(tz)
        except InvalidArgumentError:
            raise InvalidArgumentError(
                f"P1_REPORT_TZ={tz!r} is not a time zone: use an IANA name, e.g. Europe/Berlin"
            ) from None
        return cls(channel=settings.report_channel, at=parse_report_time(settings.report_time), tz=tz)

    def due_day(self, now: datetime) -> tuple[date, bool]:
        """The day to work on at `now`, and whether it may be started afresh.

        Once today's report time has passed that is yesterday; before it, only the day before yesterday,
        and only to retry it if it failed (so a fresh start at 06:00 posts nothing).
        """
        local = now.astimezone(zone(self.tz))
        passed = local.time().replace(tzinfo=None) >= self.at
        return local.date() - timedelta(days=1 if passed else 2), passed

    def retry_at(self, now: datetime, attempts: int) -> datetime:
        delay = min(self.retry_delay * 2 ** max(attempts - 1, 0), self.max_retry_delay)
        return now + delay


def report_tz(settings: BotSettings) -> str:
    """The report's time zone: P1_REPORT_TZ, else the bot's P1_TIMEZONE."""
    return settings.report_tz or settings.timezone


def parse_report_time(text: str) -> time:
    """'07:30' -> time(7, 30); a clear error for anything else."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidArgumentError(
            f"P1_REPORT_TIME={text!r} is not a time of day: use HH:MM in 24-hour form, e.g. 07:30"
        ) from None


@dataclass(frozen=True)
class Tick:
    """What one tick did: `state` is idle (nothing to do), posted, failed or refused (not retried)."""

    day: date
    state: str
    reason: str | None = None


class ReportScheduler:
    """Runs the schedule: call `tick()` (tests, with a fake clock) or `start()` a background thread."""

    def __init__(
        self,
        schedule: ReportSchedule,
        posts: ReportPosts,
        make_report: ReportMaker,
        slack: WebClient,
        *,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.schedule = schedule
        self.posts = posts
        self.make_report = make_report
        self.slack = slack
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{next(_instances)}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> Tick:
        now = self.clock()
        day, new = self.schedule.due_day(now)
        channel = self.schedule.channel
        if not self.posts.claim(day, channel, self.owner, now, self.schedule.lease, new=new):
            return Tick(day, "idle")
        attempts = self.posts.get(day, channel).attempts  # type: ignore[union-attr]
        try:
            report, chart = self.make_report(day)
        except InvalidArgumentError as exc:
            return self._failed(day, str(exc), attempts, retry=False)
        except Exception as exc:  # PharmaOne down, slow, refusing: say why, try again later
            log.warning("daily report for %s: data could not be fetched", day, exc_info=True)
            return self._failed(day, _reason(exc), attempts, retry=True)
        try:
            ts = post_summary(self.slack, channel, report)
        except (SlackApiError, PatientDataLeak, OSError) as exc:
            log.error("daily report for %s could not be posted", day, exc_info=True)
            retry_at = self.schedule.retry_at(self.clock(), attempts)
            self.posts.mark_failed(
                day, channel, self.owner, f"posting to Slack failed: {_reason(exc)}", retry_at
            )
            return Tick(day, "failed", _reason(exc))
        # The summary is out: the day counts as posted, so a failing chart upload never repeats the summary.
        self.posts.mark_posted(day, channel, self.owner, self.clock(), ts)
        try:
            upload_chart(self.slack, channel, report, chart)
        except (SlackApiError, OSError) as exc:
            log.error("chart of the daily report for %s could not be uploaded", day, exc_info=True)
            return Tick(day, "posted", f"chart not uploaded: {_reason(exc)}")
        return Tick(day, "posted")

    def _failed(self, day: date, reason: str, attempts: int, *, retry: bool) -> Tick:
        retry_at = self.schedule.retry_at(self.clock(), attempts) if retry else None
        self.posts.mark_failed(day, self.schedule.channel, self.owner, reason, retry_at)
        if attempts == 1:  # announce a failing day once, not on every retry
            try:
                post_failure(self.slack, self.schedule.channel, day, reason, retry_at, self.schedule.tz)
            except (SlackApiError, PatientDataLeak, OSError):
                log.error("could not announce the failed report for %s", day, exc_info=True)
        return Tick(day, "failed" if retry else "refused", reason)

    # --- background thread ------------------------------------------------------------------------------

    def start(self, interval: float = 30.0) -> None:
        """Tick now and then every `interval` seconds in a daemon thread until `stop()`."""
        self._thread = threading.Thread(target=self._run, args=(interval,), name="p1-report", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self, interval: float) -> None:
        while True:
            try:
                self.tick()
            except Exception:  # the store itself failed: log, keep the schedule alive
                log.exception("daily report scheduler tick failed")
            if self._stop.wait(interval):
                return


def _reason(exc: Exception) -> str:
    """A readable reason: the toolkit's messages carry no secrets or patient data."""
    return str(exc) or type(exc).__name__


def report_maker(p1: Any, settings: BotSettings) -> ReportMaker:
    """Makes a day's report and chart from PharmaOne (`p1`, a toolkit Client) with the bot's settings."""

    def make(day: date) -> tuple[DailyReport, bytes]:
        threshold = settings.low_stock_threshold
        report = daily_report(p1, day, tz=report_tz(settings), low_stock_threshold=threshold)
        return report, render_chart(report)

    return make


def start_scheduler(runtime: BotRuntime, *, interval: float = 30.0) -> ReportScheduler | None:
    """Start posting the daily report for a running bot; None (nothing started) without P1_REPORT_CHANNEL."""
    schedule = ReportSchedule.from_settings(runtime.settings)
    if schedule is None:
        return None
    maker = report_maker(runtime.p1, runtime.settings)
    scheduler = ReportScheduler(schedule, ReportPosts(runtime.store), maker, runtime.slack)
    scheduler.start(interval)
    return scheduler
