"""Figure 3: the peak memory of listing every order, against the size of the frame it produces.

Measured in a fresh child process that only runs the client (the sandbox is another process), as resident
set size from /proc/self/status: the starting size is VmRSS after imports and a first small call (token,
connection); the peak is VmHWM after `p1.orders.list()`, with the high-water mark reset to the current RSS
just before the listing (writing 5 to /proc/self/clear_refs), so that import-time peaks do not count.
RSS rather than tracemalloc: it is what the machine pays (allocator slack, buffers, C allocations included),
and tracemalloc would slow the listing it measures several times over. Where clear_refs cannot be written,
the peak is ru_maxrss, which can only overstate it.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from bench.measure import BenchError, Row, Sizes, Target
from bench.sandbox_process import ROOT, Sandboxes

TARGET = Target("<=", 3)
MB = 1024 * 1024


def _status_kb(field: str) -> int:
    status = Path("/proc/self/status")
    if not status.exists():
        raise BenchError("figure 3 reads the resident set size from /proc/self/status, which needs Linux")
    for line in status.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise BenchError(f"/proc/self/status has no {field}")


def _reset_peak() -> str:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return "ru_maxrss (high-water mark could not be reset)"
    return "VmHWM after resetting it via /proc/self/clear_refs"


def probe(concurrency: int) -> dict[str, float | int | str]:
    """In the child: list every order and report the memory figures (bytes)."""
    from toolkit import Client

    with Client.from_env(progress=False, max_concurrency=concurrency) as p1:
        p1.shops.list()
        gc.collect()
        method = _reset_peak()
        start = _status_kb("VmRSS") * 1024
        frame = p1.orders.list()
        if method.startswith("VmHWM"):
            peak = _status_kb("VmHWM") * 1024
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return {
            "rows": len(frame),
            "start": start,
            "peak": peak,
            "frame": int(frame.memory_usage(deep=True).sum()),
            "method": method,
        }


def run(sizes: Sizes, sandboxes: Sandboxes) -> list[Row]:
    sandbox = sandboxes.get(sizes.memory_orders, latency_ms=0)
    environment = {
        **os.environ,
        "P1_BASE_URL": sandbox.base_url,
        "P1_ORG_ID": sandbox.org_id,
        "P1_API_KEY": sandbox.api_key,
    }
    child = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(sizes.concurrency)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if child.returncode != 0:
        raise BenchError(f"the memory probe failed: {child.stderr.strip()[-2000:]}")
    found = json.loads(child.stdout.strip().splitlines()[-1])
    if found["rows"] != sizes.memory_orders:
        raise BenchError(f"the memory probe listed {found['rows']} orders, expected {sizes.memory_orders}")
    growth = found["peak"] - found["start"]
    return [
        Row(
            "3",
            f"peak memory listing {found['rows']:,} orders vs the frame's memory_usage(deep=True)",
            figure=growth / MB,
            baseline=found["frame"] / MB,
            unit="MB",
            target=TARGET,
            judged=not sizes.quick,
            notes=(
                f"RSS of a fresh client process: {found['method']}, minus VmRSS before the listing "
                f"({found['start'] / MB:.0f} MB after imports and a first call)"
            ),
            details=found,
        )
    ]


if __name__ == "__main__":
    print(json.dumps(probe(int(sys.argv[1]))))
