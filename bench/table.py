"""The result table, for the terminal (rich) and for the README (markdown)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from bench.measure import Row

HEADERS = ("#", "figure", "measured", "baseline", "ratio", "target", "result")


def _amount(value: float, unit: str) -> str:
    return f"{value:,.3g} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def _cells(row: Row) -> tuple[str, ...]:
    ratio = f"{row.ratio:.2f}x" + (" faster" if row.speedup else "")
    target = str(row.target) if row.target else "info"
    result = {True: "pass", False: "FAIL", None: "-" if row.target is None else "not judged"}[row.passed]
    return (
        row.key,
        row.title,
        _amount(row.figure, row.unit),
        _amount(row.baseline, row.unit),
        ratio,
        target,
        result,
    )


def heading(about: dict[str, Any]) -> str:
    machine = about["machine"]
    return (
        f"{about['date']} ({about['mode']} run, {about['seconds']} s) on {machine['cpus']} x "
        f"{machine['cpu_model']}, Python {machine['python']}, {machine['system']}"
    )


def print_table(rows: list[Row], about: dict[str, Any]) -> None:
    table = Table(title=heading(about), title_justify="left")
    for header in HEADERS:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*_cells(row), style="red" if row.passed is False else None)
    console = Console(width=max(120, Console().width))
    console.print(table)
    for row in rows:
        if row.notes:
            console.print(f"[dim]{row.key}: {row.notes}[/dim]", highlight=False)


def markdown(rows: list[Row], about: dict[str, Any]) -> str:
    lines = [heading(about), "", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    lines += ["", *(f"- {row.key}: {row.notes}" for row in rows if row.notes)]
    return "\n".join(lines)
