"""The bot's SQLite store: the audit log here; other areas add their own tables with `ensure_schema`.

One connection shared by the bot's threads behind a lock (SQLite serialises writers anyway); a file path
from the settings (`P1_BOT_DB`) or ":memory:" for tests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,              -- ISO-8601 UTC
    user_id TEXT NOT NULL,
    channel_id TEXT,
    command TEXT NOT NULL,         -- e.g. "status", "show_customer"
    arguments TEXT NOT NULL,       -- JSON object
    decision TEXT NOT NULL,        -- allowed / denied / cancelled
    result TEXT,                   -- ok / refused / timeout / error: ...; NULL while pending
    request_id TEXT                -- PharmaOne's request id when it gave one
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
"""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user_id: str
    channel_id: str | None
    command: str
    arguments: dict[str, Any]
    decision: str
    result: str | None
    request_id: str | None


class Store:
    """Thread-safe access to the bot's SQLite database."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self.ensure_schema(AUDIT_SCHEMA)

    def ensure_schema(self, ddl: str) -> None:
        """Create tables and indexes if they do not exist yet (use `IF NOT EXISTS` in `ddl`)."""
        with self._lock:
            self._conn.executescript(ddl)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The shared connection, held exclusively for the `with` block (autocommit mode)."""
        with self._lock:
            yield self._conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the last row id."""
        with self._lock:
            return self._conn.execute(sql, params).lastrowid or 0

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, params).fetchall()]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- audit log -------------------------------------------------------------------------------------

    def audit(
        self,
        *,
        user_id: str,
        channel_id: str | None,
        command: str,
        arguments: dict[str, Any],
        decision: str,
        result: str | None = None,
        request_id: str | None = None,
    ) -> int:
        """Record one change attempt; returns its id, for `audit_result` to fill in the outcome."""
        return self.execute(
            "INSERT INTO audit_log"
            " (at, user_id, channel_id, command, arguments, decision, result, request_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="milliseconds"),
                user_id,
                channel_id,
                command,
                json.dumps(arguments, sort_keys=True),
                decision,
                result,
                request_id,
            ),
        )

    def audit_result(self, entry_id: int, result: str, request_id: str | None = None) -> None:
        self.execute(
            "UPDATE audit_log SET result = ?, request_id = COALESCE(?, request_id) WHERE id = ?",
            (result, request_id, entry_id),
        )

    def latest_audit(self, limit: int = 20) -> list[AuditEntry]:
        rows = self.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        return [
            AuditEntry(
                id=row["id"],
                at=datetime.fromisoformat(row["at"]),
                user_id=row["user_id"],
                channel_id=row["channel_id"],
                command=row["command"],
                arguments=json.loads(row["arguments"]),
                decision=row["decision"],
                result=row["result"],
                request_id=row["request_id"],
            )
            for row in rows
        ]
