"""The poster: posts each recorded delivery once, through Slack outages, crashes and several replicas."""

from __future__ import annotations

import socket
from datetime import timedelta

from slack_sdk import WebClient
from webhook_helpers import wait_until

from bot.store import Store


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_slack() -> WebClient:
    """A client for a Slack that is down, without the SDK's own retry (the poster's are under test)."""
    return WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{unused_port()}/api/", retry_handlers=[])


def record(relay, delivery_id: str, text: str | None = None) -> None:
    relay.deliveries.record(
        delivery_id=delivery_id,
        event_id=f"event-{delivery_id}",
        event_type="order_deleted",
        body_sha256=f"sha-{delivery_id}",
        channel="C0ORDERS",
        message={"text": text or f"post {delivery_id}"},
    )
    relay.poster.wake()


def state(relay, delivery_id: str) -> str:
    return relay.deliveries.get(delivery_id)["state"]


def test_posts_wait_out_a_slack_outage_and_then_go_out_once(make_relay, slack):
    client = unreachable_slack()
    relay = make_relay(client=client, start=True, retry_delays=(0.2, 1.0, 5.0, 10.0))  # time to come back
    record(relay, "d-outage")
    wait_until(lambda: relay.deliveries.get("d-outage")["attempts"] >= 1, what="a first attempt")
    wait_until(lambda: state(relay, "d-outage") == "pending", what="the retry to be scheduled")
    assert "talking to Slack" in relay.deliveries.get("d-outage")["reason"]
    client.base_url = slack.api_url  # Slack is back
    wait_until(lambda: state(relay, "d-outage") == "posted", what="the post after the outage")
    assert [post["text"] for post in slack.posts()] == ["post d-outage"]


def test_the_poster_gives_up_after_its_retries(make_relay, slack):
    relay = make_relay(client=unreachable_slack(), start=True)
    record(relay, "d-down")
    wait_until(lambda: state(relay, "d-down") == "failed", what="the poster to give up")
    assert relay.deliveries.get("d-down")["attempts"] == 4  # the first try and three retries (FAST_RETRIES)


def test_an_error_no_retry_can_fix_fails_at_once(make_relay, slack):
    relay = make_relay(client=WebClient(token="not-a-slack-token", base_url=slack.api_url), start=True)
    record(relay, "d-auth")
    wait_until(lambda: state(relay, "d-auth") == "failed", what="the failure")
    row = relay.deliveries.get("d-auth")
    assert (row["attempts"], row["reason"]) == (1, "slack: not_authed")
    assert slack.posts() == []


def test_posts_left_behind_by_a_crashed_run_are_posted_after_a_restart(make_relay, slack, tmp_path):
    db = str(tmp_path / "bot.sqlite3")
    crashed = make_relay(store=Store(db))
    record(crashed, "d-1")
    record(crashed, "d-2")
    crashed.deliveries.claim_due(lease=timedelta(0), limit=1)  # one claimed, then the process died mid-post
    assert crashed.deliveries.counts() == {"pending": 1, "posting": 1}
    restarted = make_relay(store=Store(db), start=True)
    wait_until(lambda: restarted.deliveries.counts() == {"posted": 2}, what="both posts")
    assert sorted(post["text"] for post in slack.posts()) == ["post d-1", "post d-2"]


def test_replicas_sharing_one_store_post_each_delivery_once(make_relay, slack, tmp_path):
    db = str(tmp_path / "bot.sqlite3")
    replicas = [make_relay(store=Store(db), start=True) for _ in range(2)]
    for number in range(20):
        record(replicas[number % 2], f"d-{number}")
    wait_until(lambda: replicas[0].deliveries.counts() == {"posted": 20}, what="all posts")
    texts = [post["text"] for post in slack.posts()]
    assert sorted(texts) == sorted(f"post d-{number}" for number in range(20))
