"""`p1 demo`: welcome with real order ids, commands and clicks through the real app, clean exits."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

from rich.console import Console

from bot.demo import input_lines, run_demo
from toolkit.vocabulary import next_order_statuses

DEMO = [sys.executable, "-c", "from bot.cli import app; app()", "demo"]
ORDER_ID = re.compile(r"ORD_\d{8}_[A-Za-z0-9]+")


def test_the_demo_welcomes_with_real_orders_and_drives_the_confirm_flow_by_clicks():
    console = Console(record=True, width=150, color_system=None)
    seen: dict[str, str] = {}

    def lines() -> Iterator[str]:
        welcome = console.export_text(clear=False)
        listed = re.findall(r"(ORD_\d{8}_[A-Za-z0-9]+)\s+\S+\s+(\w+)", welcome)
        assert 3 <= len(listed) <= 5
        order_id, status = next((o, s) for o, s in listed if next_order_statuses(s))
        seen.update(order_id=order_id, status=status, target=next_order_statuses(status)[0])
        yield f"/p1 order {order_id}"
        yield "click 2 " + seen["target"]  # the status menu on the card
        yield "click 3"  # Confirm
        yield "audit"
        yield "stock zainbow"  # without /p1 works too
        yield "click 99"
        yield "quit"
        yield "/p1 help"  # never reached

    run_demo(lines=lines(), console=console)
    out = console.export_text()
    order_id, status, target = seen["order_id"], seen["status"], seen["target"]
    assert f"Order {order_id}" in out and "1  Show customer" in out and "2  Move to status…" in out
    assert f"Move {order_id} from {status} to {target}?" in out and "3  Confirm" in out
    assert f"{order_id} is now {target}." in out
    assert f"@U0DEMO moved {order_id} from {status} to {target}" in out
    audit = out[out.index("audit entries") :]
    assert re.search(rf"U0DEMO .* status .*{order_id}.* allowed .* ok", audit.replace("\n", " "))
    assert "24/1 IUVO KC OJ Zainbow" in out
    assert "Say which button" in out
    assert "What you can run" not in out  # stopped at quit
    assert out.rstrip().endswith("Bye.")


def test_piped_commands_run_one_per_line_and_end_at_eof():
    console = Console(record=True, width=150, color_system=None)
    script = io.StringIO("/p1 help\n\n/p1 orders awaiting_packing\n/p1 order ORD_20260101_nope\n")
    run_demo(lines=input_lines(console, script), console=console)
    out = console.export_text()
    assert "p1> /p1 orders awaiting_packing" in out  # each piped line is echoed before its answers
    assert "What you can run" in out and "Orders — status awaiting_packing" in out
    assert "PharmaOne has no order ORD_20260101_nope" in out
    assert out.rstrip().endswith("Bye.")


def test_p1_demo_reads_a_pipe_and_ctrl_c_exits_without_a_traceback():
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    demo = subprocess.Popen(DEMO, **pipes, text=True, env=_plain_env())
    demo.stdin.write("/p1 stock zainbow\n")
    demo.stdin.flush()  # stdin stays open: the demo waits for the next line
    output = ""
    deadline = time.monotonic() + 60
    while "acked in" not in output:
        assert time.monotonic() < deadline and demo.poll() is None, output
        output += demo.stdout.readline()
    assert len(set(ORDER_ID.findall(output.split("Examples")[0]))) >= 3  # the welcome's real order ids
    assert "24/1 IUVO KC OJ Zainbow" in output
    demo.send_signal(signal.SIGINT)
    rest, _ = demo.communicate(timeout=30)
    assert demo.returncode == 0
    assert "Traceback" not in output + rest and "Bye." in rest


def _plain_env() -> dict[str, str]:
    """No Slack or PharmaOne settings from the developer's shell, and a wide terminal for rich."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "P1_"))}
    return {**env, "COLUMNS": "160", "NO_COLOR": "1"}
