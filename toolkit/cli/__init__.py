"""The `p1` command line (typer + rich). Sub-commands register themselves on `app` when imported."""

from toolkit.cli import (
    read_commands,  # noqa: F401  (registers p1 orders / order / stock)
    sandbox_command,  # noqa: F401  (registers p1 sandbox)
)
from toolkit.cli.app import app

__all__ = ["app"]
