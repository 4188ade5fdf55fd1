"""`Sandbox`: a seeded PharmaOne served by uvicorn on 127.0.0.1 in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import uvicorn

from toolkit.sandbox.app import build_app
from toolkit.sandbox.auth import KeyRing
from toolkit.sandbox.db import Database
from toolkit.sandbox.faults import Conditions, Faults
from toolkit.sandbox.recorder import RequestLog
from toolkit.sandbox.routes import SHOP_PROXY
from toolkit.sandbox.seed import seed_database
from toolkit.sandbox.state import SandboxState
from toolkit.sandbox.timefmt import utcnow
from toolkit.sandbox.webhooks import WebhookDispatcher

DEFAULT_ORG = "org1"
DEFAULT_SHOP = "shop1"
STARTUP_TIMEOUT_SECONDS = 15.0

WebhookSpec = tuple[str, str] | Mapping[str, Any]


class Sandbox:
    """A faithful PharmaOne Manager API on 127.0.0.1, seeded deterministically for (seed, orders, now).

    `with Sandbox() as sb:` starts it on a free port (or `port`) and stops it on exit. The database is in
    memory unless `db` names a file; an existing file is reused as it is (not seeded again).
    `webhooks` are (url, secret) pairs or {"url", "secret", "events"} mappings.
    """

    def __init__(
        self,
        seed: int = 7,
        orders: int = 400,
        db: str | None = None,
        port: int = 0,
        now: datetime | None = None,
        latency_ms: float = 0,
        error_rate: float = 0.0,
        rate_limit_rate: float = 0.0,
        retry_after: int = 1,
        drop_rate: float = 0.0,
        token_ttl: int = 3600,
        webhooks: Iterable[WebhookSpec] = (),
        webhook_retry_delays: Iterable[float] = (0.5, 2.0, 5.0),
    ) -> None:
        if orders < 0:
            raise ValueError(f"orders must not be negative, got {orders}")
        self.seed, self.orders, self.db_path, self.port = seed, orders, db, port
        self.now = (now if now.tzinfo else now.replace(tzinfo=UTC)) if now else utcnow()  # naive means UTC
        self._conditions = Conditions(
            latency_ms, error_rate, rate_limit_rate, retry_after, drop_rate, token_ttl
        )
        self._conditions.validate()
        self._webhook_specs = list(webhooks)
        self._retry_delays = tuple(webhook_retry_delays)
        self._state: SandboxState | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._log = RequestLog()
        #: After start(): True if this start seeded the database, False if it reused a --db file.
        self.seeded = False

    # --- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._thread is not None:
            raise RuntimeError("this sandbox is already running")
        db = Database(self.db_path)
        self.seeded = db.is_empty()
        if self.seeded:
            seed_database(db, seed=self.seed, orders=self.orders, now=self.now)
        db.create_indexes()
        org_ids = [row["org_id"] for row in db.query("SELECT org_id FROM orgs ORDER BY org_id")]
        self._state = SandboxState(
            db=db,
            keys=KeyRing(self.seed, org_ids),
            faults=Faults(self._conditions, self.seed),
            webhooks=WebhookDispatcher(db, self._retry_delays),
            shop_orgs={
                row["shop_id"]: row["org_id"]
                for row in db.query("SELECT shop_id, org_id FROM shops ORDER BY rowid")
            },
        )
        try:
            self._subscribe_and_serve()
        except BaseException:
            self.stop()  # nothing half-started stays behind (database, webhook thread)
            raise
        return self

    def _subscribe_and_serve(self) -> None:
        for spec in self._webhook_specs:
            if isinstance(spec, Mapping):
                self.add_webhook(
                    spec["url"], spec["secret"], spec.get("events"), spec.get("org_id", DEFAULT_ORG)
                )
            else:
                self.add_webhook(*spec)
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP; without it
        # Nagle holds each response body until the client's delayed ACK, ~40 ms per request.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", self.port))
        except OSError:
            listener.close()
            raise
        self.port = listener.getsockname()[1]
        config = uvicorn.Config(
            build_app(self._state, self._log),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            timeout_keep_alive=60,  # like a gateway: idle pooled client connections are not cut after 5 s
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [listener]}, name="pharmaone-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox did not start on 127.0.0.1:{self.port}")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._state is not None:
            self._state.webhooks.close()
            self._state.db.close()
        self._server = self._thread = self._state = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._thread else "stopped"
        return f"Sandbox(seed={self.seed}, orders={self.orders}, {where})"

    @property
    def state(self) -> SandboxState:
        if self._state is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with Sandbox() as sb:`")
        return self._state

    # --- where and with what to connect ------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def shop_urls(self) -> dict[str, str]:
        """The shop-proxy base URL of every shop: `{url}/api/v1/external-order` takes telemedicine orders."""
        return {
            shop_id: self.base_url + SHOP_PROXY.format(shop_id=shop_id) for shop_id in self.state.shop_orgs
        }

    @property
    def shop_url(self) -> str:
        return self.base_url + SHOP_PROXY.format(shop_id=DEFAULT_SHOP)

    @property
    def org_id(self) -> str:
        return DEFAULT_ORG

    @property
    def api_keys(self) -> dict[str, str]:
        """The full-scope key of each org (derived from the seed, so stable across restarts)."""
        return dict(self.state.keys.default_keys)

    @property
    def api_key(self) -> str:
        return self.state.keys.default_keys[DEFAULT_ORG]

    def create_key(self, org_id: str = DEFAULT_ORG, scopes: Iterable[str] | None = None) -> str:
        """A new key of `org_id` whose tokens carry `scopes` (None: all ten)."""
        return self.state.keys.create(org_id, None if scopes is None else tuple(scopes))

    def revoke_key(self, key: str) -> None:
        self.state.keys.revoke(key)

    # --- bad days ------------------------------------------------------------------------------------------

    def configure(self, **conditions: float) -> None:
        """Changes latency_ms, error_rate, rate_limit_rate, retry_after, drop_rate or token_ttl at runtime."""
        self.state.faults.configure(**conditions)

    def fail_next(
        self,
        n: int,
        status: int = 503,
        retry_after: int | None = None,
        path_contains: str | None = None,
        *,
        after_handler: bool = False,
    ) -> None:
        """The next `n` requests (whose path contains `path_contains`) fail with `status`.

        `status=0` drops the connection instead. `after_handler=True` lets the request take effect first and
        loses only its answer (the case that makes retries dangerous).
        """
        self.state.faults.fail_next(n, status, retry_after, path_contains, after_handler)

    # --- looking inside ------------------------------------------------------------------------------------

    def received(self, method: str | None = None, path_contains: str | None = None) -> list[dict[str, Any]]:
        """Requests seen, oldest first: {method, path, query, status, json}; status 0 = connection dropped."""
        return self._log.entries(method, path_contains)

    def clear_received(self) -> None:
        self._log.clear()

    def query(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        return self.state.db.query(sql, *params)

    # --- webhooks --------------------------------------------------------------------------------------

    def add_webhook(
        self, url: str, secret: str, events: Iterable[str] | None = None, org_id: str = DEFAULT_ORG
    ) -> None:
        self.state.webhooks.subscribe(url, secret, events, org_id)

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """One row per delivery: delivery_id, event_id, event_type, url, body (the envelope), status
        (pending / retrying / delivered / failed), attempts, last_status_code, last_error."""
        return self.state.webhooks.deliveries()

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Waits until every queued delivery (retries included) is done; False on timeout."""
        return self.state.webhooks.wait_idle(timeout)

    def send_test_event(self, org_id: str = DEFAULT_ORG) -> str:
        """Like the Manager's "Send test event" button: one `webhook_test` event to every subscription."""
        return self.state.webhooks.send_test_event(org_id)
