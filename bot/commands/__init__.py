"""The `/p1` sub-commands. Importing this package registers them, in the order `/p1 help` lists them."""

import importlib

from bot.commands import help, order, orders, report_placeholder, status, stock  # noqa: F401  (registration)
from bot.commands.registry import SUBCOMMANDS, Invocation, Subcommand, UsageError, parse_command, subcommand

#: Sub-commands other areas own; each registers itself when imported (skipped while it does not exist yet).
OPTIONAL_MODULES = ("bot.report_command",)

for _name in OPTIONAL_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise

__all__ = ["SUBCOMMANDS", "Invocation", "Subcommand", "UsageError", "parse_command", "subcommand"]
