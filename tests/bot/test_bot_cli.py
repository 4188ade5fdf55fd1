"""`p1 audit` and `p1 bot`'s start-up checks, through the real console script's typer app."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from bot.cli import app
from bot.store import Store

runner = CliRunner()


def test_audit_prints_the_latest_entries(tmp_path):
    db = tmp_path / "bot.sqlite3"
    store = Store(str(db))
    store.audit(
        user_id="U0ANNA",
        channel_id="C0PH",
        command="status",
        arguments={"order_id": "ORD_20260614_a1b2c3"},
        decision="denied",
        result="not an operator",
    )
    entry = store.audit(
        user_id="U0BEN",
        channel_id="C0PH",
        command="status",
        arguments={"status": "ready_pickup"},
        decision="allowed",
    )
    store.audit_result(entry, "ok", request_id="req-42")
    store.close()

    result = runner.invoke(app, ["audit", "--db", str(db), "--limit", "5"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    ben = next(i for i, line in enumerate(lines) if "U0BEN" in line)
    anna = next(i for i, line in enumerate(lines) if "U0ANNA" in line)
    assert ben < anna  # newest first
    assert "req-42" in lines[ben] and "allowed" in lines[ben] and "denied" in lines[anna]

    only_one = runner.invoke(app, ["audit", "--db", str(db), "--limit", "1"], env={"COLUMNS": "200"})
    assert "U0BEN" in only_one.output and "U0ANNA" not in only_one.output


def test_audit_without_a_database_says_where_it_looked(tmp_path):
    result = runner.invoke(app, ["audit", "--db", str(tmp_path / "none.sqlite3")], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "No audit log at" in result.output and "P1_BOT_DB" in result.output
    assert not (tmp_path / "none.sqlite3").exists()


def test_bot_names_missing_variables_before_connecting(tmp_path, monkeypatch, no_settings_in_env):
    monkeypatch.chdir(tmp_path)  # no .env here
    socket_mode = runner.invoke(app, ["bot"], env={"COLUMNS": "300"})
    assert socket_mode.exit_code == 2
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY", "--sandbox"):
        assert name in socket_mode.output

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-set")
    http_sandbox = runner.invoke(app, ["bot", "--http", "--sandbox"], env={"COLUMNS": "300"})
    assert http_sandbox.exit_code == 2
    assert "SLACK_SIGNING_SECRET" in http_sandbox.output and "P1_API_KEY" not in http_sandbox.output


def test_every_option_of_the_bot_commands_is_explained_with_an_example():
    for command, options in {
        "bot": ["--http", "--port", "--host", "--sandbox"],
        "demo": ["--seed", "--orders"],
        "audit": ["--limit", "--db"],
    }.items():
        text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
        for option in options:
            line = next(line for line in text.splitlines() if re.match(rf"│\s+{option}\s", line))
            assert "e.g." in line, line


def test_socket_mode_gets_the_app_and_the_app_token(monkeypatch, tmp_path):
    """`p1 bot --sandbox` wiring: the real app goes to Bolt's Socket Mode handler with SLACK_APP_TOKEN."""
    import slack_bolt.adapter.socket_mode as socket_mode

    from bot.runner import run_bot
    from bot.settings import BotSettings
    from bot.slack_standin import SlackStandIn

    started = {}

    class RecordingHandler:
        def __init__(self, app, app_token):
            started.update(app=app, app_token=app_token)

        def start(self):
            started["listeners"] = [type(listener).__name__ for listener in started["app"]._listeners]

    monkeypatch.setattr(socket_mode, "SocketModeHandler", RecordingHandler)
    with SlackStandIn() as standin:
        settings = BotSettings(
            _env_file=None,
            slack_bot_token="xoxb-t",
            slack_app_token="xapp-1-socket",
            slack_api_url=standin.api_url,
            bot_db=str(tmp_path / "bot.sqlite3"),
        )
        run_bot(sandbox=True, settings=settings)
        assert [call.name for call in standin.calls()] == ["auth.test"]  # the token was checked first
    assert started["app_token"] == "xapp-1-socket"
    assert len(started["listeners"]) == 5  # /p1 and the four buttons/menus
