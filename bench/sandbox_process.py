"""A seeded sandbox in a child process, so that serving does not compete for the GIL with what is measured.

A real PharmaOne is another machine; in the benchmark it is at least another process (on the same cores).
The child prints its connection details as one JSON line, then takes one JSON line of conditions at a time
on stdin (`Sandbox.configure`) and stops when stdin closes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class SandboxProcess:
    """`with SandboxProcess(orders=20_000, latency_ms=20) as sb:` — sb.base_url, org_id, api_key, shop_url."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self._process: subprocess.Popen[str] | None = None
        self.info: dict[str, str] = {}

    def __enter__(self) -> SandboxProcess:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.sandbox_process", json.dumps(self.options)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self._process.stdout.readline() if self._process.stdout else ""
        if not line:
            self.__exit__()
            raise RuntimeError(f"the sandbox process ({self.options}) did not start")
        self.info = json.loads(line)
        return self

    def cpu_seconds(self) -> float:
        """User + system CPU time the sandbox process has used so far (Linux /proc; 0.0 elsewhere)."""
        assert self._process is not None
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def configure(self, **conditions: Any) -> None:
        """Change latency_ms, error_rate... of the running sandbox."""
        assert self._process and self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps(conditions) + "\n")
        self._process.stdin.flush()
        if self._process.stdout.readline().strip() != "ok":
            raise RuntimeError(f"the sandbox process refused {conditions}")

    def __exit__(self, *exc: object) -> None:
        if self._process is None:
            return
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def __getattr__(self, name: str) -> str:
        if name in ("base_url", "org_id", "api_key", "shop_url"):
            return self.info[name]
        raise AttributeError(name)


def _serve(options: dict[str, Any]) -> None:
    from toolkit.sandbox import Sandbox

    with Sandbox(**options) as sandbox:
        info = {
            "base_url": sandbox.base_url,
            "org_id": sandbox.org_id,
            "api_key": sandbox.api_key,
            "shop_url": sandbox.shop_url,
        }
        print(json.dumps(info), flush=True)
        for line in sys.stdin:
            sandbox.configure(**json.loads(line))
            print("ok", flush=True)


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))


class Sandboxes:
    """Sandbox processes shared by the figures of one run: one per order count, latency set on each use."""

    def __init__(self) -> None:
        self._running: dict[int, SandboxProcess] = {}

    def get(self, orders: int, latency_ms: float = 0) -> SandboxProcess:
        sandbox = self._running.get(orders)
        if sandbox is None:
            sandbox = self._running[orders] = SandboxProcess(orders=orders).__enter__()
        sandbox.configure(latency_ms=latency_ms)
        return sandbox

    def __enter__(self) -> Sandboxes:
        return self

    def __exit__(self, *exc: object) -> None:
        for sandbox in self._running.values():
            sandbox.__exit__()
        self._running.clear()
