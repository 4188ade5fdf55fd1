"""The bot's guarded PharmaOne calls: a deadline of their own and readable failures."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient

from bot.runtime import BotRuntime, PharmaOneUnavailable
from bot.settings import BotSettings
from bot.store import Store
from toolkit.errors import InternalServerError, NotFoundError, RateLimitError


@pytest.fixture
def runtime():
    settings = BotSettings(_env_file=None, pharmaone_timeout=0.2, workers=2)
    running = BotRuntime(object(), settings, WebClient(token="xoxb-unused"), Store(":memory:"))
    yield running
    running.shutdown()


def test_a_write_past_the_deadline_does_not_claim_nothing_changed(runtime):
    with pytest.raises(PharmaOneUnavailable) as slow:
        runtime.call(time.sleep, 2, changes=True)
    assert str(slow.value) == (
        "PharmaOne did not answer in 0.2 s; the change may or may not have been made — "
        "check the order before trying again."
    )
    assert slow.value.outcome == "timeout"


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (
            RateLimitError("busy", status_code=429, retry_after=7),
            "rate-limiting the bot; nothing was changed. Try again in 7 s",
        ),
        (
            InternalServerError("boom", status_code=503, request_id="req-1"),
            "internal error (request id req-1)",
        ),
    ],
)
def test_upstream_failures_become_sentences(runtime, error, says):
    def fail():
        raise error

    with pytest.raises(PharmaOneUnavailable, match=r".") as failed:
        runtime.call(fail)
    assert says in str(failed.value)


def test_answers_about_the_request_itself_pass_through_for_the_handler(runtime):
    def missing():
        raise NotFoundError("no such order", status_code=404)

    with pytest.raises(NotFoundError):
        runtime.call(missing)
    assert runtime.call(lambda: 42) == 42
