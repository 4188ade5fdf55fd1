"""`p1 demo`: the bot on an embedded sandbox, driven from the terminal as Slack would drive it.

Each line you type is sent through the real Bolt app as a signed Slack request; the answers (the ack, posts
to the response URL, Web API calls recorded by the local Slack stand-in) are drawn as panels. Buttons and
menus get numbers: `click 2` presses one, `click 3 ready_pickup` picks a menu option.
"""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape

from bot.app import create_app, runtime_of
from bot.audit import audit_table
from bot.settings import BotSettings
from bot.simulator import Clickable, Exchange, SlackSimulator, clickables
from bot.slack_standin import Recorded, SlackStandIn
from bot.terminal_view import actions_hint, message_panel, mrkdwn_to_markup
from toolkit import Client
from toolkit.vocabulary import next_order_statuses

DEMO_USER = "U0DEMO"
DEMO_CHANNEL = "C0PHARMACY"
QUIT_WORDS = {"quit", "exit", "q", ":q"}
AUDIT_LINES = 10


class DemoSession:
    """One terminal conversation with the bot: sends lines, draws answers, remembers numbered buttons."""

    def __init__(
        self,
        simulator: SlackSimulator,
        wait_idle: Any,
        console: Console,
        answer_timeout: float,
        show_audit: Callable[[], Any] | None = None,
    ):
        self.simulator = simulator
        self.wait_idle = wait_idle
        self.console = console
        self.answer_timeout = answer_timeout
        self.show_audit = show_audit
        self.buttons: list[Clickable] = []

    def handle(self, line: str) -> bool:
        """Act on one line; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.lower() in QUIT_WORDS:
            return False
        words = line.split()
        if words[0].lower() == "click":
            self._click(words[1:])
        elif line.lower() == "audit" and self.show_audit is not None:
            self.console.print(self.show_audit())
        elif words[0] == "/p1":
            self._show(self.simulator.command(" ".join(words[1:])))
        elif line.startswith("/"):
            self.console.print("[red]Only /p1 exists here.[/red] Try [bold]/p1 help[/bold].")
        else:
            self._show(self.simulator.command(line))
        return True

    def _click(self, words: list[str]) -> None:
        if not words or not words[0].isdigit() or not 1 <= int(words[0]) <= len(self.buttons):
            shown = f"1–{len(self.buttons)}" if self.buttons else "none yet"
            self.console.print(
                f"[red]Say which button:[/red] [bold]click <number>[/bold] (numbers shown: {shown})."
            )
            return
        item = self.buttons[int(words[0]) - 1]
        option = " ".join(words[1:]) or None
        if item.kind == "static_select" and option is None:
            choices = ", ".join(label for label, _ in item.options)
            self.console.print(
                f"[red]Pick an option:[/red] [bold]click {words[0]} <option>[/bold] ({choices})."
            )
            return
        try:
            exchange = self.simulator.click(item, option=option)
        except ValueError as exc:
            self.console.print(f"[red]{exc}[/red]")
            return
        self._show(exchange)

    def _show(self, exchange: Exchange) -> None:
        if exchange.status != 200:
            self.console.print(
                f"[red]Slack would show an error: the bot answered HTTP {exchange.status}.[/red]"
            )
        ack = exchange.ack_message
        if ack:
            self._panel(ack, "only you can see this", "yellow")
        finished = self.wait_idle(self.answer_timeout)
        new_buttons: list[tuple[int, Clickable]] = []
        for record in exchange.standin.records(exchange.first_record):
            new_buttons += self._record(record)
        if not finished:
            self.console.print(
                "[yellow]The bot is still working; its answer will show after your next line.[/yellow]"
            )
        self.console.print(f"[dim]acked in {exchange.ack_seconds * 1000:.0f} ms[/dim]")
        hint = actions_hint(new_buttons)
        if hint:
            self.console.print(hint)

    def _record(self, record: Recorded) -> list[tuple[int, Clickable]]:
        if record.kind == "response":
            if record.payload.get("response_type") == "in_channel":
                where, style = f"#{self.simulator.channel_name} · everyone sees this", "green"
            else:
                where, style = "only you can see this", "yellow"
            if record.payload.get("replace_original") in (True, "true"):
                where += " · replaces the message you clicked"
            return self._panel(record.payload, where, style)
        if record.kind == "api" and record.name in ("chat.postMessage", "chat.postEphemeral"):
            shared = record.name == "chat.postMessage"
            where = f"#{record.payload.get('channel')} · {'everyone sees this' if shared else 'only you'}"
            return self._panel(record.payload, where, "green" if shared else "yellow")
        return []

    def _panel(self, message: dict[str, Any], where: str, style: str) -> list[tuple[int, Clickable]]:
        """Draw one message; its buttons get the next free numbers, which are returned with them."""
        first = len(self.buttons) + 1
        self.console.print(message_panel(message, where, first, style=style))
        items = clickables(message)
        self.buttons += items
        return list(enumerate(items, first))


def example_orders(p1: Client, count: int = 4) -> pd.DataFrame:
    """A few recent orders, in different statuses, that can still move on when possible."""
    recent = p1.orders.list(max_rows=60)
    movable = recent[recent["status"].map(lambda s: bool(next_order_statuses(s)))]
    picked = movable.drop_duplicates("status").head(count)
    return pd.concat([picked, recent.drop(picked.index)]).head(count)


def example_product_word(p1: Client) -> str:
    names = p1.inventory.list()["name"].dropna().astype(str)
    for name in names:
        if "zainbow" in name.lower():
            return "zainbow"
    return names.iloc[0].split()[-1].lower() if len(names) else "flos"


def welcome(console: Console, p1: Client) -> None:
    orders = example_orders(p1)
    console.rule("[bold]PharmaOne bot demo[/bold] — Slack in your terminal, PharmaOne sandbox behind it")
    console.print(
        "Type what you would type in Slack. You are an operator here, so status changes and "
        "“Show customer” work. [bold]quit[/bold] or Ctrl-D leaves."
    )
    console.print("\n[bold]Orders to try:[/bold]")
    for row in orders.itertuples():
        console.print(f"  [cyan]{row.id}[/cyan]  {row.shop_id:<10} {row.status}")
    first = orders.iloc[0]
    target = (next_order_statuses(first["status"]) or ("completed",))[0]
    examples = [
        f"/p1 order {first['id']}",
        f"/p1 status {first['id']} {target}",
        "/p1 orders awaiting_packing",
        f"/p1 stock {example_product_word(p1)}",
        "/p1 help",
    ]
    console.print("\n[bold]Examples:[/bold]")
    for example in examples:
        console.print(f"  [cyan]{escape(example)}[/cyan]")
    console.print(
        "\nAnswers show numbered buttons: [cyan]click 1[/cyan] presses one, "
        "[cyan]click 2 ready_pickup[/cyan] picks an option of a menu; "
        "[cyan]audit[/cyan] shows who changed what.\n"
    )


def input_lines(console: Console, stream: Any) -> Iterator[str]:
    """Lines to run: a prompt on a terminal, plain lines (echoed) from a pipe or file."""
    if stream.isatty():
        import readline  # noqa: F401  (line editing and history for input())

        while True:
            try:
                yield console.input("[bold magenta]p1>[/bold magenta] ")
            except EOFError:
                console.print()  # Ctrl-D leaves the cursor after the prompt
                return
    else:
        for line in stream:
            if line.strip():
                console.print(f"[bold magenta]p1>[/bold magenta] {mrkdwn_to_markup(line.rstrip())}")
            yield line


def run_demo(
    *,
    seed: int | None = None,
    orders: int | None = None,
    lines: Iterable[str] | None = None,
    console: Console | None = None,
) -> None:
    """Start the sandbox, the Slack stand-in and the bot, then run `lines` (default: stdin) until EOF/quit."""
    console = console or Console()
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    sandbox_options = {k: v for k, v in {"seed": seed, "orders": orders}.items() if v is not None}
    signing_secret = secrets.token_hex(16)
    with ExitStack() as stack:
        with console.status("Starting the PharmaOne sandbox…"):
            p1 = stack.enter_context(Client.sandbox(**sandbox_options))
        standin = stack.enter_context(SlackStandIn(users={DEMO_USER: "pharmacist"}))
        settings = BotSettings(
            _env_file=None,
            slack_bot_token="xoxb-demo",
            slack_signing_secret=signing_secret,
            slack_api_url=standin.api_url,
            operators=(DEMO_USER,),
            read_channels=(),
            bot_db=":memory:",
        )
        app = create_app(p1, settings=settings)
        runtime = runtime_of(app)
        stack.callback(runtime.shutdown)
        simulator = SlackSimulator(app, standin, signing_secret, user_id=DEMO_USER, channel_id=DEMO_CHANNEL)
        session = DemoSession(
            simulator,
            runtime.wait_idle,
            console,
            settings.pharmaone_timeout + 5,
            show_audit=lambda: audit_table(runtime.store, AUDIT_LINES, settings.timezone),
        )
        welcome(console, p1)
        for line in lines if lines is not None else input_lines(console, sys.stdin):
            if not session.handle(line):
                break
    console.print("[dim]Bye.[/dim]")
