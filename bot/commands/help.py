"""`/p1 help`: what the caller may run, with one example each."""

from __future__ import annotations

from bot.commands.registry import SUBCOMMANDS, Invocation, subcommand
from bot.views import help_message


@subcommand("help", usage="help", summary="this list", example="help")
def show_help(invocation: Invocation, _: None) -> None:
    operator = bool(invocation.runtime.policy.may_change(invocation.user_id, invocation.channel_id))
    allowed = [s for s in SUBCOMMANDS.values() if operator or not s.changes]
    hidden = [s.name for s in SUBCOMMANDS.values() if s.changes and not operator]
    invocation.private(help_message([(s.usage, s.summary, s.example) for s in allowed], hidden))
