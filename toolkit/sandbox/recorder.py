"""A bounded log of the requests the sandbox saw: method, path, query, status and JSON body, never headers."""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from toolkit.sandbox.faults import DroppedConnection

REDACTED = "***"
SECRET_QUERY_PARAMS = frozenset({"apikey"})
DROPPED_STATUS = 0  # the status recorded for a dropped connection


class RequestLog:
    def __init__(self, max_entries: int = 5000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=max_entries)
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self, method: str | None = None, path_contains: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            snapshot = list(self._entries)
        return [
            entry
            for entry in snapshot
            if (method is None or entry["method"] == method.upper())
            and (path_contains is None or path_contains in entry["path"])
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _query(raw: bytes) -> dict[str, str]:
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return {name: REDACTED if name.lower() in SECRET_QUERY_PARAMS else value for name, value in pairs}


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return None


class RecorderMiddleware:
    def __init__(self, app: ASGIApp, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        entry: dict[str, Any] = {}

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
            return message

        def record(status: int) -> None:
            entry.update(
                method=scope["method"],
                path=scope["path"],
                query=_query(scope.get("query_string", b"")),
                status=status,
                json=_json(b"".join(chunks)),
            )
            self.log.add(entry)

        async def recording_send(message: Message) -> None:
            # recorded before the answer leaves, so a client that got its answer finds its request in the log
            if message["type"] == "http.response.start" and not entry:
                record(message["status"])
            await send(message)

        try:
            await self.app(scope, recording_receive, recording_send)
        except DroppedConnection:
            if entry:
                entry["status"] = DROPPED_STATUS
            else:
                record(DROPPED_STATUS)
            raise
        finally:
            if not entry:  # the app failed before answering (the server then answers 500)
                record(500)
