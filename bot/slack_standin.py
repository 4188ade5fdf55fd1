"""A local stand-in for Slack's Web API and response URLs, for the demo and the tests.

A real HTTP server on 127.0.0.1 (a free port, a background thread) that answers the Web API methods the
bot uses the way Slack does, records every call and every post to a response URL, and hands out fresh
response URLs. Point a `slack_sdk.WebClient(base_url=standin.api_url)` at it. It never records tokens.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEAM_ID = "T0P1DEMO"
BOT_USER_ID = "U0P1BOT"


@dataclass(frozen=True)
class Recorded:
    """One thing the bot sent: a Web API call (`kind="api"`, `name` = method) or a response URL post."""

    kind: str
    name: str
    payload: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def shared(self) -> bool:
        """Whether everyone in the channel sees it (a channel post, an in_channel response or a file)."""
        if self.kind == "api":
            return self.name in ("chat.postMessage", "chat.update", "files.completeUploadExternal")
        return self.payload.get("response_type") == "in_channel"


class SlackStandIn:
    def __init__(
        self, *, usergroups: dict[str, list[str]] | None = None, users: dict[str, str] | None = None
    ):
        self.usergroups = dict(usergroups or {})
        self.users = dict(users or {})  # user id -> display name
        self._records: list[Recorded] = []
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        serve = functools.partial(self._server.serve_forever, poll_interval=0.05)
        self._thread = threading.Thread(target=serve, name="slack-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def new_response_url(self) -> str:
        return f"{self.base_url}/response/{next(self._ids)}"

    # --- what the bot sent ---------------------------------------------------------------------------------

    def records(self, since: int = 0) -> list[Recorded]:
        with self._changed:
            return self._records[since:]

    def calls(self, method: str | None = None) -> list[Recorded]:
        return [r for r in self.records() if r.kind == "api" and (method is None or r.name == method)]

    def responses(self, response_url: str | None = None) -> list[Recorded]:
        return [r for r in self.records() if r.kind == "response" and response_url in (None, r.name)]

    def wait_for(
        self, predicate: Callable[[list[Recorded]], bool], timeout: float = 10.0, since: int = 0
    ) -> list[Recorded]:
        """Block until `predicate(records since `since`)` holds; returns those records (raises on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self._records[since:]):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"Slack stand-in: condition not met in {timeout} s")
                self._changed.wait(remaining)
            return self._records[since:]

    def _record(self, kind: str, name: str, payload: dict[str, Any]) -> None:
        with self._changed:
            self._records.append(Recorded(kind, name, payload))
            self._changed.notify_all()

    # --- Web API answers --------------------------------------------------------------------------------

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        ts = f"{time.time():.6f}"
        if method == "auth.test":
            return {"ok": True, "url": "https://p1-demo.slack.com/", "team": "P1 Demo", "user": "p1",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "B0P1BOT"}  # fmt: skip
        if method == "chat.postMessage":
            return {"ok": True, "channel": channel, "ts": ts, "message": {**params, "ts": ts}}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "usergroups.users.list":
            members = self.usergroups.get(params.get("usergroup", ""))
            if members is None:
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": list(members)}
        if method == "users.info":
            user = params.get("user", "")
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            name = self.users[user]
            return {"ok": True, "user": {"id": user, "name": name, "real_name": name, "tz": "Europe/Berlin"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):08d}"
            return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files") or "[]"
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    return {}


def _handler_for(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the demo owns the terminal
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type = self.headers.get("Content-Type", "")
            if url.path.startswith("/upload/"):
                standin._record("upload", url.path.removeprefix("/upload/"), {"bytes": len(raw)})
                self._send(200, f"OK - {len(raw)}".encode(), "text/plain")
                return
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            params.update(_parse_body(content_type, raw))
            params.pop("token", None)
            if url.path.startswith("/api/"):
                method = url.path.removeprefix("/api/")
                if not (self.headers.get("Authorization") or "").startswith("Bearer xox"):
                    self._send(200, json.dumps({"ok": False, "error": "not_authed"}).encode())
                    return
                standin._record("api", method, params)
                self._send(200, json.dumps(standin.answer(method, params)).encode())
            elif url.path.startswith("/response/"):
                standin._record("response", f"{standin.base_url}{url.path}", params)
                self._send(200, b"ok", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

        do_GET = _handle
        do_POST = _handle

    return Handler
