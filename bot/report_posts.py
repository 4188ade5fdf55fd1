"""What the daily report scheduler remembers, in the bot's SQLite store: one row per (day, channel).

Every replica and every restart reads and writes the same table, and a day is only worked on by whoever
*claims* it with a single atomic statement (an INSERT that loses on conflict, or an UPDATE whose WHERE only
matches a failed day that is due again or a claim that was abandoned). So a day is posted at most once
however many schedulers race for it — as long as they share the SQLite file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.store import Store

REPORT_POSTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS report_posts (
    day TEXT NOT NULL,               -- the local report day, YYYY-MM-DD
    channel TEXT NOT NULL,
    state TEXT NOT NULL,             -- claimed / posted / failed
    attempts INTEGER NOT NULL,
    claimed_by TEXT NOT NULL,        -- which scheduler (host:pid:n) holds or held the day
    claimed_at TEXT NOT NULL,        -- ISO-8601 UTC
    next_attempt_at TEXT,            -- ISO-8601 UTC, while failed
    posted_at TEXT,                  -- ISO-8601 UTC, once posted
    message_ts TEXT,                 -- Slack ts of the summary message
    error TEXT,                      -- last failure's reason (no secrets, no patient data)
    PRIMARY KEY (day, channel)
);
"""

CLAIMED, POSTED, FAILED = "claimed", "posted", "failed"


@dataclass(frozen=True)
class ReportPost:
    day: date
    channel: str
    state: str
    attempts: int
    claimed_by: str
    error: str | None
    next_attempt_at: datetime | None
    message_ts: str | None


def _stamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so that comparing the strings compares the instants."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class ReportPosts:
    """The `report_posts` table of the bot's store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        store.ensure_schema(REPORT_POSTS_SCHEMA)

    def claim(
        self, day: date, channel: str, owner: str, now: datetime, lease: timedelta, *, new: bool = True
    ) -> bool:
        """Take `day` for `owner` if nobody has it: new (when `new`), failed and due again, or abandoned
        (claimed longer than `lease` ago). One statement each, so two schedulers never both win.
        """
        stamp, key = _stamp(now), (day.isoformat(), channel)
        with self.store.connection() as db:
            if (
                new
                and db.execute(
                    "INSERT INTO report_posts (day, channel, state, attempts, claimed_by, claimed_at)"
                    " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (day, channel) DO NOTHING",
                    (*key, CLAIMED, owner, stamp),
                ).rowcount
            ):
                return True
            return bool(
                db.execute(
                    "UPDATE report_posts"
                    " SET state = ?, attempts = attempts + 1, claimed_by = ?, claimed_at = ?"
                    " WHERE day = ? AND channel = ?"
                    " AND ((state = ? AND next_attempt_at <= ?) OR (state = ? AND claimed_at <= ?))",
                    (CLAIMED, owner, stamp, *key, FAILED, stamp, CLAIMED, _stamp(now - lease)),
                ).rowcount
            )

    def mark_posted(self, day: date, channel: str, owner: str, now: datetime, message_ts: str) -> None:
        self.store.execute(
            "UPDATE report_posts SET state = ?, posted_at = ?, message_ts = ?, error = NULL,"
            " next_attempt_at = NULL WHERE day = ? AND channel = ? AND claimed_by = ?",
            (POSTED, _stamp(now), message_ts, day.isoformat(), channel, owner),
        )

    def mark_failed(
        self, day: date, channel: str, owner: str, reason: str, retry_at: datetime | None
    ) -> None:
        """Record a failed attempt; it is claimable again from `retry_at` on (never when None)."""
        self.store.execute(
            "UPDATE report_posts SET state = ?, error = ?, next_attempt_at = ?"
            " WHERE day = ? AND channel = ? AND claimed_by = ?",
            (FAILED, reason, None if retry_at is None else _stamp(retry_at), day.isoformat(), channel, owner),
        )

    def get(self, day: date, channel: str) -> ReportPost | None:
        rows = self.store.query(
            "SELECT * FROM report_posts WHERE day = ? AND channel = ?", (day.isoformat(), channel)
        )
        if not rows:
            return None
        row = rows[0]
        return ReportPost(
            day=date.fromisoformat(row["day"]),
            channel=row["channel"],
            state=row["state"],
            attempts=row["attempts"],
            claimed_by=row["claimed_by"],
            error=row["error"],
            next_attempt_at=datetime.fromisoformat(row["next_attempt_at"])
            if row["next_attempt_at"]
            else None,
            message_ts=row["message_ts"],
        )
