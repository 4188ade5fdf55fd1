"""The bot's own worker pool and its guarded calls to PharmaOne.

Bolt's listeners only parse and ack; the slow work runs here, on a bounded pool of the bot's own, so a slow
PharmaOne can never starve Bolt of threads to ack new commands. Each PharmaOne call gets its own deadline
(`P1_BOT_TIMEOUT`, default 10 s), and failures that say nothing about the request itself (PharmaOne slow,
down, rate-limiting, refusing the bot's key) become `PharmaOneUnavailable` with a sentence for the user.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_sdk import WebClient

from bot.policy import Policy
from bot.settings import BotSettings
from bot.store import Store
from toolkit.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


class PharmaOneUnavailable(Exception):
    """PharmaOne could not serve a call; `str(exc)` is the answer for the user."""

    def __init__(self, message: str, request_id: str | None = None, outcome: str = "unavailable") -> None:
        super().__init__(message)
        self.request_id = request_id
        self.outcome = outcome


def _unavailable(exc: Exception, seconds: float, changes: bool) -> PharmaOneUnavailable | None:
    unchanged = "the change may or may not have been made" if changes else "nothing was changed"
    check = " — check the order before trying again." if changes else "."
    request_id = getattr(exc, "request_id", None)
    if isinstance(exc, (TimeoutError, APITimeoutError)):
        return PharmaOneUnavailable(
            f"PharmaOne did not answer in {seconds:g} s; {unchanged}{check}", outcome="timeout"
        )
    if isinstance(exc, OutcomeUnknownError):
        return PharmaOneUnavailable(
            f"The connection to PharmaOne broke; {unchanged}{check}", outcome="unknown"
        )
    if isinstance(exc, APIConnectionError):
        return PharmaOneUnavailable(
            "PharmaOne could not be reached; nothing was changed. Try again in a minute."
        )
    if isinstance(exc, RateLimitError):
        wait = f"{exc.retry_after:g} s" if exc.retry_after else "a minute"
        return PharmaOneUnavailable(
            f"PharmaOne is rate-limiting the bot; nothing was changed. Try again in {wait}.", request_id
        )
    if isinstance(exc, InternalServerError):
        ref = f" (request id {request_id})" if request_id else ""
        return PharmaOneUnavailable(
            f"PharmaOne had an internal error{ref}; nothing was changed. Try again in a minute.", request_id
        )
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return PharmaOneUnavailable(
            f"PharmaOne refused the bot's API key ({exc.error or exc.status_code}); nothing was changed. "
            "Ask whoever runs the bot to check P1_API_KEY.",
            request_id,
        )
    return None


class BotRuntime:
    """What every command handler needs: PharmaOne, Slack, settings, policy, store and the worker pool."""

    def __init__(self, p1: Any, settings: BotSettings, slack_client: WebClient, store: Store) -> None:
        self.p1 = p1
        self.settings = settings
        self.slack = slack_client
        self.store = store
        self.policy = Policy(settings, slack_client)
        self._pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="p1-bot")
        self._pending = 0
        self._idle = threading.Condition()
        self._remembered: dict[str, tuple[float, Any]] = {}
        self._remembered_lock = threading.Lock()

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run `job(*args)` on the bot's pool; exceptions are logged (the job answers the user itself)."""
        with self._idle:
            self._pending += 1
        future = self._pool.submit(job, *args)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[Any]) -> None:
        if future.exception() is not None:
            log.error("bot job failed", exc_info=future.exception())
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every submitted job has finished (the demo waits before it shows the answers)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def call(self, fn: Callable[..., T], *args: Any, changes: bool = False, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` against PharmaOne, given up after the bot's deadline.

        Raises `PharmaOneUnavailable` when PharmaOne is slow, down or refusing the bot; other errors (not
        found, conflict, bad request) pass through for the handler to explain.
        """
        seconds = self.settings.pharmaone_timeout
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["value"] = fn(*args, **kwargs)
            except BaseException as exc:
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="p1-call", daemon=True)
        worker.start()
        worker.join(seconds)
        if worker.is_alive():
            raise _unavailable(TimeoutError(), seconds, changes)  # type: ignore[misc]
        if "error" in outcome:
            error = outcome["error"]
            translated = _unavailable(error, seconds, changes)
            if translated is not None:
                raise translated from error
            raise error
        return outcome["value"]

    def remember(self, key: str, seconds: float, compute: Callable[[], T]) -> T:
        """`compute()`, reused for `seconds` (for what rarely changes, like the shop list)."""
        with self._remembered_lock:
            kept = self._remembered.get(key)
            if kept and time.monotonic() - kept[0] < seconds:
                return kept[1]
        value = compute()
        with self._remembered_lock:
            self._remembered[key] = (time.monotonic(), value)
        return value

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
