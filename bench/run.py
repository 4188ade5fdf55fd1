"""The performance benchmark: `uv run python bench/run.py [--quick] [--check] [--out FILE] [--only 1,4]`.

Starts its own sandboxes (in child processes), measures the five figures of the performance issue side by
side with their baselines in the same run, prints a table (figure, baseline, ratio, target, pass) and writes
the same as JSON (bench/results.json unless --out). `--check` exits 1 when a target is missed; `--quick`
runs small sizes in well under a minute and judges no target (CI runs it so the benchmark never rots).
A wrong result (different rows, an unanswered command) stops the run with exit status 2 in every mode.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/run.py` from anywhere

from bench import bot_acks, frame_cost, listing, memory, report_cost
from bench.measure import FULL, QUICK, BenchError, Row, Sizes
from bench.sandbox_process import Sandboxes
from bench.table import markdown, print_table

FIGURES: dict[str, Callable[[Sizes, Sandboxes], list[Row]]] = {
    "1": listing.run,
    "2": frame_cost.run,
    "3": memory.run,
    "4": bot_acks.run,
    "5": report_cost.run,
}
DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"


def machine() -> dict[str, str | int]:
    """Where the figures were taken: they mean little without it."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count() or 0,
        "cpu_model": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, no targets judged (for CI)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON file (default {DEFAULT_OUT})")
    parser.add_argument("--markdown", action="store_true", help="also print the table as markdown (README)")
    parser.add_argument(
        "--only", default=",".join(FIGURES), help="comma-separated figures to run, e.g. --only 1,4"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help=f"the toolkit client's max_concurrency for the listings (default {FULL.concurrency})",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only.split(",")) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s) {unknown}: choose from {', '.join(FIGURES)}, e.g. --only 1,4")
    if args.concurrency is not None and args.concurrency < 1:
        parser.error(f"--concurrency must be 1 or more, got {args.concurrency}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.concurrency is not None:
        sizes = dataclasses.replace(sizes, concurrency=args.concurrency)
    started = datetime.now(UTC)
    rows: list[Row] = []
    try:
        with Sandboxes() as sandboxes:
            for key in args.only.split(","):
                print(f"figure {key} ...", file=sys.stderr, flush=True)
                rows.extend(FIGURES[key](sizes, sandboxes))
    except BenchError as exc:
        print(f"benchmark found a wrong result: {exc}", file=sys.stderr)
        return 2
    about = {
        "date": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.now(UTC) - started).total_seconds(), 1),
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
        "sizes": dataclasses.asdict(sizes),
    }
    print_table(rows, about)
    if args.markdown:
        print(markdown(rows, about))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({**about, "rows": [row.to_json() for row in rows]}, indent=2) + "\n")
    missed = [row.key for row in rows if row.passed is False]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
