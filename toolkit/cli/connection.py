"""How every `p1` command that talks to PharmaOne connects: P1_* settings, or `--sandbox`.

    @app.command()
    def orders(sandbox: SandboxOption = False) -> None:
        with connect(sandbox) as p1:
            ...

Inside `connect`, PharmaOne errors and missing settings become a readable line on stderr and exit code 1
(2 for configuration), instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

from toolkit import Client
from toolkit.errors import ConfigurationError, InvalidArgumentError, PharmaOneError

SandboxOption = Annotated[
    bool,
    typer.Option(
        "--sandbox",
        help="Use an embedded PharmaOne sandbox with seeded demo data instead of the P1_* settings. "
        "Example: --sandbox",
    ),
]

errors_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` on stderr and return the Exit to raise."""
    errors_console.print(f"[bold red]Error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code)


@contextmanager
def connect(sandbox: bool = False) -> Iterator[Client]:
    """A Client from the P1_* settings (or an embedded sandbox); readable errors instead of tracebacks."""
    try:
        if sandbox:
            with Client.sandbox() as client:
                yield client
        else:
            with Client.from_env() as client:
                yield client
    except ConfigurationError as exc:
        raise fail(
            f"{exc}\nOr add --sandbox to try it against an embedded PharmaOne sandbox.", code=2
        ) from None
    except InvalidArgumentError as exc:
        raise fail(str(exc), code=2) from None
    except PharmaOneError as exc:
        raise fail(str(exc)) from None
