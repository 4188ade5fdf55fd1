"""The daily post: once a day across restarts and replicas (one SQLite file); failures announced, retried.

A fake clock drives the schedulers; nothing sleeps. Slack is the local stand-in.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from report_frames import sample_report
from slack_sdk import WebClient

from bot.app import create_app, runtime_of
from bot.report_posts import ReportPosts
from bot.runner import StartupError, run_bot
from bot.scheduler import ReportSchedule, ReportScheduler, Tick, parse_report_time, start_scheduler
from bot.settings import BotSettings
from bot.slack_standin import SlackStandIn
from bot.store import Store
from toolkit import Client
from toolkit.errors import APIConnectionError, InvalidArgumentError

BERLIN = ZoneInfo("Europe/Berlin")
SCHEDULE = ReportSchedule(channel="C0REPORTS", at=time(7, 30), tz="Europe/Berlin")
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(UTC)


class Reports:
    """Makes reports from frames; fails the first `failures` calls with `error`."""

    def __init__(self, failures: int = 0, error: Exception | None = None) -> None:
        self.failures, self.error, self.days = failures, error, []

    def __call__(self, day: date):
        self.days.append(day)
        if len(self.days) <= self.failures:
            raise self.error
        return sample_report(day), PNG


@pytest.fixture
def standin():
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def slack(standin) -> WebClient:
    return WebClient(token="xoxb-test-token", base_url=standin.api_url)


def scheduler(path, slack, clock, reports) -> ReportScheduler:
    """A fresh scheduler over the SQLite file at `path`, as after a restart or on another replica."""
    return ReportScheduler(SCHEDULE, ReportPosts(Store(str(path))), reports, slack, clock=clock)


def summaries(standin) -> list[str]:
    return [r.payload["text"] for r in standin.calls("chat.postMessage")]


def test_posts_once_per_day_across_a_restart(tmp_path, standin, slack) -> None:
    db, reports = tmp_path / "bot.sqlite3", Reports()
    clock = Clock(berlin(date(2026, 6, 15), 6, 0))
    first = scheduler(db, slack, clock, reports)
    assert first.tick().state == "idle"  # before 07:30 nothing new is due
    clock.now = berlin(date(2026, 6, 15), 7, 30)
    assert first.tick() == Tick(date(2026, 6, 14), "posted")
    assert first.tick().state == "idle"

    restarted = scheduler(db, slack, clock, reports)
    clock.now = berlin(date(2026, 6, 15), 9, 0)
    assert restarted.tick().state == "idle"
    assert reports.days == [date(2026, 6, 14)]
    assert len(standin.calls("files.completeUploadExternal")) == 1

    clock.now = berlin(date(2026, 6, 16), 7, 31)
    assert restarted.tick().state == "posted"
    assert scheduler(db, slack, clock, reports).tick().state == "idle"
    assert reports.days == [date(2026, 6, 14), date(2026, 6, 15)]
    texts = summaries(standin)
    assert len(texts) == 2 and "14.06.2026" in texts[0] and "15.06.2026" in texts[1]


def test_two_replicas_racing_post_the_day_once(tmp_path, standin, slack) -> None:
    db, reports = tmp_path / "bot.sqlite3", Reports()
    clock = Clock(berlin(date(2026, 6, 15), 7, 30))
    replicas = [scheduler(db, slack, clock, reports) for _ in range(4)]
    start, results = threading.Barrier(len(replicas)), []

    def run(replica: ReportScheduler) -> None:
        start.wait()
        results.append(replica.tick().state)

    threads = [threading.Thread(target=run, args=(replica,)) for replica in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == ["idle", "idle", "idle", "posted"]
    assert len(summaries(standin)) == 1 and reports.days == [date(2026, 6, 14)]


def test_a_failed_day_is_announced_once_and_retried(tmp_path, standin, slack) -> None:
    db = tmp_path / "bot.sqlite3"
    reports = Reports(failures=2, error=APIConnectionError("PharmaOne could not be reached"))
    clock = Clock(berlin(date(2026, 6, 15), 7, 30))
    bot = scheduler(db, slack, clock, reports)

    tick = bot.tick()
    assert (tick.state, tick.reason) == ("failed", "PharmaOne could not be reached")
    notice = summaries(standin)
    assert len(notice) == 1 and "could not be made: PharmaOne could not be reached" in notice[0]
    assert "Trying again at 07:45 CEST" in notice[0]

    clock.now = berlin(date(2026, 6, 15), 7, 40)
    assert bot.tick().state == "idle"  # not due again yet
    clock.now = berlin(date(2026, 6, 15), 7, 45)
    assert bot.tick().state == "failed"  # second failure: not announced again, next try 30 min later
    assert len(summaries(standin)) == 1
    post = bot.posts.get(date(2026, 6, 14), "C0REPORTS")
    assert post.attempts == 2 and post.next_attempt_at == berlin(date(2026, 6, 15), 8, 15).astimezone(UTC)

    restarted = scheduler(db, slack, clock, reports)  # a restart does not forget the failure
    clock.now = berlin(date(2026, 6, 15), 8, 15)
    assert restarted.tick().state == "posted"
    assert len(summaries(standin)) == 2 and len(standin.calls("files.completeUploadExternal")) == 1
    assert restarted.posts.get(date(2026, 6, 14), "C0REPORTS").state == "posted"


def test_retries_go_on_before_the_next_report_time(tmp_path, standin, slack) -> None:
    reports = Reports(failures=1, error=APIConnectionError("down"))
    clock = Clock(berlin(date(2026, 6, 15), 23, 50))
    bot = scheduler(tmp_path / "bot.sqlite3", slack, clock, reports)
    assert bot.tick().state == "failed"
    clock.now = berlin(date(2026, 6, 16), 3, 0)  # after midnight, before 07:30: still the failed day
    assert bot.tick() == Tick(date(2026, 6, 14), "posted")


def test_an_abandoned_claim_is_taken_over_after_the_lease(tmp_path, standin, slack) -> None:
    db, reports = tmp_path / "bot.sqlite3", Reports()
    clock = Clock(berlin(date(2026, 6, 15), 7, 30))
    crashed = scheduler(db, slack, clock, reports)
    assert crashed.posts.claim(date(2026, 6, 14), "C0REPORTS", crashed.owner, clock(), SCHEDULE.lease)
    other = scheduler(db, slack, clock, reports)
    clock.now = berlin(date(2026, 6, 15), 7, 40)
    assert other.tick().state == "idle"
    clock.now = berlin(date(2026, 6, 15), 7, 46)
    assert other.tick().state == "posted"


def test_a_refused_day_is_announced_and_not_retried(tmp_path, standin, slack) -> None:
    error = InvalidArgumentError("2026-06-14 is before the data begins: the first order is from 2026-06-20")
    reports = Reports(failures=5, error=error)
    clock = Clock(berlin(date(2026, 6, 15), 7, 30))
    bot = scheduler(tmp_path / "bot.sqlite3", slack, clock, reports)
    assert bot.tick().state == "refused"
    assert "not be tried again" in summaries(standin)[0]
    clock.now = berlin(date(2026, 6, 15), 12, 0)
    assert bot.tick().state == "idle" and len(reports.days) == 1


def test_schedule_from_settings() -> None:
    settings = BotSettings(report_channel="C0REPORTS", report_time="06:45", timezone="Europe/Vienna")
    schedule = ReportSchedule.from_settings(settings)
    assert (schedule.channel, schedule.at, schedule.tz) == ("C0REPORTS", time(6, 45), "Europe/Vienna")
    assert ReportSchedule.from_settings(BotSettings(report_channel=None)) is None
    with pytest.raises(InvalidArgumentError, match="P1_REPORT_TZ='Mars/Olympus' is not a time zone"):
        ReportSchedule.from_settings(BotSettings(report_channel="C0REPORTS", report_tz="Mars/Olympus"))
    with pytest.raises(InvalidArgumentError, match="HH:MM"):
        parse_report_time("7.30")
    with pytest.raises(InvalidArgumentError, match="HH:MM"):
        parse_report_time("25:00")


def test_due_day_on_dst_mornings() -> None:
    # 07:30 local on the day the clocks go forward / back is still 07:30 local
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        before = berlin(day, 7, 29).astimezone(UTC)
        after = berlin(day, 7, 30).astimezone(UTC)
        assert SCHEDULE.due_day(before) == (day - timedelta(days=2), False)
        assert SCHEDULE.due_day(after) == (day - timedelta(days=1), True)


def test_the_running_bot_posts_the_report_from_the_sandbox(sandbox, standin) -> None:
    """start_scheduler wires the real pieces: bot runtime, toolkit client on the sandbox, Slack stand-in."""
    settings = BotSettings(
        _env_file=None,
        slack_bot_token="xoxb-test-token",
        slack_api_url=standin.api_url,
        bot_db=":memory:",
        report_channel="C0REPORTS",
        report_time="00:00",  # always passed: yesterday is due whenever the test runs
    )
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1:
        runtime = runtime_of(create_app(p1, settings=settings))
        scheduler = start_scheduler(runtime, interval=0.05)
        try:
            standin.wait_for(lambda records: any(r.name == "files.completeUploadExternal" for r in records))
        finally:
            scheduler.stop()
            runtime.shutdown()
    yesterday = datetime.now(BERLIN).date() - timedelta(days=1)
    (summary,) = standin.calls("chat.postMessage")
    assert summary.payload["channel"] == "C0REPORTS" and f"{yesterday:%d.%m.%Y}" in summary.payload["text"]
    assert ReportPosts(runtime.store).get(yesterday, "C0REPORTS").state == "posted"


def test_the_bot_refuses_to_start_with_a_bad_report_time(standin) -> None:
    settings = BotSettings(
        _env_file=None,
        slack_bot_token="xoxb-test-token",
        slack_app_token="xapp-test-token",
        slack_api_url=standin.api_url,
        bot_db=":memory:",
        report_channel="C0REPORTS",
        report_time="7.30",
    )
    with pytest.raises(StartupError, match=r"scheduled: P1_REPORT_TIME='7.30' is not a time of day"):
        run_bot(sandbox=True, settings=settings)
