"""The `p1` command-line application object that every sub-command registers on."""

import typer

app = typer.Typer(
    name="p1",
    help="PharmaOne ops: read orders and stock, run the sandbox, the Slack bot and the daily report.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
