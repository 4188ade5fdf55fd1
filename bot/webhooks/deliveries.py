"""The relay's record of every delivery, in the bot's SQLite store: the de-duplication key and the outbox.

A delivery is recorded (with the Slack message it should produce, if any) before the receiver answers 2xx;
the poster then claims due rows, posts them and marks them posted. A redelivery finds its row and adds
nothing. Rows keep ids, types and states only, never a body, so the table holds no patient data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_relay (
    delivery_id TEXT PRIMARY KEY,       -- X-PharmaOne-Delivery-Id
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,          -- tells a true redelivery from a reused id
    received_at TEXT NOT NULL,          -- ISO-8601 UTC, as every time here
    state TEXT NOT NULL,                -- pending / posting / posted / skipped / failed
    reason TEXT,                        -- why skipped, or the last posting error
    channel TEXT,
    message TEXT,                       -- JSON {text, blocks} to post
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at TEXT,                        -- pending: next attempt; posting: end of the claim
    posted_at TEXT,
    slack_ts TEXT
);
CREATE INDEX IF NOT EXISTS webhook_relay_due ON webhook_relay (state, due_at);
CREATE INDEX IF NOT EXISTS webhook_relay_event ON webhook_relay (event_id);
"""


class Recorded(StrEnum):
    ACCEPTED = "accepted"  # new delivery, recorded
    DUPLICATE = "duplicate"  # the same delivery (or event) again: nothing new
    CONFLICT = "conflict"  # a known delivery id with a different body: refused


class State(StrEnum):
    PENDING = "pending"
    POSTING = "posting"
    POSTED = "posted"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Post:
    """A claimed message to post."""

    delivery_id: str
    channel: str
    message: dict[str, Any]
    attempts: int  # including this one


def _now() -> str:
    return _iso(datetime.now(UTC))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Read-then-write atomically, also against other processes sharing the file (several replicas)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class DeliveryLog:
    def __init__(self, store: Store) -> None:
        self._store = store
        store.ensure_schema(SCHEMA)

    def record(
        self,
        *,
        delivery_id: str,
        event_id: str,
        event_type: str,
        body_sha256: str,
        channel: str | None = None,
        message: dict[str, Any] | None = None,
        skip_reason: str | None = None,
    ) -> Recorded:
        """Record a verified delivery: pending when there is a message for a channel, else skipped.

        An event that came before under another delivery id (two subscriptions to this receiver) is
        recorded as skipped, so each event is posted once.
        """
        with self._store.connection() as conn, _transaction(conn):
            known = conn.execute(
                "SELECT body_sha256 FROM webhook_relay WHERE delivery_id = ?", (delivery_id,)
            ).fetchone()
            if known is not None:
                return Recorded.DUPLICATE if known["body_sha256"] == body_sha256 else Recorded.CONFLICT
            earlier = conn.execute(
                "SELECT delivery_id FROM webhook_relay WHERE event_id = ? LIMIT 1", (event_id,)
            ).fetchone()
            if earlier is not None:
                skip_reason = f"event {event_id} already received in delivery {earlier['delivery_id']}"
            postable = channel is not None and message is not None and skip_reason is None
            now = _now()
            conn.execute(
                "INSERT INTO webhook_relay (delivery_id, event_id, event_type, body_sha256, received_at,"
                " state, reason, channel, message, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    delivery_id,
                    event_id,
                    event_type,
                    body_sha256,
                    now,
                    State.PENDING if postable else State.SKIPPED,
                    None if postable else (skip_reason or "no channel for this event type"),
                    channel if postable else None,
                    json.dumps(message) if postable else None,
                    now if postable else None,
                ),
            )
        return Recorded.DUPLICATE if earlier is not None else Recorded.ACCEPTED

    def claim_due(self, lease: timedelta, limit: int = 20) -> list[Post]:
        """Claim due posts in the order received (and posts whose earlier claim ran out, e.g. in a crash)."""
        now = datetime.now(UTC)
        with self._store.connection() as conn, _transaction(conn):
            rows = conn.execute(
                "SELECT delivery_id, channel, message, attempts FROM webhook_relay"
                " WHERE state IN (?, ?) AND due_at <= ? ORDER BY rowid LIMIT ?",
                (State.PENDING, State.POSTING, _iso(now), limit),
            ).fetchall()
            conn.executemany(
                "UPDATE webhook_relay SET state = ?, due_at = ?, attempts = attempts + 1"
                " WHERE delivery_id = ?",
                [(State.POSTING, _iso(now + lease), row["delivery_id"]) for row in rows],
            )
        return [
            Post(row["delivery_id"], row["channel"], json.loads(row["message"]), row["attempts"] + 1)
            for row in rows
        ]

    def mark_posted(self, delivery_id: str, slack_ts: str | None) -> None:
        self._store.execute(
            "UPDATE webhook_relay SET state = ?, posted_at = ?, slack_ts = ?, due_at = NULL, reason = NULL"
            " WHERE delivery_id = ?",
            (State.POSTED, _now(), slack_ts, delivery_id),
        )

    def mark_retry(self, delivery_id: str, reason: str, delay: timedelta) -> None:
        self._store.execute(
            "UPDATE webhook_relay SET state = ?, reason = ?, due_at = ? WHERE delivery_id = ?",
            (State.PENDING, reason, _iso(datetime.now(UTC) + delay), delivery_id),
        )

    def mark_failed(self, delivery_id: str, reason: str) -> None:
        self._store.execute(
            "UPDATE webhook_relay SET state = ?, reason = ?, due_at = NULL WHERE delivery_id = ?",
            (State.FAILED, reason, delivery_id),
        )

    def next_due(self) -> datetime | None:
        """When the next pending or claimed post falls due (None when there is none)."""
        rows = self._store.query(
            "SELECT MIN(due_at) AS due FROM webhook_relay WHERE state IN (?, ?)",
            (State.PENDING, State.POSTING),
        )
        return datetime.fromisoformat(rows[0]["due"]) if rows and rows[0]["due"] else None

    def get(self, delivery_id: str) -> dict[str, Any] | None:
        rows = self._store.query("SELECT * FROM webhook_relay WHERE delivery_id = ?", (delivery_id,))
        return rows[0] if rows else None

    def counts(self) -> dict[str, int]:
        """How many deliveries are in each state."""
        rows = self._store.query("SELECT state, COUNT(*) AS n FROM webhook_relay GROUP BY state")
        return {row["state"]: row["n"] for row in rows}
