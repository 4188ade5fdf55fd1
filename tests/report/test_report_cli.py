"""`p1 report`: the terminal table, the chart file, posting only when asked, clear refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.slack_standin import SlackStandIn

#: Every variable the command could read, unset, so the machine's environment does not leak in.
CLEAN = {name: None for name in ("P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY", "P1_SHOP_URL", "SLACK_BOT_TOKEN")}


def run(*args: str, **env: str):
    return CliRunner().invoke(app, ["report", *args], env={**CLEAN, **env})


def test_prints_the_report_and_writes_the_chart(tmp_path) -> None:
    out = tmp_path / "report.png"
    day = date.today() - timedelta(days=1)
    result = run("--sandbox", "--date", f"{day:%Y-%m-%d}", "--out", str(out), COLUMNS="120")
    assert result.exit_code == 0, result.output
    assert f"Daily report {day:%a %d.%m.%Y}" in result.output
    for heading in ("Orders and revenue", "Average of the 7 days before", "Prescriptions:", "Low stock"):
        assert heading in result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Posted" not in result.output


def test_posts_only_when_asked(tmp_path) -> None:
    with SlackStandIn() as standin:
        result = run(
            "--sandbox", "--post", "C0REPORTS", SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=standin.api_url
        )
        assert result.exit_code == 0, result.output
        names = [r.name for r in standin.records() if r.kind == "api"]
        assert names == ["chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal"]
        assert "Posted to C0REPORTS." in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sandbox", "--date", "2026-02-30"), "not a date: use YYYY-MM-DD"),
        (("--sandbox", "--date", "2999-01-01"), "is in the future"),
        (("--sandbox", "--date", "2001-01-01"), "before the data begins"),
        (("--sandbox", "--tz", "Mars/Olympus"), "unknown time zone"),
        (("--sandbox", "--post", "C0REPORTS"), "--post needs SLACK_BOT_TOKEN"),
        ((), "--sandbox"),
    ],
)
def test_bad_input_gets_a_clear_message(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
