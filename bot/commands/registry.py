"""The `/p1` sub-command table, the parser in front of it and what a running command gets (`Invocation`).

A sub-command is registered with `@subcommand(...)`: a `parse` step that runs before the ack (pure and fast;
it raises `UsageError` with what was wrong and what to type instead) and a `run` step that runs on the bot's
own pool afterwards and answers through `Invocation`. Other areas add their own sub-commands the same way
(the daily report registers `report` from bot/report_command.py).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.privacy import PatientDataLeak, ensure_shareable
from bot.runtime import BotRuntime, PharmaOneUnavailable
from bot.views import text_message

log = logging.getLogger(__name__)


class UsageError(ValueError):
    """Bad input; the message says what was wrong and what to type instead."""


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # e.g. "order <order id>"
    summary: str
    example: str  # e.g. "order ORD_20260614_8v039dhnrv"
    run: Callable[[Invocation, Any], None]
    parse: Callable[[list[str]], Any]
    changes: bool = False  # needs the operator role


SUBCOMMANDS: dict[str, Subcommand] = {}


def register(sub: Subcommand) -> Subcommand:
    if sub.name in SUBCOMMANDS:
        raise ValueError(f"/p1 {sub.name} is registered twice")
    SUBCOMMANDS[sub.name] = sub
    return sub


def no_arguments(args: list[str]) -> None:
    if args:
        raise UsageError(f"This command takes no arguments (got “{' '.join(args)}”).")


def subcommand(
    name: str,
    *,
    usage: str,
    summary: str,
    example: str,
    parse: Callable[[list[str]], Any] = no_arguments,
    changes: bool = False,
) -> Callable[[Callable[[Invocation, Any], None]], Callable[[Invocation, Any], None]]:
    """Register the decorated `run(invocation, parsed_arguments)` as `/p1 <name>`."""

    def decorate(run: Callable[[Invocation, Any], None]) -> Callable[[Invocation, Any], None]:
        register(Subcommand(name, usage, summary, example, run, parse, changes))
        return run

    return decorate


def parse_command(text: str) -> tuple[Subcommand, Any]:
    """Split `/p1` text into its sub-command and parsed arguments; raises `UsageError` on bad input."""
    words = text.split()
    name = words[0].lower() if words else "help"
    sub = SUBCOMMANDS.get(name)
    if sub is None:
        close = difflib.get_close_matches(name, list(SUBCOMMANDS), n=1)
        hint = f"Did you mean `/p1 {SUBCOMMANDS[close[0]].usage}`? " if close else ""
        known = ", ".join(f"`{n}`" for n in SUBCOMMANDS)
        raise UsageError(f"`{name}` is not a /p1 command. {hint}Commands: {known}; `/p1 help` explains them.")
    try:
        return sub, sub.parse(words[1:])
    except UsageError as exc:
        raise UsageError(f"{exc} Usage: `/p1 {sub.usage}`, e.g. `/p1 {sub.example}`.") from exc


@dataclass
class Invocation:
    """One user's command or click, with the ways to answer it."""

    runtime: BotRuntime
    user_id: str
    channel_id: str | None
    respond: Callable[..., Any]

    @property
    def p1(self) -> Any:
        return self.runtime.p1

    def private(self, message: dict[str, Any] | str) -> None:
        """Only the caller sees it."""
        message = text_message(message) if isinstance(message, str) else message
        self.respond(response_type="ephemeral", replace_original=False, **message)

    def share(self, message: dict[str, Any], known: Iterable[str] = ()) -> None:
        """Everyone in the channel sees it; refused (PatientDataLeak) if it shows patient data."""
        ensure_shareable(message, known)
        self.respond(response_type="in_channel", replace_original=False, **message)

    def replace(self, message: dict[str, Any] | str) -> None:
        """Replace the (ephemeral) message whose button was clicked."""
        message = text_message(message) if isinstance(message, str) else message
        self.respond(replace_original=True, **message)

    def audit(self, command: str, arguments: dict[str, Any], decision: str, **outcome: Any) -> int:
        return self.runtime.store.audit(
            user_id=self.user_id,
            channel_id=self.channel_id,
            command=command,
            arguments=arguments,
            decision=decision,
            **outcome,
        )


def run_guarded(invocation: Invocation, job: Callable[..., None], *args: Any) -> None:
    """Run `job(invocation, *args)` after the ack; every failure becomes a private answer."""
    try:
        job(invocation, *args)
    except PharmaOneUnavailable as exc:
        invocation.private(f":hourglass: {exc}")
    except PatientDataLeak:
        log.error("held back a channel message with patient data (job %s)", getattr(job, "__name__", job))
        invocation.private(
            "This answer was held back because it would have shown customer details in the channel."
        )
    except Exception:
        log.exception("bot job %s failed", getattr(job, "__name__", job))
        invocation.private(
            "Something went wrong on the bot's side; nothing was changed. The bot's log has details."
        )
