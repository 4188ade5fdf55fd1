"""`p1 sandbox` as a user runs it: a real process that prints how to connect, serves, and stops on Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from toolkit.cli import app


def test_p1_sandbox_prints_the_connection_and_serves_until_interrupted() -> None:
    p1 = Path(sys.executable).with_name("p1")
    process = subprocess.Popen(
        [str(p1), "sandbox", "--port", "0", "--orders", "25", "--latency-ms", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        exports: dict[str, str] = {}
        deadline = time.monotonic() + 60
        while len(exports) < 4 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            match = re.match(r"^export (P1_\w+)=(\S+)$", line.strip())
            if match:
                exports[match[1]] = match[2]
        assert set(exports) == {"P1_BASE_URL", "P1_ORG_ID", "P1_API_KEY", "P1_SHOP_URL"}, (
            process.stderr.read()
        )
        assert exports["P1_ORG_ID"] == "org1" and exports["P1_SHOP_URL"].startswith(exports["P1_BASE_URL"])
        token = httpx.post(
            f"{exports['P1_BASE_URL']}/api/v2/public/orgs/org1/auth/token",
            headers={"apikey": exports["P1_API_KEY"]},
        ).json()["access_token"]
        orders = httpx.get(
            f"{exports['P1_BASE_URL']}/api/v2/public/orgs/org1/orders",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert orders["pagination"]["total"] == 25
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_p1_sandbox_refuses_bad_options_readably() -> None:
    result = CliRunner().invoke(app, ["sandbox", "--port", "0", "--error-rate", "3"])
    assert result.exit_code == 2
    assert "error_rate must be a share between 0 and 1" in result.output


def test_p1_sandbox_on_a_busy_port_says_what_to_do(make_sandbox) -> None:
    running = make_sandbox(orders=5)
    result = CliRunner().invoke(app, ["sandbox", "--port", str(running.port), "--orders", "5"])
    assert result.exit_code == 2
    assert f"cannot serve on 127.0.0.1:{running.port}" in result.output and "--port 0" in result.output


def test_p1_sandbox_with_an_unusable_db_path_says_so(tmp_path) -> None:
    missing = tmp_path / "no-such-folder" / "sandbox.sqlite3"
    result = CliRunner().invoke(app, ["sandbox", "--port", "0", "--db", str(missing)])
    assert result.exit_code == 2 and "cannot use --db" in result.output
