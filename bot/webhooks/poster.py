"""Posts recorded deliveries to Slack from a thread of its own, so the receiver answers PharmaOne at once.

Each post is claimed in the store first (a claim that is not finished in time, e.g. after a crash, falls due
again), posted with `chat.postMessage`, then marked posted. Failures are retried with growing delays; errors
that no retry can fix (unknown channel, bad token) end the delivery as failed, logged with the reason.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.webhooks.deliveries import DeliveryLog, Post

log = logging.getLogger(__name__)

#: Slack errors a retry cannot fix.
PERMANENT_SLACK_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "invalid_blocks",
        "msg_too_long",
        "restricted_action",
    }
)
RETRY_DELAYS = (1.0, 5.0, 30.0, 120.0, 600.0)  # seconds after the 1st, 2nd... failed attempt


class SlackPoster:
    def __init__(
        self,
        deliveries: DeliveryLog,
        client: WebClient,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        lease: timedelta = timedelta(seconds=90),  # longer than a post can take (the SDK's timeout: 30 s)
        idle_wait: float = 30.0,
    ) -> None:
        self._deliveries = deliveries
        self._client = client
        self._retry_delays = tuple(retry_delays)
        self._lease = lease
        self._idle_wait = idle_wait
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start posting in the background (posts left pending by an earlier run go first)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="p1-webhook-poster", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Something new was recorded: post it now rather than at the next scheduled look."""
        self._wake.set()

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def post_due(self) -> int:
        """Post every message that is due now; returns how many were posted."""
        posted = 0
        while not self._stop.is_set():
            batch = self._deliveries.claim_due(self._lease)
            if not batch:
                return posted
            posted += sum(self._post(post) for post in batch)
        return posted

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.post_due()
            except Exception:  # the store or the client broke unexpectedly: keep the thread alive
                log.exception("webhook poster: unexpected error; trying again later")
            self._wake.wait(self._seconds_to_next_due())
            self._wake.clear()

    def _seconds_to_next_due(self) -> float:
        due = self._deliveries.next_due()
        if due is None:
            return self._idle_wait
        return min(self._idle_wait, max(0.05, (due - datetime.now(UTC)).total_seconds()))

    def _post(self, post: Post) -> bool:
        try:
            response = self._client.chat_postMessage(channel=post.channel, **post.message)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            retry_after = exc.response.headers.get("Retry-After") if error == "ratelimited" else None
            self._failed(
                post, f"slack: {error}", permanent=error in PERMANENT_SLACK_ERRORS, retry_after=retry_after
            )
            return False
        except Exception as exc:  # transport: connection refused, timeout, DNS...
            self._failed(post, f"{type(exc).__name__} talking to Slack", permanent=False, retry_after=None)
            return False
        self._deliveries.mark_posted(post.delivery_id, response.get("ts"))
        log.info("webhook %s posted to %s", post.delivery_id, post.channel)
        return True

    def _failed(self, post: Post, reason: str, *, permanent: bool, retry_after: str | None) -> None:
        if permanent or post.attempts > len(self._retry_delays):
            self._deliveries.mark_failed(post.delivery_id, reason)
            log.error("webhook %s not posted to %s: %s (gave up)", post.delivery_id, post.channel, reason)
            return
        delay = self._retry_delays[post.attempts - 1]
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        self._deliveries.mark_retry(post.delivery_id, reason, timedelta(seconds=delay))
        log.warning("webhook %s: %s; retrying in %.0fs", post.delivery_id, reason, delay)
