"""`p1 audit`: the latest entries of the bot's audit log as a table."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.store import Store


def audit_table(store: Store, limit: int, zone_name: str) -> Table:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    table = Table(title=f"Latest {limit} audit entries", title_justify="left")
    for column in ("time", "user", "channel", "command", "arguments", "decision", "result", "request id"):
        table.add_column(column, overflow="fold")
    for entry in store.latest_audit(limit):
        style = {"denied": "red", "allowed": "green"}.get(entry.decision, "")
        table.add_row(
            entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user_id,
            entry.channel_id or "",
            entry.command,
            json.dumps(entry.arguments, ensure_ascii=False),
            f"[{style}]{entry.decision}[/{style}]" if style else entry.decision,
            entry.result or "",
            entry.request_id or "",
        )
    return table


def print_audit(db: str, limit: int, zone_name: str, console: Console | None = None) -> bool:
    """Print the table; False (with a note) when there is no audit log at `db` yet."""
    console = console or Console()
    if db != ":memory:" and not Path(db).exists():
        console.print(
            f"No audit log at {db} yet: the bot creates it on its first start (P1_BOT_DB sets the path)."
        )
        return False
    store = Store(db)
    try:
        if not store.latest_audit(1):
            console.print(f"The audit log at {db} is empty: nobody has tried a change yet.")
        else:
            console.print(audit_table(store, limit, zone_name))
    finally:
        store.close()
    return True
