"""The `/p1` sub-commands. Importing this package registers them, in the order `/p1 help` lists them.

Another area's sub-command registers itself with `@subcommand` in its own module, imported here.
"""

# isort: off
from bot.commands import help, order, orders, status, stock  # noqa: F401  (registration, in this order)
import bot.report_command  # noqa: F401  (registers `report`)
# isort: on

from bot.commands.registry import SUBCOMMANDS, Invocation, Subcommand, UsageError, parse_command, subcommand

__all__ = ["SUBCOMMANDS", "Invocation", "Subcommand", "UsageError", "parse_command", "subcommand"]
