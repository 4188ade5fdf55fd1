"""The report's Slack side against the local stand-in of Slack's Web API (files_upload_v2 included)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from report_frames import CUSTOMERS, sample_report
from slack_sdk import WebClient

from bot.privacy import find_patient_data
from bot.report_post import failure_message, post_failure, post_report, report_message
from bot.slack_standin import SlackStandIn
from toolkit.report import render_chart


@pytest.fixture
def standin():
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def slack(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test-token", base_url=standin.api_url)


def test_blocks_carry_the_figures_and_no_patient_data() -> None:
    report = sample_report()
    message = report_message(report)
    assert len(message["blocks"]) <= 50
    known = [value for customer in CUSTOMERS for value in customer]
    assert find_patient_data(message, known=known) == []
    dumped = json.dumps(message)
    for value in known:
        assert value not in dumped
    assert f"{report.totals.orders:,.0f}" in message["blocks"][1]["fields"][0]["text"]
    assert f"€{report.totals.revenue:,.2f}" in message["text"]
    assert "Demo Shop DEV" in dumped and "Flos 4" in dumped  # shops and products are shown
    assert "Flos 0 (" in dumped  # out of stock, with its p1_id


def test_post_report_sends_summary_then_chart_through_files_upload_v2(standin, slack) -> None:
    report = sample_report()
    png = render_chart(report)
    ts = post_report(slack, "C0REPORTS", report, png)

    names = [r.name for r in standin.records() if r.kind == "api"]
    assert names == ["chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal"]
    message = standin.calls("chat.postMessage")[0].payload
    assert message["channel"] == "C0REPORTS" and ts
    assert message["blocks"] == report_message(report)["blocks"]
    url_request = standin.calls("files.getUploadURLExternal")[0].payload
    assert url_request["filename"] == "p1-report-2026-06-14.png" and int(url_request["length"]) == len(png)
    uploads = [r for r in standin.records() if r.kind == "upload"]
    assert len(uploads) == 1 and uploads[0].payload["bytes"] == len(png)
    complete = standin.calls("files.completeUploadExternal")[0].payload
    assert complete["channel_id"] == "C0REPORTS"
    files = complete["files"]
    assert (json.loads(files) if isinstance(files, str) else files)[0]["title"].startswith(
        "Orders and revenue by shop"
    )
    known = [value for customer in CUSTOMERS for value in customer]
    assert find_patient_data([r.payload for r in standin.records()], known=known) == []


def test_failure_notice_names_the_day_the_reason_and_the_retry(standin, slack) -> None:
    retry = datetime(2026, 6, 15, 6, 0, tzinfo=UTC)
    post_failure(
        slack, "C0REPORTS", date(2026, 6, 14), "PharmaOne could not be reached.", retry, "Europe/Berlin"
    )
    text = standin.calls("chat.postMessage")[0].payload["text"]
    assert "Sun 14.06.2026" in text and "PharmaOne could not be reached." in text and "08:00 CEST" in text
    assert (
        "not be tried again" in failure_message(date(2026, 6, 14), "no data", None, "Europe/Berlin")["text"]
    )
